"""`discipline level|due|report` and `attachment`: HR's levels, the inbox, the consistency
report, and files attached to an associate's records (registered by `discipline_commands`).

An attachment is read here, checked against the 10 MiB limit before it is read whole, and
handed to the service as bytes; `attachment get` writes it back to a new file (0600) and
never overwrites one.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.actor import Actor
from crmsup.records.discipline import attachments as attachment_service
from crmsup.records.discipline import levels as discipline_levels_service
from crmsup.records.discipline import report as discipline_report
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline.dto import ConsistencyReport, LevelChange, LevelDetail, NewLevel
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date


def register(actions: Commands, commands: Commands) -> None:
    """`level`, `due` and `report` under `discipline` (`actions`); `attachment` on top."""
    level = add_command(actions, "level", None, "the discipline levels (HR changes them)")
    levels = level.add_subparsers(dest="level_command", required=True, metavar="ACTION")
    add_command(levels, "list", cmd_level_list, "every level, mildest first")
    add = add_command(levels, "add", cmd_level_add, "add a level (HR)")
    add.add_argument("name", metavar="NAME")
    _live(add, required=True)
    add.add_argument("--approval", action="store_true", help="needs approval before issuing")
    add.add_argument("--position", type=int, metavar="RANK", help="rank to take (default: top)")
    change = add_command(levels, "change", cmd_level_change, "rename, re-time, retire (HR)")
    change.add_argument("level", metavar="NAME")
    change.add_argument("--if-version", type=int, required=True, metavar="V")
    change.add_argument("--name", metavar="NEW", help="rename it")
    _live(change, required=False)
    approval = change.add_mutually_exclusive_group()
    approval.add_argument("--approval", dest="approval", action="store_true", default=None)
    approval.add_argument("--no-approval", dest="approval", action="store_false")
    active = change.add_mutually_exclusive_group()
    active.add_argument("--retire", dest="active", action="store_false", default=None)
    active.add_argument("--restore", dest="active", action="store_true")

    due = add_command(actions, "due", cmd_due, "what is due in your scope")
    due.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day (default today)")
    report = add_command(actions, "report", cmd_report, "levels given per supervisor")
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")

    group = add_command(commands, "attachment", None, "files attached to records (encrypted)")
    files = group.add_subparsers(dest="attachment_command", required=True, metavar="ACTION")
    attach = add_command(files, "add", cmd_attach, "attach a file (10 MiB at most)")
    _where(attach)
    attach.add_argument("file", type=Path, metavar="FILE")
    attach.add_argument("--media-type", metavar="TYPE", help="default: guessed from the name")
    _where(add_command(files, "list", cmd_attachment_list, "the files of one record"))
    get = add_command(files, "get", cmd_attachment_get, "write an attachment to a new file")
    get.add_argument("employee_no", metavar="N")
    get.add_argument("attachment", metavar="ID", help="attachment id (8+ first hex digits)")
    get.add_argument("--out", type=Path, required=True, metavar="FILE", help="a new file")


def _live(parser: argparse.ArgumentParser, *, required: bool) -> None:
    live = parser.add_mutually_exclusive_group(required=required)
    live.add_argument("--live-months", type=int, metavar="M", help="how long it counts")
    live.add_argument("--never-expires", action="store_true", help="it always counts")


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("record", metavar="RECORD", help="record id (8+ first hex digits)")
    parser.add_argument(
        "--type",
        default="discipline_records",
        choices=sorted(attachment_service.AREAS),
        help="the kind of record (default: discipline_records)",
    )


def _levels_out(ctx: Context, rows: tuple[LevelDetail, ...]) -> None:
    if ctx.json:
        output.emit_json(rows)
        return
    output.table(
        ["rank", "level", "live months", "approval", "state", "version"],
        [
            (
                lv.rank,
                lv.name,
                "never expires" if lv.live_months is None else lv.live_months,
                "yes" if lv.needs_approval else "no",
                "active" if lv.active else "retired",
                lv.version,
            )
            for lv in rows
        ],
    )


def level_named(ctx: Context, actor: Actor, name: str) -> LevelDetail:
    """The level called `name` (in any case); ValidationFailed when there is none."""
    wanted = name.strip().casefold()
    for level in discipline_levels_service.list_levels(ctx.db, actor):
        if level.name.casefold() == wanted:
            return level
    raise ValidationFailed(f"there is no discipline level named {name!r}")


def cmd_level_list(ctx: Context) -> int:
    _levels_out(ctx, discipline_levels_service.list_levels(ctx.db, ctx.actor()))
    return 0


def cmd_level_add(ctx: Context) -> int:
    a = ctx.args
    new = NewLevel(a.name, None if a.never_expires else a.live_months, a.approval, a.position)
    _levels_out(ctx, (discipline_levels_service.add_level(ctx.db, ctx.actor(), new),))
    return 0


def cmd_level_change(ctx: Context) -> int:
    a = ctx.args
    actor = ctx.actor()
    level = level_named(ctx, actor, a.level)
    change = LevelChange(
        name=a.name,
        live_months=a.live_months,
        never_expires=a.never_expires,
        needs_approval=a.approval,
        active=a.active,
    )
    changed = discipline_levels_service.change_level(
        ctx.db, actor, level.id, change, expected_version=a.if_version
    )
    _levels_out(ctx, (changed,))
    return 0


def cmd_due(ctx: Context) -> int:
    day = iso_date(ctx.args.as_of, "date") if ctx.args.as_of else date.today()
    items = discipline_service.due_items(ctx.db, ctx.actor(), day)
    if ctx.json:
        output.emit_json(items)
    else:
        output.table(
            ["due", "what", "associate", "team", "record"],
            [(i.due_on, i.kind, i.employee_no, i.team, i.record_id.hex[:8]) for i in items],
        )
    return 0


def _print_report(report: ConsistencyReport) -> None:
    print(
        f"Records issued {report.start} to {report.end}: {report.records}. "
        "* marks a supervisor whose most common level differs from the site's."
    )
    headers = ["site", "category", "prior history", "supervisor", *report.levels]
    output.table(
        headers,
        [
            (
                r.site,
                r.category.value,
                r.prior_level or "none",
                "(site)" if r.supervisor is None else r.supervisor + (" *" if r.uneven else ""),
                *r.counts,
            )
            for r in report.rows
        ],
    )


def cmd_report(ctx: Context) -> int:
    a = ctx.args
    start, end = iso_date(a.start, "start date"), iso_date(a.end, "end date")
    report = discipline_report.consistency_report(ctx.db, ctx.actor(), start, end)
    if ctx.json:
        output.emit_json(report)
    else:
        _print_report(report)
    return 0


def _read(file: Path) -> bytes:
    try:
        attachment_service.check_size(file.stat().st_size)
        return file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"cannot read {file}: {exc.strerror}") from None


def cmd_attach(ctx: Context) -> int:
    a = ctx.args
    content = _read(a.file)
    info = attachment_service.attach(
        ctx.db,
        ctx.actor(),
        a.employee_no,
        a.type,
        a.record,
        a.file.name,
        content,
        media_type=a.media_type,
    )
    if ctx.json:
        output.emit_json(info)
    else:
        print(f"Attached {info.filename} ({info.size} bytes) as {info.short_id}.")
    return 0


def cmd_attachment_list(ctx: Context) -> int:
    a = ctx.args
    rows = attachment_service.list_attachments(ctx.db, ctx.actor(), a.employee_no, a.type, a.record)
    if ctx.json:
        output.emit_json(rows)
    else:
        output.table(
            ["id", "file", "type", "bytes", "added by", "added at"],
            [
                (
                    i.short_id,
                    i.filename,
                    i.media_type,
                    i.size,
                    i.added_by,
                    f"{i.added_at:%Y-%m-%d %H:%M}",
                )
                for i in rows
            ],
        )
    return 0


def cmd_attachment_get(ctx: Context) -> int:
    a = ctx.args
    out: Path = a.out
    if out.exists():
        raise ValidationFailed(f"{out} exists: give a new file name (nothing is overwritten)")
    found = attachment_service.open_attachment(ctx.db, ctx.actor(), a.employee_no, a.attachment)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ValidationFailed(f"cannot create {out}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(found.content)
    if ctx.json:
        output.emit_json(found.info)
    else:
        print(f"Wrote {found.info.filename} ({found.info.size} bytes) to {out}.")
    return 0
