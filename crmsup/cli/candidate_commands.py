"""`candidate` commands, and `erase candidate`: people interviewed for a team.

A candidate is named by the first 8 or more hex digits of their id (`candidate list` shows
them); in `recommendation` commands the same candidate is the subject `candidate:ID`.
Registered by `recommendation_commands`, which they belong with.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, UsageError, add_command
from crmsup.records.recommendations import candidates as candidate_service
from crmsup.records.recommendations.dto import (
    CANDIDATE_CLEARABLE,
    CandidateChanges,
    CandidateDetail,
    NewCandidate,
)
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare `candidate …` and `erase candidate` on the `crmsup-admin` parser."""
    group = add_command(commands, "candidate", None, "candidates interviewed for a team")
    actions = group.add_subparsers(dest="candidate_command", required=True, metavar="ACTION")
    add = add_command(actions, "add", cmd_add, "add a candidate interviewed for a team")
    add.add_argument("--team", required=True, metavar="T")
    add.add_argument("--first", required=True, metavar="F")
    add.add_argument("--last", required=True, metavar="L")
    _details(add)
    listing = add_command(actions, "list", cmd_list, "a team's candidates")
    listing.add_argument("--team", required=True, metavar="T")
    show = add_command(actions, "show", cmd_show, "one candidate, decrypted")
    show.add_argument("ref", metavar="ID")
    update = add_command(actions, "update", cmd_update, "change a candidate not hired yet")
    update.add_argument("ref", metavar="ID")
    update.add_argument("--first", metavar="F")
    update.add_argument("--last", metavar="L")
    _details(update)
    update.add_argument(
        "--clear",
        action="append",
        choices=sorted(CANDIDATE_CLEARABLE),
        help="empty a field (repeatable)",
    )
    update.add_argument(
        "--if-version", type=int, metavar="V", help="refuse if changed since version V was read"
    )

    erase = add_command(
        _subcommands_of(commands, "erase"),
        "candidate",
        cmd_erase,
        "destroy a candidate's data key and encrypted fields, with their recommendations",
    )
    erase.add_argument("ref", metavar="ID")


def _subcommands_of(commands: Commands, name: str) -> Commands:
    """The group of sub-commands of a command declared elsewhere (`erase`, retention)."""
    for action in commands.choices[name]._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"the {name} command has no sub-commands")


def _details(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email")
    parser.add_argument("--phone")
    parser.add_argument("--interviewed", metavar="YYYY-MM-DD", help="the interview's date")
    notes = parser.add_mutually_exclusive_group()
    notes.add_argument("--notes", metavar="TEXT", help="the interview notes")
    notes.add_argument("--notes-file", type=Path, metavar="F", help="the interview notes, from F")
    parser.add_argument("--result", metavar="R", help="the interview's result, in a few words")


def _notes(ctx: Context) -> str | None:
    path: Path | None = ctx.args.notes_file
    if path is None:
        notes: str | None = ctx.args.notes
        return notes
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _print(detail: CandidateDetail) -> None:
    output.fields(
        [
            ("id", detail.short_id),
            ("name", f"{detail.first_name} {detail.last_name}"),
            ("team", detail.team),
            ("e-mail", detail.email),
            ("phone", detail.phone),
            ("interviewed", detail.interviewed_on),
            ("interview notes", detail.interview_notes),
            ("result", detail.result),
            ("hired as", detail.hired_as),
            ("version", detail.version),
        ]
    )


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    new = NewCandidate(
        team=args.team,
        first_name=args.first,
        last_name=args.last,
        email=args.email,
        phone=args.phone,
        interviewed_on=iso_date(args.interviewed, "interview date") if args.interviewed else None,
        interview_notes=_notes(ctx),
        result=args.result,
    )
    detail = candidate_service.add_candidate(ctx.db, ctx.actor(), new)
    if ctx.json:
        output.emit_json(detail)
    else:
        print(f"Candidate {detail.short_id} added to {detail.team}.")
    return 0


def cmd_list(ctx: Context) -> int:
    rows = candidate_service.list_candidates(ctx.db, ctx.actor(), ctx.args.team)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "last name", "first name", "interviewed", "hired as", "version"],
        [
            (r.short_id, r.last_name, r.first_name, r.interviewed_on, r.hired_as, r.version)
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    detail = candidate_service.get_candidate(ctx.db, ctx.actor(), ctx.args.ref)
    if ctx.json:
        output.emit_json(detail)
    else:
        _print(detail)
    return 0


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    changes = CandidateChanges(
        first_name=args.first,
        last_name=args.last,
        email=args.email,
        phone=args.phone,
        interviewed_on=iso_date(args.interviewed, "interview date") if args.interviewed else None,
        interview_notes=_notes(ctx),
        result=args.result,
        clear=frozenset(args.clear or ()),
    )
    detail = candidate_service.update_candidate(
        ctx.db, ctx.actor(), args.ref, changes, expected_version=args.if_version
    )
    if ctx.json:
        output.emit_json(detail)
    else:
        print(f"Candidate {detail.short_id} is at version {detail.version}.")
    return 0


def cmd_erase(ctx: Context) -> int:
    """The password is asked for again (the service re-authenticates before erasing)."""
    actor = ctx.actor()
    erased = candidate_service.erase_candidate(ctx.db, actor, ctx.args.ref, ctx.password())
    if ctx.json:
        output.emit_json(erased)
    else:
        print(
            f"Candidate {erased.candidate_id.hex[:8]} ({erased.team}) is erased: their data key "
            f"is destroyed, their encrypted fields emptied, and {erased.recommendations_deleted} "
            "recommendation(s) deleted."
        )
    if not erased.residue_cleared:
        output.note(
            "Superseded copies could not be cleared at once (another connection holds the "
            "database); they go when the last crmsup using it closes, or when the database "
            "owner runs VACUUM FULL candidate_keys (PostgreSQL)."
        )
    return 0
