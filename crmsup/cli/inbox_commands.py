"""`inbox`: what is due or overdue for the people in the user's scope, across the whole
associate's file, soonest first — the supervisor's to-do list, without any record content."""

from __future__ import annotations

from datetime import datetime

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.errors import ValidationFailed
from crmsup.records.overview.inbox import inbox
from crmsup.records.types import utcnow


def register(commands: Commands) -> None:
    """Declare `inbox` on the `crmsup-admin` parser."""
    cmd = add_command(commands, "inbox", cmd_inbox, "what is due or overdue in your scope")
    cmd.add_argument(
        "--as-of",
        metavar="YYYY-MM-DDTHH:MM",
        help="the moment to look from (default: now; without a zone, this workstation's)",
    )


def _moment(text: str | None) -> datetime:
    if text is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("--as-of must be a time written YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def cmd_inbox(ctx: Context) -> int:
    found = inbox(ctx.db, ctx.actor(), _moment(ctx.args.as_of))
    if ctx.json:
        output.emit_json(
            {
                "as_of": found.now,
                "counts": found.counts(),
                "overdue": len(found.overdue),
                "items": [
                    {**output.plain(i), "overdue": i.overdue(found.today, found.now)}
                    for i in found.items
                ],
            }
        )
        return 0
    output.table(
        ["due", "", "what", "associate", "team", "record"],
        [
            (
                i.due_at.astimezone().strftime("%Y-%m-%d %H:%M") if i.due_at else i.due_on,
                "OVERDUE" if i.overdue(found.today, found.now) else "",
                i.kind,
                i.employee_no,
                i.team,
                f"{i.record_type} {i.record_id.hex[:8]}",
            )
            for i in found.items
        ],
    )
    output.note(f"{len(found.items)} items, {len(found.overdue)} overdue")
    return 0
