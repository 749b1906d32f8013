"""`associate file N`: an associate's whole file — who they are and every record kept about
them — decrypted for reading or keeping (`--json`), with one audit entry for all of it."""

from __future__ import annotations

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.discipline_commands import today
from crmsup.records.overview import file as associate_file_service
from crmsup.records.overview.file import AssociateFile


def register(associate: Commands) -> None:
    """Declare `associate file` under the `associate` command."""
    file_cmd = add_command(
        associate, "file", cmd_file, "an associate's whole file: every record, decrypted"
    )
    file_cmd.add_argument("employee_no", metavar="N")
    file_cmd.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the day that decides which records still count"
    )


def cmd_file(ctx: Context) -> int:
    opened = associate_file_service.open_file(
        ctx.db, ctx.actor(), ctx.args.employee_no, today(ctx.args)
    )
    if ctx.json:
        output.emit_json(opened)
        return 0
    _print(opened)
    return 0


def _print(opened: AssociateFile) -> None:
    person = opened.associate
    output.fields(
        [
            ("employee no", person.employee_no),
            ("name", f"{person.first_name} {person.last_name}"),
            ("team", f"{person.team} ({person.site})"),
            ("status", person.status.value),
            ("job title", person.job_title),
            ("hired", person.hire_date),
        ]
    )
    if opened.discipline is not None:
        print(f"\ndiscipline ({len(opened.discipline)})")
        output.table(
            ["id", "category", "level", "state", "issued", "live until"],
            [
                (
                    d.row.short_id,
                    d.row.category.value,
                    d.row.level,
                    d.row.state_today,
                    d.row.issued_on,
                    d.row.live_until,
                )
                for d in opened.discipline
            ],
        )
    if opened.reviews is not None:
        print(f"\nreviews ({len(opened.reviews)})")
        output.table(
            ["id", "kind", "period", "state", "overall"],
            [
                (
                    r.short_id,
                    r.kind.value,
                    f"{r.period_start} – {r.period_end}",
                    r.state.value,
                    r.overall,
                )
                for r in opened.reviews
            ],
        )
    if opened.recommendations is not None:
        print(f"\nrecommendations ({len(opened.recommendations)})")
        output.table(
            ["id", "kind", "state", "proposed", "created"],
            [
                (
                    c.short_id,
                    c.kind.value,
                    c.state.value,
                    c.proposed_title or c.proposed_team,
                    c.created_at.date(),
                )
                for c in opened.recommendations
            ],
        )
