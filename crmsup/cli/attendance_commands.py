"""`crmsup-admin attendance …` (events, points, HR's points settings, what is due) and, from
`crmsup.cli.pto_commands`, `crmsup-admin pto …`.

An event is addressed by the associate's employee number and the first 8 hex digits of its
id (`attendance list N` shows them). Notes come from a file (`--notes-file F`) or an option;
`--if-version V` refuses a change when someone changed the record since version V was read.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from pathlib import Path

from crmsup.cli import output, pto_commands
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.pto_commands import hours
from crmsup.cli.review_template_commands import read_text
from crmsup.records.attendance import service as attendance_service
from crmsup.records.attendance import settings as attendance_rules_service
from crmsup.records.attendance.dto import EventChanges, EventDetail, NewEvent
from crmsup.records.attendance.models import AttendanceKind
from crmsup.records.attendance.settings import PointRules
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date

_KINDS = [k.value for k in AttendanceKind]


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser (and `pto`'s)."""
    attendance = add_command(commands, "attendance", None, "attendance events and points")
    actions = attendance.add_subparsers(dest="attendance_command", required=True, metavar="ACTION")

    add = add_command(actions, "add", cmd_add, "record an attendance event")
    add.add_argument("employee_no", metavar="N")
    add.add_argument("--kind", required=True, choices=_KINDS)
    add.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="the day it happened")
    _event_options(add)

    listing = add_command(actions, "list", cmd_list, "an associate's events, newest first")
    listing.add_argument("employee_no", metavar="N")
    listing.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    listing.add_argument("--to", dest="end", metavar="YYYY-MM-DD")

    show = add_command(actions, "show", cmd_show, "one event, with its notes")
    show.add_argument("employee_no", metavar="N")
    show.add_argument("event", metavar="ID", help="the event's id or its first 8 hex digits")

    update = add_command(actions, "update", cmd_update, "correct an event")
    update.add_argument("employee_no", metavar="N")
    update.add_argument("event", metavar="ID")
    update.add_argument("--kind", choices=_KINDS)
    update.add_argument("--on", metavar="YYYY-MM-DD")
    _event_options(update)
    update.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")

    points = add_command(actions, "points", cmd_points, "attendance points and what they call for")
    points.add_argument("employee_no", metavar="N")
    points.add_argument("--on", metavar="YYYY-MM-DD", help="as of this day (default today)")

    rules = add_command(actions, "rules", None, "the points settings (HR sets them)")
    steps = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    add_command(steps, "show", cmd_rules_show, "the points settings in force")
    change = add_command(steps, "set", cmd_rules_set, "set points, window and thresholds")
    change.add_argument("--window-days", type=int, metavar="D")
    change.add_argument(
        "--points", action="append", default=[], metavar="KIND=P", help="repeatable"
    )
    change.add_argument(
        "--threshold", action="append", default=[], metavar="T", help="repeatable; replaces all"
    )
    change.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")

    due = add_command(actions, "due", cmd_due, "attendance and PTO items due (your inbox)")
    due.add_argument("--as-of", metavar="YYYY-MM-DD", help="as of this day (default today)")

    pto_commands.register(commands)


def _event_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=int, metavar="M", help="late arrival, early leave")
    parser.add_argument("--hours", metavar="H", help="PTO taken")
    notes = parser.add_mutually_exclusive_group()
    notes.add_argument("--notes", metavar="TEXT", help='"" clears them')
    notes.add_argument("--notes-file", type=Path, metavar="F")


def day(value: str | None, what: str) -> date:
    return date.today() if value is None else iso_date(value, what)


def text_option(text: str | None, path: Path | None) -> str | None:
    return read_text(path) if path is not None else text


def _done(ctx: Context, event: EventDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(event)
    else:
        print(
            f"Event {event.short_id} of {event.employee_no} {what} "
            f"({event.kind.value} on {event.occurred_on}, version {event.version})."
        )
    return 0


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    new = NewEvent(
        AttendanceKind(args.kind),
        iso_date(args.on, "day"),
        args.minutes,
        hours(args.hours),
        text_option(args.notes, args.notes_file),
    )
    event = attendance_service.record_event(
        ctx.db, ctx.actor(), args.employee_no, new, today=date.today()
    )
    return _done(ctx, event, "recorded")


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    changes = EventChanges(
        kind=None if args.kind is None else AttendanceKind(args.kind),
        occurred_on=None if args.on is None else iso_date(args.on, "day"),
        minutes=args.minutes,
        hours=hours(args.hours),
        notes=text_option(args.notes, args.notes_file),
    )
    event = attendance_service.update_event(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.event,
        changes,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _done(ctx, event, "saved")


def cmd_list(ctx: Context) -> int:
    args = ctx.args
    rows = attendance_service.list_events(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        start=None if args.start is None else iso_date(args.start, "first day"),
        end=None if args.end is None else iso_date(args.end, "last day"),
    )
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "day", "kind", "minutes", "hours", "recorded by", "version"],
        [
            (r.short_id, r.occurred_on, r.kind.value, r.minutes, r.hours, r.recorded_by, r.version)
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    event = attendance_service.get_event(ctx.db, ctx.actor(), args.employee_no, args.event)
    if ctx.json:
        output.emit_json(event)
        return 0
    output.fields(
        [
            ("event", event.short_id),
            ("associate", event.employee_no),
            ("kind", event.kind.value),
            ("day", event.occurred_on),
            ("minutes", event.minutes),
            ("hours", event.hours),
            ("recorded", f"{event.recorded_at:%Y-%m-%d %H:%M} UTC by {event.recorded_by}"),
            ("version", event.version),
        ]
    )
    if event.notes:
        print(f"\nNotes:\n{event.notes}")
    return 0


def cmd_points(ctx: Context) -> int:
    args = ctx.args
    standing = attendance_service.points(ctx.db, ctx.actor(), args.employee_no, day(args.on, "day"))
    if ctx.json:
        output.emit_json(standing)
        return 0
    thresholds = ", ".join(str(t) for t in standing.thresholds)
    print(
        f"{standing.employee_no}: {standing.points} points on {standing.day} "
        f"(window {standing.window_days} days; thresholds {thresholds})"
    )
    output.table(
        ["event", "day", "kind", "points", "counts until"],
        [
            (c.id.hex[:8], c.occurred_on, c.kind.value, c.points, c.counts_until)
            for c in standing.counted
        ],
    )
    if standing.threshold is not None:
        print(f"\nThreshold {standing.threshold} crossed on {standing.crossed_on}.")
    if standing.answered_by is not None:
        print(f"Answered by discipline record {standing.answered_by.hex[:8]}.")
    elif standing.suggestion is not None:
        print(f"Suggested attendance step: {standing.suggestion.level.name} (you decide).")
    return 0


def _print_rules(ctx: Context, rules: PointRules) -> int:
    if ctx.json:
        output.emit_json(rules)
        return 0
    print(f"window: {rules.window_days} days (version {rules.version})")
    print("thresholds: " + ", ".join(str(t) for t in rules.thresholds))
    output.table(["kind", "points"], [(k.value, p) for k, p in rules.points.items()])
    return 0


def cmd_rules_show(ctx: Context) -> int:
    return _print_rules(ctx, attendance_rules_service.point_rules(ctx.db, ctx.actor()))


def cmd_rules_set(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    current = attendance_rules_service.point_rules(ctx.db, actor)
    points: dict[str, str | Decimal] = {k.value: p for k, p in current.points.items()}
    for pair in args.points:
        kind, sep, value = pair.partition("=")
        if not sep:
            raise ValidationFailed("--points takes KIND=POINTS, such as late_arrival=0.5")
        points[kind.strip()] = value.strip()
    thresholds = args.threshold or [str(t) for t in current.thresholds]
    rules = attendance_rules_service.set_point_rules(
        ctx.db,
        actor,
        args.window_days or current.window_days,
        points,
        thresholds,
        expected_version=args.if_version,
    )
    return _print_rules(ctx, rules)


def cmd_due(ctx: Context) -> int:
    items = attendance_service.due_items(ctx.db, ctx.actor(), day(ctx.args.as_of, "day"))
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due", "what", "associate", "team", "record"],
        [(i.due_on, i.kind, i.employee_no, i.team, i.record_id.hex[:8]) for i in items],
    )
    return 0
