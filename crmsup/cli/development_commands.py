"""`development` commands: an associate's monthly development plans and weekly updates.

A plan or an update is addressed by the associate's employee number and the first 8 hex digits
of its id (`development list N` and `development show N ID` show them). Goals come one per
`--goal` or one per line of `--goals-file F`; long texts from `--…-file F` or an option;
`--if-version V` refuses a change when someone changed the record since version V was read.
This module also registers `coaching` and `scorecard` (`coaching_commands`,
`development_scorecard_commands`).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from crmsup.cli import coaching_commands, development_scorecard_commands, output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.development_inputs import text_option, text_options
from crmsup.cli.review_template_commands import read_text
from crmsup.records.development import service as plans
from crmsup.records.development.dto import NewPlan, PlanDetail, WeeklyUpdate
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare `development`, `coaching` and `scorecard` on the `crmsup-admin` parser."""
    dev = add_command(commands, "development", None, "monthly development plans and updates")
    actions = dev.add_subparsers(dest="development_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_list, "an associate's plans").add_argument(
        "employee_no", metavar="N"
    )
    _ref(add_command(actions, "show", cmd_show, "one plan with its weekly updates"))
    add = add_command(actions, "add", cmd_add, "open a draft plan for a month")
    add.add_argument("employee_no", metavar="N")
    add.add_argument("--month", required=True, metavar="YYYY-MM")
    _goal_options(add)
    goals = add_command(actions, "goals", cmd_goals, "replace the goals of a draft or active plan")
    _ref(goals, locking=True)
    _goal_options(goals)
    _ref(add_command(actions, "activate", cmd_activate, "start a draft plan"), locking=True)
    close = add_command(actions, "close", cmd_close, "close an active plan with its outcome")
    _ref(close, locking=True)
    text_options(close, "outcome", required=True)
    update = add_command(actions, "update", cmd_update, "write the weekly update of a week")
    _ref(update)
    update.add_argument("--week", required=True, metavar="YYYY-MM-DD", help="the week's Monday")
    text_options(update, "text", required=True)
    edit = add_command(actions, "edit-update", cmd_edit_update, "rewrite a weekly update")
    edit.add_argument("employee_no", metavar="N")
    edit.add_argument("update", metavar="ID", help="the update's id or its first 8 hex digits")
    edit.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")
    text_options(edit, "text", required=True)
    add_command(actions, "due", cmd_due, "updates and plans due (your inbox)").add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="as of this day (default today)"
    )
    coaching_commands.register(commands)
    development_scorecard_commands.register(commands)


def _ref(parser: argparse.ArgumentParser, *, locking: bool = False) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("plan", metavar="ID", help="the plan's id or its first 8 hex digits")
    if locking:
        parser.add_argument(
            "--if-version", type=int, metavar="V", help="refuse if changed since version V"
        )


def _goal_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--goal", action="append", metavar="TEXT", help="a goal (repeatable)")
    group.add_argument("--goals-file", type=Path, metavar="F", help="one goal per line")


def _goals(args: argparse.Namespace) -> tuple[str, ...]:
    if args.goals_file is not None:
        return tuple(read_text(args.goals_file).splitlines())
    return tuple(args.goal)


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value.strip()}-01")
    except ValueError:
        raise ValidationFailed("the month must be written YYYY-MM") from None


# ---- outputs -----------------------------------------------------------------------------


def _print_plan(plan: PlanDetail) -> None:
    output.fields(
        [
            ("plan", plan.short_id),
            ("associate", f"{plan.employee_no} ({plan.team})"),
            ("month", f"{plan.month:%Y-%m}"),
            ("state", plan.state.value),
            ("created by", plan.created_by),
            ("closed", plan.closed_on and f"{plan.closed_on} by {plan.closed_by}"),
            ("version", plan.version),
        ]
    )
    print("\nGoals:")
    for n, goal in enumerate(plan.goals, start=1):
        print(f"  {n}. {goal}")
    written = {u.week_of: u for u in plan.updates}
    print()
    output.table(
        ["week of", "update", "by", "version", "text"],
        [
            (week, *(_update_cells(written[week]) if week in written else ("", "", "", "")))
            for week in plan.weeks
        ],
    )
    if plan.outcome:
        print(f"\nOutcome:\n{plan.outcome}")


def _update_cells(update: WeeklyUpdate) -> tuple[object, ...]:
    return (update.short_id, update.written_by, update.version, update.text)


def _done(ctx: Context, plan: PlanDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(plan)
    else:
        print(
            f"Plan {plan.short_id} of {plan.employee_no} for {plan.month:%Y-%m} {what} "
            f"({plan.state.value}, version {plan.version})."
        )
    return 0


def _update_done(ctx: Context, update: WeeklyUpdate, employee_no: str) -> int:
    if ctx.json:
        output.emit_json(update)
    else:
        print(
            f"Update {update.short_id} of {employee_no} for the week of {update.week_of} saved "
            f"(version {update.version})."
        )
    return 0


# ---- handlers ----------------------------------------------------------------------------


def cmd_list(ctx: Context) -> int:
    rows = plans.list_plans(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "month", "state", "updates", "closed", "version"],
        [
            (r.short_id, f"{r.month:%Y-%m}", r.state.value, r.updates, r.closed_on, r.version)
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    plan = plans.get_plan(ctx.db, ctx.actor(), ctx.args.employee_no, ctx.args.plan)
    if ctx.json:
        output.emit_json(plan)
    else:
        _print_plan(plan)
    return 0


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    new = NewPlan(_month(args.month), _goals(args))
    plan = plans.create_plan(ctx.db, ctx.actor(), args.employee_no, new, today=date.today())
    return _done(ctx, plan, "opened")


def cmd_goals(ctx: Context) -> int:
    args = ctx.args
    plan = plans.update_plan(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.plan,
        goals=_goals(args),
        expected_version=args.if_version,
    )
    return _done(ctx, plan, "saved")


def cmd_activate(ctx: Context) -> int:
    args = ctx.args
    plan = plans.activate_plan(
        ctx.db, ctx.actor(), args.employee_no, args.plan, expected_version=args.if_version
    )
    return _done(ctx, plan, "activated")


def cmd_close(ctx: Context) -> int:
    args = ctx.args
    plan = plans.close_plan(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.plan,
        outcome=text_option(args, "outcome") or "",
        today=date.today(),
        expected_version=args.if_version,
    )
    return _done(ctx, plan, "closed")


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    update = plans.add_update(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.plan,
        week_of=iso_date(args.week, "week"),
        text=text_option(args, "text") or "",
        today=date.today(),
    )
    return _update_done(ctx, update, args.employee_no)


def cmd_edit_update(ctx: Context) -> int:
    args = ctx.args
    update = plans.edit_update(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.update,
        text=text_option(args, "text") or "",
        expected_version=args.if_version,
    )
    return _update_done(ctx, update, args.employee_no)


def cmd_due(ctx: Context) -> int:
    today = date.today() if ctx.args.as_of is None else iso_date(ctx.args.as_of, "date")
    items = plans.due_items(ctx.db, ctx.actor(), today)
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
