"""`crmsup-admin pto …`: accrual rules per job title, balances and ledgers, HR's adjustments
and time-off requests (file, approve, deny, cancel).

A request is addressed by the associate's employee number and the first 8 hex digits of its
id (`pto requests N` shows them); comments and reasons come from a file or an option;
`--if-version V` refuses a step when someone changed the request since version V was read.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.attendance.models import AccrualFrequency
from crmsup.records.attendance.pto import requests as pto_request_service
from crmsup.records.attendance.pto import service as pto_service
from crmsup.records.attendance.pto.dto import (
    AccrualRuleDetail,
    AccrualRuleSpec,
    NewRequest,
    RequestDetail,
)
from crmsup.records.attendance.pto.service import DEFAULT_ANCHOR
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    pto = add_command(commands, "pto", None, "paid time off: rules, balances, requests")
    actions = pto.add_subparsers(dest="pto_command", required=True, metavar="ACTION")

    rule = add_command(actions, "rule", None, "accrual rules per job title (HR sets them)")
    steps = rule.add_subparsers(dest="rule_command", required=True, metavar="ACTION")
    shown = add_command(steps, "list", cmd_rule_list, "the accrual rules")
    shown.add_argument("--job-title", metavar="T")
    change = add_command(steps, "set", cmd_rule_set, "set a job title's rule from a day on")
    change.add_argument("--job-title", required=True, metavar="T")
    change.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    change.add_argument("--per", required=True, choices=[f.value for f in AccrualFrequency])
    change.add_argument("--hours", required=True, metavar="H", help="hours per period")
    change.add_argument("--cap", metavar="H", help="the most the balance may hold")
    change.add_argument("--carry-max", metavar="H", help="hours carried into a new year")
    change.add_argument("--carry-months", type=int, metavar="M", help="carried hours expire")
    change.add_argument("--anchor", metavar="YYYY-MM-DD", help="a biweekly pay day")
    change.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")

    balance = add_command(actions, "balance", cmd_balance, "an associate's PTO balance")
    balance.add_argument("employee_no", metavar="N")
    balance.add_argument("--on", metavar="YYYY-MM-DD", help="as of this day (default today)")
    ledger = add_command(actions, "ledger", cmd_ledger, "an associate's PTO ledger")
    ledger.add_argument("employee_no", metavar="N")
    ledger.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help="default today")

    adjust = add_command(actions, "adjust", cmd_adjust, "add or remove hours (HR)")
    adjust.add_argument("employee_no", metavar="N")
    adjust.add_argument("--hours", required=True, metavar="H", help="negative removes")
    adjust.add_argument("--on", metavar="YYYY-MM-DD", help="default today")
    _text(adjust, "reason", required=True)

    request = add_command(actions, "request", cmd_request, "file a time-off request")
    request.add_argument("employee_no", metavar="N")
    request.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    request.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    request.add_argument("--hours", required=True, metavar="H")
    _text(request, "comment")

    add_command(actions, "requests", cmd_requests, "an associate's requests").add_argument(
        "employee_no", metavar="N"
    )
    show = add_command(actions, "show", cmd_show, "one request, with its comments")
    show.add_argument("employee_no", metavar="N")
    show.add_argument("request", metavar="ID")
    for name, text in (
        ("approve", "approve a request (checked against the balance)"),
        ("deny", "deny a request"),
        ("cancel", "cancel a request (an approved one before its first day)"),
    ):
        step = add_command(actions, name, cmd_step, text)
        step.set_defaults(step=name)
        step.add_argument("employee_no", metavar="N")
        step.add_argument("request", metavar="ID", help="its id or first 8 hex digits")
        _text(step, "comment")
        step.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")


def _text(parser: argparse.ArgumentParser, stem: str, *, required: bool = False) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(f"--{stem}", metavar="TEXT")
    group.add_argument(f"--{stem}-file", type=Path, metavar="F")


def _given(args: argparse.Namespace, stem: str) -> str | None:
    path: Path | None = getattr(args, f"{stem}_file")
    return read_text(path) if path is not None else getattr(args, stem)


def hours(value: str | None, what: str = "hours") -> Decimal | None:
    """A number of hours given on the command line (exit 3 when it is not a number)."""
    if value is None:
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValidationFailed(f"the {what} must be a number, such as 7.5") from None


def _required_hours(value: str, what: str) -> Decimal:
    found = hours(value, what)
    if found is None:  # pragma: no cover - argparse requires the option
        raise ValidationFailed(f"give the {what}")
    return found


def _day(value: str | None, what: str) -> date:
    return date.today() if value is None else iso_date(value, what)


def _print_rules(ctx: Context, rules: tuple[AccrualRuleDetail, ...]) -> int:
    if ctx.json:
        output.emit_json(rules)
        return 0
    output.table(
        ["job title", "from", "per", "hours", "cap", "carry max", "expire (months)", "version"],
        [
            (
                r.job_title,
                r.effective_from,
                r.frequency.value,
                r.hours_per_period,
                r.cap,
                r.carry_over_max,
                r.carry_over_months,
                r.version,
            )
            for r in rules
        ],
    )
    return 0


def cmd_rule_list(ctx: Context) -> int:
    return _print_rules(ctx, pto_service.accrual_rules(ctx.db, ctx.actor(), ctx.args.job_title))


def cmd_rule_set(ctx: Context) -> int:
    args = ctx.args
    per_period = _required_hours(args.hours, "hours per period")
    spec = AccrualRuleSpec(
        args.job_title,
        iso_date(args.start, "first day"),
        AccrualFrequency(args.per),
        per_period,
        hours(args.cap, "cap"),
        hours(args.carry_max, "hours carried over"),
        args.carry_months,
        DEFAULT_ANCHOR if args.anchor is None else iso_date(args.anchor, "anchor"),
    )
    rule = pto_service.set_accrual_rule(ctx.db, ctx.actor(), spec, expected_version=args.if_version)
    return _print_rules(ctx, (rule,))


def cmd_balance(ctx: Context) -> int:
    args = ctx.args
    found = pto_service.pto_balance(ctx.db, ctx.actor(), args.employee_no, _day(args.on, "day"))
    if ctx.json:
        output.emit_json(found)
    else:
        print(
            f"{found.employee_no}: {found.balance} hours on {found.day} "
            f"(lowest ahead with approved requests: {found.lowest_ahead})"
        )
    return 0


def cmd_ledger(ctx: Context) -> int:
    args = ctx.args
    until = _day(args.until, "last day")
    found = pto_service.pto_ledger(ctx.db, ctx.actor(), args.employee_no, until)
    if ctx.json:
        output.emit_json(found)
        return 0
    print(f"{found.employee_no} ({found.job_title or 'no job title'}), from {found.start}")
    output.table(
        ["day", "line", "hours", "balance", "from"],
        [
            (x.on, x.kind.value, x.hours, x.balance, x.source_id and x.source_id.hex[:8])
            for x in found.lines
        ],
    )
    print(f"\nBalance on {found.until}: {found.balance} hours")
    return 0


def cmd_adjust(ctx: Context) -> int:
    args = ctx.args
    amount = _required_hours(args.hours, "hours")
    reason = _given(args, "reason") or ""
    made = pto_service.adjust_balance(
        ctx.db, ctx.actor(), args.employee_no, amount, _day(args.on, "day"), reason
    )
    if ctx.json:
        output.emit_json(made)
    else:
        print(f"{made.hours} hours adjusted for {made.employee_no} on {made.effective_on}.")
    return 0


def _done(ctx: Context, request: RequestDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(request)
    else:
        print(
            f"Request {request.short_id} of {request.employee_no} {what} "
            f"({request.state.value}, version {request.version})."
        )
    return 0


def cmd_request(ctx: Context) -> int:
    args = ctx.args
    asked = _required_hours(args.hours, "hours")
    new = NewRequest(
        iso_date(args.start, "first day"),
        iso_date(args.end, "last day"),
        asked,
        _given(args, "comment"),
    )
    made = pto_request_service.file_request(
        ctx.db, ctx.actor(), args.employee_no, new, today=date.today()
    )
    return _done(ctx, made, "filed")


def cmd_requests(ctx: Context) -> int:
    rows = pto_request_service.list_requests(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "from", "to", "hours", "state", "filed by", "decided by", "version"],
        [
            (
                r.short_id,
                r.start_on,
                r.end_on,
                r.hours,
                r.state.value,
                r.filed_by,
                r.decided_by,
                r.version,
            )
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    found = pto_request_service.get_request(ctx.db, ctx.actor(), args.employee_no, args.request)
    if ctx.json:
        output.emit_json(found)
        return 0
    output.fields(
        [
            ("request", found.short_id),
            ("associate", found.employee_no),
            ("days", f"{found.start_on} to {found.end_on}"),
            ("hours", found.hours),
            ("state", found.state.value),
            ("filed", f"{found.filed_at:%Y-%m-%d %H:%M} UTC by {found.filed_by}"),
            ("decided", found.decided_at and f"{found.decided_at:%Y-%m-%d} by {found.decided_by}"),
            ("comment", found.comment),
            ("decision comment", found.decision_comment),
            ("version", found.version),
        ]
    )
    return 0


def cmd_step(ctx: Context) -> int:
    args = ctx.args
    comment = _given(args, "comment")
    common = {"comment": comment, "expected_version": args.if_version}
    steps: dict[str, tuple[Callable[..., RequestDetail], str, dict[str, object]]] = {
        "approve": (pto_request_service.approve_request, "approved", {}),
        "deny": (pto_request_service.deny_request, "denied", {}),
        "cancel": (pto_request_service.cancel_request, "cancelled", {"today": date.today()}),
    }
    step, what, extra = steps[args.step]
    made = step(ctx.db, ctx.actor(), args.employee_no, args.request, **common, **extra)
    return _done(ctx, made, what)
