"""`retention`, `legal-hold`, `erase` and `associate status`: keeping records no longer than
needed. Every listing names associates by employee number and team, never by name."""

from __future__ import annotations

import argparse

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.models import AssociateStatus
from crmsup.records.people import status as status_service
from crmsup.records.upkeep import erasure as erasure_service
from crmsup.records.upkeep import retention as retention_service
from crmsup.records.upkeep.retention import RecordKind, RetentionReport
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    retention = add_command(commands, "retention", None, "how long records are kept (HR)")
    actions = retention.add_subparsers(dest="retention_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_retention_list, "the period of every record kind")
    set_ = add_command(actions, "set", cmd_retention_set, "set the period of one record kind")
    set_.add_argument("kind", metavar="KIND", choices=[k.value for k in RecordKind])
    set_.add_argument("months", metavar="MONTHS", type=int)
    set_.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")
    report = add_command(actions, "report", cmd_retention_report, "associates due for erasure")
    report.add_argument("--as-of", metavar="YYYY-MM-DD", help="due by this date (default today)")

    hold = add_command(commands, "legal-hold", None, "keep a file from erasure (HR)")
    hold_actions = hold.add_subparsers(dest="hold_command", required=True, metavar="ACTION")
    for name, handler, text in (
        ("set", cmd_hold_set, "put an associate's file on legal hold"),
        ("clear", cmd_hold_clear, "release an associate's file from legal hold"),
    ):
        add_command(hold_actions, name, handler, text).add_argument("employee_no", metavar="N")

    erase = add_command(commands, "erase", None, "erase records for good (HR, password again)")
    erase_what = erase.add_subparsers(dest="erase_command", required=True, metavar="WHAT")
    associate = add_command(
        erase_what,
        "associate",
        cmd_erase_associate,
        "destroy a terminated associate's data key and encrypted fields; a tombstone remains",
    )
    associate.add_argument("employee_no", metavar="N")
    associate.add_argument(
        "--early", action="store_true", help="erase before the retention period has run out"
    )

    status = add_command(
        _subcommands_of(commands, "associate"),
        "status",
        cmd_associate_status,
        "set an associate's status: active, leave, or terminated --date D (HR, site manager)",
    )
    status.add_argument("employee_no", metavar="N")
    status.add_argument("status", choices=[s.value for s in AssociateStatus])
    status.add_argument("--date", metavar="YYYY-MM-DD", help="termination date")
    status.add_argument(
        "--if-version", type=int, metavar="V", help="refuse if changed since version V was read"
    )


def _subcommands_of(commands: Commands, name: str) -> Commands:
    """The group of sub-commands of a command declared elsewhere (`associate`, parser.py)."""
    for action in commands.choices[name]._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"the {name} command has no sub-commands")


def cmd_retention_list(ctx: Context) -> int:
    rows = retention_service.list_policies(ctx.db, ctx.actor())
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["kind", "months", "default", "set by", "set at"],
        [
            (
                r.kind.value,
                r.months,
                r.default_months,
                r.set_by,
                r.set_at and f"{r.set_at:%Y-%m-%d %H:%M}",
            )
            for r in rows
        ],
    )
    return 0


def cmd_retention_set(ctx: Context) -> int:
    args = ctx.args
    row = retention_service.set_policy(
        ctx.db, ctx.actor(), args.kind, args.months, expected_version=args.if_version
    )
    if ctx.json:
        output.emit_json(row)
    else:
        print(f"Records of kind {row.kind.value} are kept {row.months} months.")
    return 0


def _print_report(report: RetentionReport) -> None:
    print(
        f"Associate files are kept {report.months} months after the termination date. "
        f"Due by {report.today:%Y-%m-%d}: {len(report.due)}."
    )
    if report.due:
        output.table(
            ["employee no", "team", "terminated", "due"],
            [(d.employee_no, d.team, d.termination_date, d.due_date) for d in report.due],
        )
    if report.held:
        numbers = ", ".join(d.employee_no for d in report.held)
        print(f"Also due, but kept by a legal hold: {numbers}.")


def cmd_retention_report(ctx: Context) -> int:
    today = iso_date(ctx.args.as_of, "date") if ctx.args.as_of else None
    report = retention_service.report(ctx.db, ctx.actor(), today=today)
    if ctx.json:
        output.emit_json(report)
    else:
        _print_report(report)
    return 0


def cmd_hold_set(ctx: Context, held: bool = True) -> int:
    number = ctx.args.employee_no
    changed = retention_service.set_legal_hold(ctx.db, ctx.actor(), number, held)
    if ctx.json:
        output.emit_json({"employee_no": number, "legal_hold": held, "changed": changed})
    else:
        state = "on legal hold" if held else "not on legal hold"
        print(f"Associate {number} is {'now' if changed else 'already'} {state}.")
    return 0


def cmd_hold_clear(ctx: Context) -> int:
    return cmd_hold_set(ctx, held=False)


def cmd_erase_associate(ctx: Context) -> int:
    """The password is asked for again (the service re-authenticates before erasing)."""
    args = ctx.args
    actor = ctx.actor()
    erasure_service.check_erasable(ctx.db, actor, args.employee_no, early=args.early)
    erased = erasure_service.erase_associate(
        ctx.db, actor, args.employee_no, ctx.password(), early=args.early
    )
    if ctx.json:
        output.emit_json(erased)
    else:
        print(
            f"Associate {erased.employee_no} ({erased.team}) is erased: the data key is "
            "destroyed and the encrypted fields are emptied; a tombstone keeps the employee "
            "number, team and dates."
        )
    if not erased.residue_cleared:
        output.note(
            "Superseded copies could not be cleared at once (another connection holds the "
            "database); they go when the last crmsup using it closes, or when the database "
            "owner runs VACUUM FULL associate_keys (PostgreSQL)."
        )
    return 0


def cmd_associate_status(ctx: Context) -> int:
    args = ctx.args
    ended = iso_date(args.date, "termination date") if args.date else None
    change = status_service.set_status(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        AssociateStatus(args.status),
        termination_date=ended,
        expected_version=args.if_version,
    )
    if ctx.json:
        output.emit_json(change)
    elif not change.changed:
        print(f"Associate {change.employee_no} was already {change.status.value}; no change.")
    else:
        when = f" on {change.termination_date:%Y-%m-%d}" if change.termination_date else ""
        print(f"Associate {change.employee_no} is now {change.status.value}{when}.")
    return 0
