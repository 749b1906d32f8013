"""`policy` commands: publishing policies, acknowledging them, and who has not; and, through
`note_commands`, the `note` commands (notes, feedback and client claims).

A policy is addressed by its title (any case), a version by `--number`; without it, the
version in force today (for a retired policy, the one in force on its last day). Long texts
come from a file (`--body-file F`, `--reason-file F`) or an option.
"""

from __future__ import annotations

import argparse
import mimetypes
from datetime import date
from pathlib import Path

from crmsup.cli import note_commands, output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.errors import ValidationFailed
from crmsup.records.notes import service as note_service
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.dto import AckSettings, NewVersion, PolicyRetirement, PolicyVersionInfo
from crmsup.records.types import utcnow
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare `policy` and `note` on the `crmsup-admin` parser."""
    policy = add_command(commands, "policy", None, "policies and their acknowledgement")
    actions = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_list, "every policy and its version in force").add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="in force on this day (default today)"
    )
    show = add_command(actions, "show", cmd_show, "a policy's text")
    _title(show)
    show.add_argument("--as-of", metavar="YYYY-MM-DD", help="in force on this day")
    show.add_argument("--save-document", type=Path, metavar="F", help="write its document to F")

    publish = add_command(actions, "publish", cmd_publish, "publish a policy or a new version (HR)")
    publish.add_argument("title", metavar="TITLE")
    publish.add_argument("--effective", required=True, metavar="YYYY-MM-DD")
    body = publish.add_mutually_exclusive_group()
    body.add_argument("--body", metavar="TEXT")
    body.add_argument("--body-file", type=Path, metavar="F")
    publish.add_argument("--document", type=Path, metavar="F", help="attach this file")

    retire = add_command(
        actions, "retire", cmd_retire, "retire a policy that no longer applies (HR)"
    )
    retire.add_argument("title", metavar="TITLE")
    retire.add_argument("--on", metavar="YYYY-MM-DD", help="from this day (default today)")
    reason = retire.add_mutually_exclusive_group(required=True)
    reason.add_argument("--reason", metavar="TEXT")
    reason.add_argument("--reason-file", type=Path, metavar="F")

    acknowledge = add_command(
        actions, "acknowledge", cmd_acknowledge, "acknowledge a policy yourself"
    )
    _title(acknowledge)
    track = add_command(actions, "track", cmd_track, "record an associate's acknowledgement")
    track.add_argument("employee_no", metavar="N")
    _title(track)
    track.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="when they did")
    add_command(actions, "acks", cmd_acks, "what an associate has acknowledged").add_argument(
        "employee_no", metavar="N"
    )
    add_command(actions, "outstanding", cmd_outstanding, "who has not acknowledged yet")
    add_command(actions, "due", cmd_due, "acknowledgements and claims due (your inbox)")

    settings = add_command(
        actions, "settings", cmd_settings, "show or change the acknowledgement window (HR)"
    )
    settings.add_argument("--window-minutes", type=int, metavar="M", help="business minutes")
    settings.add_argument("--zone", metavar="ZONE", help="IANA time zone, say Europe/Paris")
    settings.add_argument("--opens", metavar="HH:MM")
    settings.add_argument("--closes", metavar="HH:MM")
    settings.add_argument("--if-version", type=int, metavar="V")

    note_commands.register(commands)


def _title(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", metavar="TITLE")
    parser.add_argument("--number", type=int, metavar="V", help="this version")


def _today(value: str | None) -> date:
    return date.today() if value is None else iso_date(value, "date")


def _minute(value: str, what: str) -> int:
    hours, sep, minutes = value.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValidationFailed(f"the {what} time is written HH:MM")
    return int(hours) * 60 + int(minutes)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _print_version(v: PolicyVersionInfo) -> None:
    output.fields(
        [
            ("policy", v.title),
            ("version", f"{v.number}{' (in force)' if v.current else ''}"),
            ("effective", v.effective_on),
            ("published", f"{v.published_at:%Y-%m-%d %H:%M} UTC by {v.published_by}"),
            ("acknowledge by", f"{v.acknowledge_by:%Y-%m-%d %H:%M} UTC"),
            ("document", v.document_name and f"{v.document_name} ({v.document_size} bytes)"),
            *_retirement_fields(v.retirement),
        ]
    )
    if v.body:
        print(f"\n{v.body}")


def _retirement_fields(r: PolicyRetirement | None) -> list[tuple[str, object]]:
    if r is None:
        return []
    return [
        ("retired from", r.retired_on),
        ("retired", f"{r.retired_at:%Y-%m-%d %H:%M} UTC by {r.retired_by}"),
        ("reason", r.reason),
    ]


def cmd_list(ctx: Context) -> int:
    rows = policy_service.list_policies(ctx.db, ctx.actor(), _today(ctx.args.as_of))
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["policy", "in force", "effective", "newest", "you acknowledged", "retired from"],
        [
            (
                r.title,
                r.current and r.current.number,
                r.current and r.current.effective_on,
                r.latest.number,
                r.acknowledged_at and f"{r.acknowledged_at:%Y-%m-%d %H:%M}",
                r.retirement and r.retirement.retired_on,
            )
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    version = policy_service.get_policy(ctx.db, actor, args.title, _today(args.as_of), args.number)
    if args.save_document is not None:
        document = policy_service.get_document(ctx.db, actor, version.id)
        args.save_document.write_bytes(document.content)
    if ctx.json:
        output.emit_json(version)
    else:
        _print_version(version)
    return 0


def cmd_publish(ctx: Context) -> int:
    args = ctx.args
    body = read_text(args.body_file) if args.body_file else args.body
    document, name, media = None, None, "application/octet-stream"
    if args.document is not None:
        try:
            document = args.document.read_bytes()
        except OSError as exc:
            raise ValidationFailed(
                f"cannot read {args.document}: {exc.__class__.__name__}"
            ) from None
        name = args.document.name
        media = mimetypes.guess_type(name)[0] or media
    new = NewVersion(
        args.title, iso_date(args.effective, "effective date"), body, document, name, media
    )
    version = policy_service.publish(ctx.db, ctx.actor(), new)
    if ctx.json:
        output.emit_json(version)
    else:
        print(
            f"Policy {version.title!r} version {version.number} published; acknowledge by "
            f"{version.acknowledge_by:%Y-%m-%d %H:%M} UTC."
        )
    return 0


def cmd_retire(ctx: Context) -> int:
    args = ctx.args
    reason = read_text(args.reason_file) if args.reason_file else args.reason
    on = None if args.on is None else iso_date(args.on, "retirement date")
    retirement = policy_service.retire(ctx.db, ctx.actor(), args.title, on, reason)
    if ctx.json:
        output.emit_json(retirement)
    else:
        print(
            f"Policy {args.title.strip()!r} retired from {retirement.retired_on:%Y-%m-%d}: "
            "no one is asked to acknowledge it from that day."
        )
    return 0


def cmd_acknowledge(ctx: Context) -> int:
    args = ctx.args
    ack = policy_service.acknowledge(ctx.db, ctx.actor(), args.title, number=args.number)
    if ctx.json:
        output.emit_json(ack)
    else:
        print(
            f"You acknowledged {ack.title!r} version {ack.number}{' (late)' if ack.late else ''}."
        )
    return 0


def cmd_track(ctx: Context) -> int:
    args = ctx.args
    ack = policy_service.record_associate_acknowledgement(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.title,
        acknowledged_on=iso_date(args.date, "acknowledgement date"),
        today=date.today(),
        number=args.number,
    )
    if ctx.json:
        output.emit_json(ack)
    else:
        print(f"{ack.employee_no} acknowledged {ack.title!r} version {ack.number}.")
    return 0


def cmd_acks(ctx: Context) -> int:
    rows = policy_service.associate_acknowledgements(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["policy", "version", "acknowledged", "recorded by"],
        [(r.title, r.number, r.acknowledged_on, r.recorded_by) for r in rows],
    )
    return 0


def cmd_outstanding(ctx: Context) -> int:
    found = policy_service.outstanding(ctx.db, ctx.actor(), utcnow())
    if ctx.json:
        output.emit_json(found)
        return 0
    print(f"Accounts that have not acknowledged: {len(found.users)}.")
    output.table(
        ["user", "role", "policy", "version", "due (UTC)", "overdue"],
        [
            (
                u.username,
                u.role.value,
                u.title,
                u.number,
                f"{u.acknowledge_by:%Y-%m-%d %H:%M}",
                "yes" if u.overdue else "",
            )
            for u in found.users
        ],
    )
    print(f"\nAssociates who have not acknowledged: {len(found.associates)}.")
    output.table(
        ["team", "employee no", "policy", "version"],
        [(a.team, a.employee_no, a.title, a.number) for a in found.associates],
    )
    return 0


def cmd_due(ctx: Context) -> int:
    now = utcnow()
    actor = ctx.actor()
    items = sorted(
        (
            *policy_service.due_items(ctx.db, actor, now),
            *note_service.due_items(ctx.db, actor, now),
        ),
        key=lambda i: (i.due_at or now, i.kind, i.employee_no or ""),
    )
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due (UTC)", "what", "employee no", "team", "record", "overdue"],
        [
            (
                i.due_at and f"{i.due_at:%Y-%m-%d %H:%M}",
                i.kind,
                i.employee_no,
                i.team,
                i.record_id.hex[:8],
                "yes" if i.overdue(now.date(), now) else "",
            )
            for i in items
        ],
    )
    return 0


def cmd_settings(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    changes = (args.window_minutes, args.zone, args.opens, args.closes)
    current = policy_service.get_settings(ctx.db, actor)
    if any(value is not None for value in changes):
        current = policy_service.set_settings(
            ctx.db,
            actor,
            ack_minutes=current.ack_minutes if args.window_minutes is None else args.window_minutes,
            time_zone=args.zone or current.time_zone,
            opens_minute=current.opens_minute
            if args.opens is None
            else _minute(args.opens, "opening"),
            closes_minute=(
                current.closes_minute if args.closes is None else _minute(args.closes, "closing")
            ),
            expected_version=args.if_version,
        )
    _emit_settings(ctx, current)
    return 0


def _emit_settings(ctx: Context, s: AckSettings) -> None:
    if ctx.json:
        output.emit_json(s)
        return
    output.fields(
        [
            ("window", f"{s.ack_minutes} business minutes"),
            ("business hours", f"Mon-Fri {_hhmm(s.opens_minute)}-{_hhmm(s.closes_minute)}"),
            ("time zone", s.time_zone),
            ("version", s.version),
        ]
    )
