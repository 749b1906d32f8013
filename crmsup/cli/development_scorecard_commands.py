"""`scorecard` commands: HR's call-monitoring scorecards.

A scorecard is named by its name (its newest revision), "NAME@N" (revision N) or its id. Its
items come from a JSON file: {"items": [{"text": …, "weight": 3, "auto_fail": false}, …]}.
"""

from __future__ import annotations

import json
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.development import scorecards as cards
from crmsup.records.development.dto import ScorecardDetail, ScorecardSpec
from crmsup.records.development.scorecards import ItemSpec
from crmsup.records.errors import ValidationFailed


def register(commands: Commands) -> None:
    """Declare `scorecard` on the `crmsup-admin` parser."""
    scorecard = add_command(commands, "scorecard", None, "call-monitoring scorecards (HR)")
    actions = scorecard.add_subparsers(dest="scorecard_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_list, "scorecards in use").add_argument(
        "--all", action="store_true", help="retired revisions too"
    )
    add_command(actions, "show", cmd_show, "one scorecard revision").add_argument(
        "scorecard", metavar="S"
    )
    add = add_command(actions, "add", cmd_add, "revision 1 of a new scorecard")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--file", type=Path, required=True, metavar="F", help="the items, JSON")
    revise = add_command(actions, "revise", cmd_revise, "the next revision (the old retired)")
    revise.add_argument("scorecard", metavar="S")
    revise.add_argument("--file", type=Path, required=True, metavar="F", help="the items, JSON")
    revise.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")
    for name, handler, text in (
        ("retire", cmd_retire, "no new evaluation may use this revision"),
        ("reactivate", cmd_reactivate, "bring a retired revision back"),
    ):
        parser = add_command(actions, name, handler, text)
        parser.add_argument("scorecard", metavar="S")
        parser.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")


def _items(path: Path) -> tuple[ItemSpec, ...]:
    try:
        data = json.loads(read_text(path))
        return tuple(
            ItemSpec(str(i["text"]), i["weight"], bool(i.get("auto_fail", False)))
            for i in data["items"]
        )
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed(
            f'{path} must hold {{"items": [{{"text": …, "weight": N, "auto_fail": false}}, …]}}'
        ) from None


def _print(card: ScorecardDetail) -> None:
    output.fields(
        [
            ("scorecard", f"{card.name}@{card.revision}"),
            ("id", card.short_id),
            ("state", "active" if card.active else "retired"),
            ("evaluations", card.evaluations),
            ("version", card.version),
        ]
    )
    print()
    output.table(
        ["#", "item", "weight", "auto-fail"],
        [(i.position, i.text, i.weight, "yes" if i.auto_fail else "") for i in card.items],
    )


def _done(ctx: Context, card: ScorecardDetail) -> int:
    if ctx.json:
        output.emit_json(card)
    else:
        _print(card)
    return 0


def cmd_list(ctx: Context) -> int:
    found = cards.list_scorecards(ctx.db, ctx.actor(), include_retired=ctx.args.all)
    if ctx.json:
        output.emit_json(found)
        return 0
    output.table(
        ["name", "revision", "id", "items", "state", "evaluations"],
        [
            (
                c.name,
                c.revision,
                c.short_id,
                len(c.items),
                "active" if c.active else "retired",
                c.evaluations,
            )
            for c in found
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    return _done(ctx, cards.get_scorecard(ctx.db, ctx.actor(), ctx.args.scorecard))


def cmd_add(ctx: Context) -> int:
    spec = ScorecardSpec(ctx.args.name, _items(ctx.args.file))
    return _done(ctx, cards.create_scorecard(ctx.db, ctx.actor(), spec))


def cmd_revise(ctx: Context) -> int:
    args = ctx.args
    card = cards.revise_scorecard(
        ctx.db, ctx.actor(), args.scorecard, _items(args.file), expected_version=args.if_version
    )
    return _done(ctx, card)


def _set_active(ctx: Context, active: bool) -> int:
    args = ctx.args
    card = cards.set_scorecard_active(
        ctx.db, ctx.actor(), args.scorecard, active, expected_version=args.if_version
    )
    return _done(ctx, card)


def cmd_retire(ctx: Context) -> int:
    return _set_active(ctx, False)


def cmd_reactivate(ctx: Context) -> int:
    return _set_active(ctx, True)
