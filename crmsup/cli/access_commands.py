"""`access` commands: access and IT requests from the command line.

Keepers file requests (`access request N --kind … --system S:ROLE …`), a site manager or HR
approves or denies them, IT provisions them line by line and closes them. A request is
addressed by the first 8 hex digits of its id (`access list` shows them), across the
organisation; long texts come from a file (`--justification-file F`, …) or an option;
`--if-version V` refuses a change when someone changed the request since version V was read.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.access import service as access_service
from crmsup.records.access.dto import AccessRequestDetail, NewAccessRequest
from crmsup.records.access.models import AccessKind, AccessState, LineAction
from crmsup.records.types import utcnow
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    access = add_command(commands, "access", None, "access and IT requests")
    actions = access.add_subparsers(dest="access_command", required=True, metavar="ACTION")

    request = add_command(actions, "request", cmd_request, "file a request for an associate")
    request.add_argument("employee_no", metavar="N")
    request.add_argument("--kind", required=True, choices=[k.value for k in AccessKind])
    request.add_argument(
        "--system",
        action="append",
        default=[],
        metavar="S:ROLE",
        help="a system and role to grant (to revoke, for --kind revoke) (repeatable)",
    )
    request.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="S:ROLE",
        help="a system and role to revoke, in a change request (repeatable)",
    )
    request.add_argument("--effective", metavar="YYYY-MM-DD", help="when it should take effect")
    _text(request, "justification", required=True)

    listing = add_command(actions, "list", cmd_list, "requests within your scope, with ageing")
    listing.add_argument("--state", choices=[s.value for s in AccessState])
    listing.add_argument("--team", metavar="T")
    listing.add_argument("--employee", metavar="N", help="only this associate's")

    _ref(add_command(actions, "show", cmd_show, "one request, as IT reads it"))
    for name, text in (("approve", "approve a request (site manager, HR)"), ("deny", "deny one")):
        decide = add_command(actions, name, cmd_approve if name == "approve" else cmd_deny, text)
        _ref(decide, locking=True)
        _text(decide, "comment")
    provision = add_command(
        actions, "provision", cmd_provision, "record what IT did: one line, or all pending"
    )
    _ref(provision, locking=True)
    provision.add_argument("--line", type=int, metavar="L", help="the line's number (default all)")
    _text(provision, "note")
    _ref(add_command(actions, "close", cmd_close, "close a provisioned or denied request"), True)
    _ref(
        add_command(actions, "cancel", cmd_cancel, "withdraw a request before it is decided"), True
    )
    add_command(actions, "due", cmd_due, "requests waiting on you (your inbox)").add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="as of this day (default today)"
    )


def _ref(parser: argparse.ArgumentParser, locking: bool = False) -> None:
    parser.add_argument("request", metavar="ID", help="the request's id or its first 8 hex digits")
    if locking:
        parser.add_argument(
            "--if-version", type=int, metavar="V", help="refuse if changed since version V"
        )


def _text(parser: argparse.ArgumentParser, stem: str, *, required: bool = False) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(f"--{stem}", metavar="TEXT")
    group.add_argument(f"--{stem}-file", type=Path, metavar="F")


def _text_of(args: argparse.Namespace, stem: str) -> str | None:
    path: Path | None = getattr(args, f"{stem}_file")
    text: str | None = getattr(args, stem)
    return read_text(path) if path is not None else text


def _today(ctx: Context) -> date:
    as_of = getattr(ctx.args, "as_of", None)
    return utcnow().date() if as_of is None else iso_date(as_of, "--as-of")


# ---- outputs -----------------------------------------------------------------------------


def _print(request: AccessRequestDetail) -> None:
    row = request.row
    output.fields(
        [
            ("request", row.short_id),
            ("associate", f"{row.employee_no} ({row.team})"),
            ("name", request.person_name),
            ("kind", row.kind.value + (" (opened by a termination)" if row.automatic else "")),
            ("state", row.state.value),
            ("effective", row.effective_on),
            (
                "filed",
                f"{row.filed_at:%Y-%m-%d} by {row.filed_by}, {row.days_since_filed} days ago",
            ),
            ("decided", row.decided_at and f"{row.decided_at:%Y-%m-%d} by {request.decided_by}"),
            ("days since approved", row.days_since_approved),
            (
                "provisioned",
                row.provisioned_at and f"{row.provisioned_at:%Y-%m-%d} by {request.provisioned_by}",
            ),
            ("closed", row.closed_at and f"{row.closed_at:%Y-%m-%d} by {request.closed_by}"),
            ("version", row.version),
        ]
    )
    print()
    output.table(
        ["#", "system", "role", "action", "state", "by", "at"],
        [
            (
                x.position,
                x.system,
                x.role,
                x.action.value,
                x.state.value,
                x.provisioned_by,
                x.provisioned_at and f"{x.provisioned_at:%Y-%m-%d %H:%M}",
            )
            for x in request.lines
        ],
    )
    for label, text in (
        ("Justification", request.justification),
        ("Decision", request.decision_comment),
        ("IT's notes", request.notes),
    ):
        if text:
            print(f"\n{label}:\n{text}")


def _done(ctx: Context, request: AccessRequestDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(request)
    else:
        print(
            f"Access request {request.short_id} of {request.row.employee_no} {what} "
            f"({request.state.value}, version {request.version})."
        )
    return 0


# ---- handlers ----------------------------------------------------------------------------


def cmd_request(ctx: Context) -> int:
    args = ctx.args
    kind = AccessKind(args.kind)
    main = LineAction.REVOKE if kind is AccessKind.REVOKE else LineAction.GRANT
    lines = tuple(access_service.parse_line(spec, main) for spec in args.system) + tuple(
        access_service.parse_line(spec, LineAction.REVOKE) for spec in args.remove
    )
    effective = None if args.effective is None else iso_date(args.effective, "--effective")
    new = NewAccessRequest(kind, lines, _text_of(args, "justification") or "", effective)
    request = access_service.file_request(ctx.db, ctx.actor(), args.employee_no, new)
    return _done(ctx, request, "filed")


def cmd_list(ctx: Context) -> int:
    args = ctx.args
    rows = access_service.list_requests(
        ctx.db,
        ctx.actor(),
        today=_today(ctx),
        state=None if args.state is None else AccessState(args.state),
        team=args.team,
        employee_no=args.employee,
    )
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "associate", "team", "kind", "state", "lines", "pending", "age", "approved", "v"],
        [
            (
                r.short_id,
                r.employee_no,
                r.team,
                r.kind.value,
                r.state.value,
                r.lines,
                r.lines_pending,
                r.days_since_filed,
                r.days_since_approved,
                r.version,
            )
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    request = access_service.get_request(ctx.db, ctx.actor(), ctx.args.request, today=_today(ctx))
    if ctx.json:
        output.emit_json(request)
    else:
        _print(request)
    return 0


def _decide(ctx: Context, approve: bool) -> int:
    args = ctx.args
    request = access_service.decide_request(
        ctx.db,
        ctx.actor(),
        args.request,
        approve=approve,
        comment=_text_of(args, "comment"),
        expected_version=args.if_version,
    )
    return _done(ctx, request, "approved" if approve else "denied")


def cmd_approve(ctx: Context) -> int:
    return _decide(ctx, True)


def cmd_deny(ctx: Context) -> int:
    return _decide(ctx, False)


def cmd_provision(ctx: Context) -> int:
    args = ctx.args
    request = access_service.provision_request(
        ctx.db,
        ctx.actor(),
        args.request,
        line=args.line,
        note=_text_of(args, "note"),
        expected_version=args.if_version,
    )
    return _done(ctx, request, "worked")


def cmd_close(ctx: Context) -> int:
    args = ctx.args
    request = access_service.close_request(
        ctx.db, ctx.actor(), args.request, expected_version=args.if_version
    )
    return _done(ctx, request, "closed")


def cmd_cancel(ctx: Context) -> int:
    args = ctx.args
    request = access_service.cancel_request(
        ctx.db, ctx.actor(), args.request, expected_version=args.if_version, today=_today(ctx)
    )
    return _done(ctx, request, "cancelled")


def cmd_due(ctx: Context) -> int:
    today = _today(ctx)
    items = access_service.due_items(ctx.db, ctx.actor(), today)
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due", "what", "request", "associate", "team", "overdue"],
        [
            (i.due_on, i.kind, i.record_id.hex[:8], i.employee_no, i.team, i.overdue(today) or "")
            for i in items
        ],
    )
    return 0
