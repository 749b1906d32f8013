"""`discipline` commands: an associate's discipline records from the command line.

Records are named by the associate's employee number and the record's id (its first 8 hex
digits are enough when they name one record). A change takes `--if-version V`, the version
`discipline list` or `show` printed: someone else's change since is refused (exit 3) and
nothing is written. Long texts come from a file (`--description-file F`) or an option.
Levels, the consistency report, due items and attachments: `discipline_more_commands`.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from crmsup.cli import discipline_more_commands as more
from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import (
    CLEAR,
    Acknowledged,
    DisciplineChanges,
    DisciplineDetail,
    DisciplineRow,
    NewDiscipline,
)
from crmsup.records.discipline.models import Acknowledgement, DisciplineCategory
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date

#: Narrative fields: option name, DTO field, what it is.
TEXTS = (
    ("description", "description", "the facts"),
    ("expectation", "expectation", "the policy or expectation breached"),
    ("improvement", "improvement", "the improvement expected"),
    ("consequences", "consequences", "the consequences of a repeat"),
    ("statement", "statement", "the associate's statement"),
    ("deviation-reason", "deviation_reason", "why not the suggested level"),
)


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    group = add_command(commands, "discipline", None, "progressive discipline records")
    actions = group.add_subparsers(dest="discipline_command", required=True, metavar="ACTION")

    listing = add_command(actions, "list", cmd_list, "an associate's records (no content)")
    listing.add_argument("employee_no", metavar="N")
    _as_of(listing)
    suggest = add_command(actions, "suggest", cmd_suggest, "the level to give next, and why")
    suggest.add_argument("employee_no", metavar="N")
    _category(suggest, required=True)
    _as_of(suggest)
    _record(add_command(actions, "show", cmd_show, "one record, decrypted (audited)"))

    create = add_command(actions, "add", cmd_add, "draft a record (level: the suggested one)")
    create.add_argument("employee_no", metavar="N")
    _category(create, required=True)
    _fields(create)
    _as_of(create)
    edit = _record(add_command(actions, "edit", cmd_edit, "change a draft"), version=True)
    _category(edit, required=False)
    _fields(edit)
    edit.add_argument("--clear-improve-by", action="store_true", help="remove the date")
    edit.add_argument("--clear-follow-up", action="store_true", help="remove the date")
    _record(add_command(actions, "delete", cmd_delete, "delete a draft"), version=True)

    _record(add_command(actions, "submit", cmd_submit, "ask for approval"), version=True)
    approve = _record(add_command(actions, "approve", cmd_approve, "approve (manager, HR)"), True)
    _text(approve, "comment", "a comment on the decision")
    back = _record(add_command(actions, "send-back", cmd_send_back, "return to draft"), True)
    _text(back, "comment", "why it is sent back", required=True)
    _record(add_command(actions, "issue", cmd_issue, "issue the record today"), version=True)
    ack = _record(add_command(actions, "acknowledge", cmd_acknowledge, "how it was received"), True)
    how = ack.add_mutually_exclusive_group(required=True)
    how.add_argument("--signed", metavar="YYYY-MM-DD", help="signed by the associate on")
    how.add_argument("--refused", metavar="YYYY-MM-DD", help="refused to sign on (--witness)")
    ack.add_argument("--witness", metavar="NAME", help="who witnessed the refusal")
    note = _record(add_command(actions, "annotate", cmd_annotate, "add a note to an issued one"))
    _text(note, "text", "the note", required=True)
    rescind = _record(add_command(actions, "rescind", cmd_rescind, "withdraw (manager, HR)"), True)
    _text(rescind, "reason", "why it is rescinded", required=True)
    more.register(actions, commands)


def _as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to work for (today)")


def _category(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--category", required=required, choices=[c.value for c in DisciplineCategory]
    )


def _record(parser: argparse.ArgumentParser, version: bool = False) -> argparse.ArgumentParser:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("record", metavar="RECORD", help="record id (8+ first hex digits)")
    if version:
        parser.add_argument(
            "--if-version", type=int, required=True, metavar="V", help="the version you read"
        )
    _as_of(parser)
    return parser


def _text(parser: argparse.ArgumentParser, name: str, what: str, required: bool = False) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(f"--{name}", metavar="TEXT", help=what)
    group.add_argument(f"--{name}-file", type=Path, metavar="FILE", help=f"{what}, from a file")


def _fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--level", metavar="NAME", help="the level (default: the suggested one)")
    parser.add_argument(
        "--incident", action="append", metavar="YYYY-MM-DD", help="incident date (repeatable)"
    )
    for option, _, what in TEXTS:
        _text(parser, option, what)
    parser.add_argument("--improve-by", metavar="YYYY-MM-DD", help="improvement expected by")
    parser.add_argument("--follow-up", metavar="YYYY-MM-DD", help="follow-up date")


def today(args: argparse.Namespace) -> date:
    return iso_date(args.as_of, "date of --as-of") if args.as_of else date.today()


def read_text(args: argparse.Namespace, name: str) -> str | None:
    """The text of `--NAME` or `--NAME-file` (UTF-8), or None when neither was given."""
    attr = name.replace("-", "_")
    file: Path | None = getattr(args, f"{attr}_file", None)
    if file is None:
        value: str | None = getattr(args, attr, None)
        return value
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ValidationFailed(f"cannot read {file}: {reason}") from None


def _date(value: str | None, what: str) -> date | None:
    return None if value is None else iso_date(value, what)


def cmd_list(ctx: Context) -> int:
    rows = discipline_service.list_records(
        ctx.db, ctx.actor(), ctx.args.employee_no, today(ctx.args)
    )
    if ctx.json:
        output.emit_json(rows)
    else:
        output.table(
            ["id", "category", "level", "state", "issued", "live until", "by", "version"],
            [_line(r) for r in rows],
        )
    return 0


def _line(r: DisciplineRow) -> tuple[object, ...]:
    by = r.issued_by or r.created_by
    until = "never" if r.issued_on and r.live_until is None else r.live_until
    return (r.short_id, r.category.value, r.level, r.state_today, r.issued_on, until, by, r.version)


def cmd_suggest(ctx: Context) -> int:
    args = ctx.args
    category = DisciplineCategory(args.category)
    found = discipline_service.suggest_level(
        ctx.db, ctx.actor(), args.employee_no, category, today(args)
    )
    if ctx.json:
        output.emit_json(found)
    elif found.highest_live is None:
        print(f"Suggested: {found.level.name} (no live {category.value} record).")
    else:
        print(
            f"Suggested: {found.level.name} (highest live {category.value} record: "
            f"{found.highest_live.name}, {len(found.live_records)} live)."
        )
    return 0


def _show(ctx: Context, detail: DisciplineDetail) -> None:
    if ctx.json:
        output.emit_json(detail)
        return
    r = detail.row
    output.fields(
        [
            ("record", f"{r.short_id} (version {r.version})"),
            ("associate", f"{r.employee_no} ({detail.team})"),
            ("category", r.category.value),
            ("level", r.level),
            ("state", r.state_today),
            ("incidents", ", ".join(d.isoformat() for d in detail.incident_dates)),
            ("description", detail.description),
            ("expectation", detail.expectation),
            ("improvement", detail.improvement),
            ("improve by", r.improve_by),
            ("consequences", detail.consequences),
            ("statement", detail.statement),
            ("deviation reason", detail.deviation_reason),
            ("follow-up", r.follow_up_on),
            ("created by", r.created_by),
            ("decided by", detail.decided_by),
            ("decision comment", detail.decision_comment),
            ("issued", r.issued_on and f"{r.issued_on} by {r.issued_by}"),
            ("live until", r.live_until),
            (
                "acknowledged",
                r.acknowledgement and f"{r.acknowledgement.value} {r.acknowledged_on}",
            ),
            ("witness", detail.witness),
            ("rescinded", detail.rescinded_by and f"{r.rescinded_on} by {detail.rescinded_by}"),
            ("rescind reason", detail.rescind_reason),
        ]
    )
    for n in detail.notes:
        print(f"note {n.at:%Y-%m-%d %H:%M} {n.author}: {n.text}")
    for a in detail.attachments:
        print(f"attachment {a.short_id}: {a.filename} ({a.media_type}, {a.size} bytes)")


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    detail = discipline_service.get_record(
        ctx.db, ctx.actor(), args.employee_no, args.record, today(args)
    )
    _show(ctx, detail)
    return 0


def _incidents(args: argparse.Namespace) -> tuple[date, ...] | None:
    if not args.incident:
        return None
    return tuple(iso_date(d, "incident date") for d in args.incident)


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    day = today(args)
    category = DisciplineCategory(args.category)
    texts = {field: read_text(args, option) for option, field, _ in TEXTS}
    actor = ctx.actor()
    if args.level is None:
        suggested = discipline_service.suggest_level(ctx.db, actor, args.employee_no, category, day)
        level = suggested.level.id
    else:
        level = more.level_named(ctx, actor, args.level).id
    new = NewDiscipline(
        category=category,
        level_id=level,
        incident_dates=_incidents(args) or (),
        description=texts["description"] or "",
        expectation=texts["expectation"],
        improvement=texts["improvement"],
        improve_by=_date(args.improve_by, "improve-by date"),
        consequences=texts["consequences"],
        statement=texts["statement"],
        follow_up_on=_date(args.follow_up, "follow-up date"),
        deviation_reason=texts["deviation_reason"],
    )
    _show(ctx, discipline_service.create_record(ctx.db, actor, args.employee_no, new, day))
    return 0


def cmd_edit(ctx: Context) -> int:
    args = ctx.args
    texts = {field: read_text(args, option) for option, field, _ in TEXTS}
    improve = CLEAR if args.clear_improve_by else _date(args.improve_by, "improve-by date")
    follow = CLEAR if args.clear_follow_up else _date(args.follow_up, "follow-up date")
    actor = ctx.actor()
    changes = DisciplineChanges(
        category=None if args.category is None else DisciplineCategory(args.category),
        level_id=None if args.level is None else more.level_named(ctx, actor, args.level).id,
        incident_dates=_incidents(args),
        description=texts["description"],
        expectation=texts["expectation"],
        improvement=texts["improvement"],
        improve_by=improve,
        consequences=texts["consequences"],
        statement=texts["statement"],
        follow_up_on=follow,
        deviation_reason=texts["deviation_reason"],
    )
    detail = discipline_service.update_draft(
        ctx.db,
        actor,
        args.employee_no,
        args.record,
        changes,
        expected_version=args.if_version,
        today=today(args),
    )
    _show(ctx, detail)
    return 0


def cmd_delete(ctx: Context) -> int:
    args = ctx.args
    discipline_service.delete_draft(
        ctx.db, ctx.actor(), args.employee_no, args.record, expected_version=args.if_version
    )
    if ctx.json:
        output.emit_json({"employee_no": args.employee_no, "record": args.record, "deleted": True})
    else:
        print(f"Draft {args.record} of {args.employee_no} deleted.")
    return 0


def _done(ctx: Context, row: DisciplineRow, what: str) -> int:
    if ctx.json:
        output.emit_json(row)
    else:
        print(
            f"Record {row.short_id} of {row.employee_no} {what}: now {row.state_today}, "
            f"version {row.version}."
        )
    return 0


def cmd_submit(ctx: Context) -> int:
    a = ctx.args
    row = workflow.submit(
        ctx.db, ctx.actor(), a.employee_no, a.record, expected_version=a.if_version, today=today(a)
    )
    return _done(ctx, row, "submitted for approval")


def cmd_approve(ctx: Context) -> int:
    a = ctx.args
    row = workflow.approve(
        ctx.db,
        ctx.actor(),
        a.employee_no,
        a.record,
        expected_version=a.if_version,
        today=today(a),
        comment=read_text(a, "comment"),
    )
    return _done(ctx, row, "approved")


def cmd_send_back(ctx: Context) -> int:
    a = ctx.args
    row = workflow.send_back(
        ctx.db,
        ctx.actor(),
        a.employee_no,
        a.record,
        read_text(a, "comment") or "",
        expected_version=a.if_version,
        today=today(a),
    )
    return _done(ctx, row, "sent back")


def cmd_issue(ctx: Context) -> int:
    a = ctx.args
    row = workflow.issue(
        ctx.db, ctx.actor(), a.employee_no, a.record, expected_version=a.if_version, today=today(a)
    )
    return _done(ctx, row, "issued")


def cmd_acknowledge(ctx: Context) -> int:
    a = ctx.args
    if a.signed:
        ack = Acknowledged(Acknowledgement.SIGNED, iso_date(a.signed, "date signed"), a.witness)
    else:
        ack = Acknowledged(Acknowledgement.REFUSED, iso_date(a.refused, "date"), a.witness)
    row = workflow.acknowledge(
        ctx.db,
        ctx.actor(),
        a.employee_no,
        a.record,
        ack,
        expected_version=a.if_version,
        today=today(a),
    )
    return _done(ctx, row, "acknowledged")


def cmd_annotate(ctx: Context) -> int:
    a = ctx.args
    note = workflow.annotate(
        ctx.db, ctx.actor(), a.employee_no, a.record, read_text(a, "text") or ""
    )
    if ctx.json:
        output.emit_json(note)
    else:
        print(f"Note added to record {a.record} of {a.employee_no}.")
    return 0


def cmd_rescind(ctx: Context) -> int:
    a = ctx.args
    row = workflow.rescind(
        ctx.db,
        ctx.actor(),
        a.employee_no,
        a.record,
        read_text(a, "reason") or "",
        expected_version=a.if_version,
        today=today(a),
    )
    return _done(ctx, row, "rescinded")
