"""`training` commands that read: an associate's training, one attempt, one admission,
compliance per team, and what is due (the inbox's training items)."""

from __future__ import annotations

import argparse
from datetime import date

from crmsup.cli import output
from crmsup.cli.context import Context
from crmsup.records.training import service as training
from crmsup.records.validation import iso_date


def _today(args: argparse.Namespace) -> date:
    return date.today() if args.as_of is None else iso_date(args.as_of, "date")


def cmd_list(ctx: Context) -> int:
    file = training.list_training(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(file)
        return 0
    print("Assignments:")
    output.table(
        ["id", "course", "title", "due", "state", "by", "closed", "version"],
        [
            (
                a.short_id,
                a.course,
                a.title,
                a.due_on,
                a.state.value,
                a.assigned_by,
                a.closed_on,
                a.version,
            )
            for a in file.assignments
        ],
    )
    print("\nCompletions:")
    output.table(
        ["id", "course", "title", "on", "result", "valid until", "version"],
        [
            (
                c.short_id,
                c.course,
                c.title,
                c.completed_on,
                "pass" if c.passed else "fail",
                c.expires_on,
                c.version,
            )
            for c in file.completions
        ],
    )
    print("\nAdmissions:")
    output.table(
        ["id", "project", "decided by", "at", "courses"],
        [
            (
                a.short_id,
                a.project,
                a.decided_by,
                f"{a.decided_at:%Y-%m-%d %H:%M}",
                ", ".join(a.courses),
            )
            for a in file.admissions
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    row = training.get_completion(ctx.db, ctx.actor(), args.employee_no, args.record)
    if ctx.json:
        output.emit_json(row)
        return 0
    output.fields(
        [
            ("completion", row.short_id),
            ("associate", row.employee_no),
            ("course", f"{row.course} ({row.title})"),
            ("on", row.completed_on),
            ("result", "pass" if row.passed else "fail"),
            ("valid until", row.expires_on),
            ("score", row.score),
            ("trainer", row.trainer),
            ("recorded by", row.recorded_by),
            ("version", row.version),
        ]
    )
    if row.notes:
        print(f"\nNotes:\n{row.notes}")
    return 0


def cmd_admission(ctx: Context) -> int:
    args = ctx.args
    made = training.get_admission(ctx.db, ctx.actor(), args.employee_no, args.record)
    if ctx.json:
        output.emit_json(made)
        return 0
    output.fields(
        [
            ("admission", made.short_id),
            ("associate", made.employee_no),
            ("project", made.project),
            ("decided by", made.decided_by),
            ("at", f"{made.decided_at:%Y-%m-%d %H:%M} UTC"),
            ("courses", ", ".join(made.courses)),
        ]
    )
    print(f"\nReason:\n{made.reason}")
    return 0


def cmd_compliance(ctx: Context) -> int:
    args = ctx.args
    report = training.compliance(
        ctx.db, ctx.actor(), _today(args), team=args.team, employee_no=args.employee
    )
    if ctx.json:
        output.emit_json(report)
        return 0
    print(f"Required training on {report.as_of:%Y-%m-%d}:")
    output.table(
        ["team", "associates", "compliant", "done", "expiring", "due", "overdue", "missing"],
        [
            (t.team, t.associates, t.compliant, t.done, t.expiring, t.due, t.overdue, t.missing)
            for t in report.teams
        ],
    )
    print()
    output.table(
        ["employee no", "team", "course", "status", "date"],
        [
            (a.employee_no, a.team, line.course, line.status.value, line.on)
            for a in report.associates
            for line in a.lines
        ],
    )
    return 0


def cmd_due(ctx: Context) -> int:
    today = _today(ctx.args)
    items = training.due_items(ctx.db, ctx.actor(), today)
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due", "what", "employee no", "team", "record", "overdue"],
        [
            (
                i.due_on,
                i.kind,
                i.employee_no,
                i.team,
                i.record_id.hex[:8],
                "yes" if i.overdue(today) else "",
            )
            for i in items
        ],
    )
    return 0
