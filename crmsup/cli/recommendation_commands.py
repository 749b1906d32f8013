"""`recommendation` commands: draft, submit, decide, withdraw, read and apply recommendations
(and `candidate`, in `candidate_commands`).

A recommendation is named by its SUBJECT — an employee number, or `candidate:ID` for a hire —
and its ID (the first 8 or more hex digits of its id, as `list` shows them). Long texts come
from a file (`--rationale-file`, `--comment-file`) or an option; `--if-version V` refuses a
change when someone changed the recommendation since version V was read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crmsup.cli import candidate_commands, output
from crmsup.cli.context import Commands, Context, UsageError, add_command
from crmsup.records.errors import ValidationFailed
from crmsup.records.recommendations import service
from crmsup.records.recommendations.candidates import find_candidate
from crmsup.records.recommendations.dto import (
    CLEARABLE,
    Link,
    NewRecommendation,
    RecommendationChanges,
    RecommendationDetail,
    RecommendationRow,
)
from crmsup.records.recommendations.models import RecommendationKind
from crmsup.records.recommendations.service import split_subject
from crmsup.records.types import utcnow
from crmsup.records.validation import iso_date

_SUBJECT_HELP = "an employee number, or candidate:ID for a hire"


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    group = add_command(commands, "recommendation", None, "hiring, promotion, transfer, …")
    actions = group.add_subparsers(dest="recommendation_command", required=True, metavar="ACTION")

    create = add_command(actions, "create", cmd_create, "draft a recommendation")
    create.add_argument("subject", metavar="SUBJECT", help=_SUBJECT_HELP)
    create.add_argument("--kind", required=True, choices=[k.value for k in RecommendationKind])
    _content_options(create)

    update = add_command(actions, "update", cmd_update, "change a draft (its author)")
    _address(update)
    _content_options(update)
    update.add_argument(
        "--clear", action="append", choices=sorted(CLEARABLE), help="empty a field (repeatable)"
    )
    _if_version(update)

    for name, handler, text in (
        ("submit", cmd_submit, "send a draft to the site manager (its author)"),
        ("withdraw", cmd_withdraw, "withdraw one's own recommendation before HR decides"),
    ):
        _if_version(_address(add_command(actions, name, handler, text)))
    for name, handler, text in (
        ("approve", cmd_approve, "approve: the site manager's decision, or HR's (applies it)"),
        ("reject", cmd_reject, "reject, saying why: the site manager's decision, or HR's"),
    ):
        decision = _address(add_command(actions, name, handler, text))
        _text_option(decision, "comment", "the decision's comment")
        _if_version(decision)

    _address(add_command(actions, "show", cmd_show, "one recommendation, decrypted"))
    listing = add_command(actions, "list", cmd_list, "recommendations you may see")
    listing.add_argument("subject", metavar="SUBJECT", nargs="?", help=_SUBJECT_HELP)
    listing.add_argument("--team", metavar="T")
    due = add_command(actions, "due", cmd_due, "decisions waiting for you, and old drafts")
    due.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day asked about (default today)")
    hire = add_command(actions, "hire", cmd_hire, "make an approved candidate an associate (HR)")
    _address(hire)
    hire.add_argument("--employee-no", required=True, metavar="N")
    hire.add_argument("--hired", required=True, metavar="YYYY-MM-DD")

    candidate_commands.register(commands)


def _address(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("subject", metavar="SUBJECT", help=_SUBJECT_HELP)
    parser.add_argument("ref", metavar="ID", help="the recommendation's id (8+ hex digits)")
    return parser


def _if_version(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--if-version", type=int, metavar="V", help="refuse if changed since version V was read"
    )
    return parser


def _text_option(parser: argparse.ArgumentParser, name: str, help_text: str) -> None:
    texts = parser.add_mutually_exclusive_group()
    texts.add_argument(f"--{name}", metavar="TEXT", help=help_text)
    texts.add_argument(f"--{name}-file", type=Path, metavar="F", help=f"{help_text}, from F")


def _content_options(parser: argparse.ArgumentParser) -> None:
    _text_option(parser, "rationale", "why (required for a new recommendation)")
    parser.add_argument("--title", metavar="T", help="the proposed job title")
    parser.add_argument("--team", metavar="T", help="the proposed team (transfer, promotion)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="when it takes effect")
    parser.add_argument(
        "--link", action="append", metavar="discipline:ID|review:ID", help="supporting record"
    )


def text_of(ctx: Context, name: str) -> str | None:
    """An option's text, or the contents of its `-file` twin (UTF-8)."""
    path: Path | None = getattr(ctx.args, f"{name}_file")
    if path is None:
        value: str | None = getattr(ctx.args, name)
        return value
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _links(ctx: Context) -> tuple[Link, ...] | None:
    if not ctx.args.link:
        return None
    employee_no, _ = split_subject(ctx.args.subject)
    if employee_no is None:
        raise ValidationFailed("a candidate has no records yet to link")
    return tuple(service.find_link(ctx.db, employee_no, text) for text in ctx.args.link)


def _print_detail(detail: RecommendationDetail) -> None:
    links = ", ".join(f"{link.type}:{link.id.hex[:8]}" for link in detail.links)
    output.fields(
        [
            ("id", detail.short_id),
            ("subject", f"{detail.subject} ({detail.team})"),
            ("kind", detail.kind.value),
            ("state", detail.state.value),
            ("proposed title", detail.proposed_title),
            ("proposed team", detail.proposed_team),
            ("proposed date", detail.proposed_date),
            ("rationale", detail.rationale),
            ("supporting records", links or None),
            ("written by", f"{detail.created_by} on {detail.created_at:%Y-%m-%d}"),
            ("submitted by", detail.submitted_by),
            ("site manager", detail.manager_by),
            ("manager's comment", detail.manager_comment),
            ("HR", detail.hr_by),
            ("HR's comment", detail.hr_comment),
            ("applied", detail.applied_at and f"{detail.applied_at:%Y-%m-%d %H:%M} UTC"),
            ("version", detail.version),
        ]
    )


def _done(ctx: Context, row: RecommendationRow) -> int:
    if ctx.json:
        output.emit_json(row)
    else:
        applied = " and applied" if row.applied_at is not None else ""
        print(
            f"Recommendation {row.short_id} ({row.kind.value}) of {row.subject} is now "
            f"{row.state.value}{applied} (version {row.version})."
        )
    return 0


def cmd_create(ctx: Context) -> int:
    args = ctx.args
    rationale = text_of(ctx, "rationale")
    if rationale is None:
        raise UsageError("a recommendation needs --rationale TEXT or --rationale-file F")
    employee_no, candidate_ref = split_subject(args.subject)
    actor = ctx.actor()
    cid = None if candidate_ref is None else find_candidate(ctx.db, candidate_ref)
    new = NewRecommendation(
        kind=RecommendationKind(args.kind),
        rationale=rationale,
        employee_no=employee_no,
        candidate_id=cid,
        proposed_title=args.title,
        proposed_team=args.team,
        proposed_date=iso_date(args.date, "proposed date") if args.date else None,
        links=_links(ctx) or (),
    )
    detail = service.create_recommendation(ctx.db, actor, new)
    if ctx.json:
        output.emit_json(detail)
    else:
        print(
            f"Recommendation {detail.short_id} ({detail.kind.value}) of {detail.subject} drafted."
        )
    return 0


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.actor()
    changes = RecommendationChanges(
        rationale=text_of(ctx, "rationale"),
        proposed_title=args.title,
        proposed_team=args.team,
        proposed_date=iso_date(args.date, "proposed date") if args.date else None,
        links=_links(ctx),
        clear=frozenset(args.clear or ()),
    )
    detail = service.update_recommendation(
        ctx.db, actor, args.subject, args.ref, changes, expected_version=args.if_version
    )
    if ctx.json:
        output.emit_json(detail)
    else:
        print(
            f"Recommendation {detail.short_id} of {detail.subject} is at version {detail.version}."
        )
    return 0


def cmd_submit(ctx: Context) -> int:
    args = ctx.args
    row = service.submit(
        ctx.db, ctx.actor(), args.subject, args.ref, expected_version=args.if_version
    )
    return _done(ctx, row)


def cmd_withdraw(ctx: Context) -> int:
    args = ctx.args
    row = service.withdraw(
        ctx.db, ctx.actor(), args.subject, args.ref, expected_version=args.if_version
    )
    return _done(ctx, row)


def cmd_approve(ctx: Context, approve: bool = True) -> int:
    args = ctx.args
    comment = text_of(ctx, "comment")
    row = service.decide(
        ctx.db,
        ctx.actor(),
        args.subject,
        args.ref,
        approve=approve,
        comment=comment,
        expected_version=args.if_version,
    )
    return _done(ctx, row)


def cmd_reject(ctx: Context) -> int:
    return cmd_approve(ctx, approve=False)


def cmd_show(ctx: Context) -> int:
    detail = service.get_recommendation(ctx.db, ctx.actor(), ctx.args.subject, ctx.args.ref)
    if ctx.json:
        output.emit_json(detail)
    else:
        _print_detail(detail)
    return 0


def cmd_list(ctx: Context) -> int:
    rows = service.list_recommendations(ctx.db, ctx.actor(), ctx.args.subject, team=ctx.args.team)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "subject", "team", "kind", "state", "proposed team", "date", "by", "version"],
        [
            (
                r.short_id,
                r.subject,
                r.team,
                r.kind.value,
                r.state.value,
                r.proposed_team,
                r.proposed_date,
                r.created_by,
                r.version,
            )
            for r in rows
        ],
    )
    return 0


def cmd_due(ctx: Context) -> int:
    today = iso_date(ctx.args.as_of, "date") if ctx.args.as_of else None
    actor = ctx.actor()
    items = service.due_items(ctx.db, actor, today or utcnow().date())
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due", "what", "id", "subject", "team"],
        [
            (
                f"{i.due_on:%Y-%m-%d}",
                i.kind,
                i.record_id.hex[:8],
                i.employee_no or "candidate",
                i.team,
            )
            for i in items
        ],
    )
    return 0


def cmd_hire(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.actor()
    rid = service.find_recommendation(ctx.db, args.subject, args.ref)
    hire = service.hire_candidate(
        ctx.db, actor, rid, args.employee_no, iso_date(args.hired, "hire date")
    )
    if ctx.json:
        output.emit_json(hire)
    else:
        who = f"Candidate {hire.candidate_id.hex[:8]}"
        print(f"{who} is now associate {hire.employee_no} of {hire.team}.")
    return 0
