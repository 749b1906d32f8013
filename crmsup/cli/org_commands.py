"""`init`, `migrate`, `info`, `site` and `team` commands."""

from __future__ import annotations

import os
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Context
from crmsup.records.database import migrate
from crmsup.records.engine import create_engine_for
from crmsup.records.errors import ValidationFailed
from crmsup.records.people import org as org_service
from crmsup.records.people.info import database_info
from crmsup.records.people.recovery import recover
from crmsup.security.recovery import (
    MalformedRecoverySheet,
    new_recovery_key,
    read_recovery_sheet,
    recovery_sheet,
)


def write_new_private_file(path: Path, text: str) -> Path:
    """Write `text` to a new 0600 temp file beside `path`, fsync'd; return the temp path."""
    if path.exists():
        raise ValidationFailed(f"{path} already exists; choose a new file for the recovery key")
    if not path.parent.is_dir():
        raise ValidationFailed(f"the folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.part")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return partial


def cmd_init(ctx: Context) -> int:
    args = ctx.args
    password = ctx.password()
    target = Path(args.recovery_key_file)
    key = new_recovery_key()
    partial = write_new_private_file(target, recovery_sheet(key, args.org.strip()))
    try:
        result = org_service.initialise(
            ctx.db,
            organisation=args.org,
            site=args.site,
            admin=args.admin,
            hr=args.hr,
            password=password,
            recovery=key,
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    if ctx.json:
        output.emit_json({"organisation": result.organisation, "recovery_key_file": str(target)})
    else:
        print(f"Organisation {result.organisation} is ready.")
        print(f"The recovery key sheet is in {target}: print it, store it in a safe, and")
        print("delete the file. It is shown this once and kept nowhere else.")
    return 0


def cmd_migrate(ctx: Context) -> int:
    engine = create_engine_for(ctx.settings.database_url)
    try:
        backup = migrate(engine)
    finally:
        engine.dispose()
    if ctx.json:
        output.emit_json({"migrated": True, "backup": backup})
    else:
        print("The database schema is up to date.")
        if backup:
            print(f"A copy from before the migration is in {backup}")
    return 0


def cmd_info(ctx: Context) -> int:
    info = database_info(ctx.db)
    if ctx.json:
        output.emit_json(info)
        return 0
    output.fields(
        [
            ("database", info.url),
            ("backend", info.backend),
            ("schema", info.schema_revision),
            ("organisation", info.organisation or "(none yet: run crmsup-admin init)"),
            ("sites", info.sites),
            ("teams", info.teams),
            ("users", info.users),
            ("associates", info.associates),
        ]
    )
    return 0


def cmd_site_add(ctx: Context) -> int:
    name = org_service.add_site(ctx.db, ctx.actor(), ctx.args.name)
    if ctx.json:
        output.emit_json({"site": name})
    else:
        print(f"Site {name} added.")
    return 0


def cmd_team_add(ctx: Context) -> int:
    row = org_service.add_team(
        ctx.db, ctx.actor(), ctx.args.name, ctx.args.site, tuple(ctx.args.supervisor or ())
    )
    if ctx.json:
        output.emit_json(row)
    else:
        print(f"Team {row.name} added to {row.site}; its key is sealed to everyone entitled.")
    return 0


def cmd_team_list(ctx: Context) -> int:
    rows = org_service.list_teams(ctx.db, ctx.actor())
    if ctx.json:
        output.emit_json(rows)
    else:
        output.table(
            ["team", "site", "supervisors"],
            [(r.name, r.site, ", ".join(r.supervisors)) for r in rows],
        )
    return 0


def cmd_recover(ctx: Context) -> int:
    args = ctx.args
    try:
        sheet = read_recovery_sheet(Path(args.recovery_key_file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationFailed(f"cannot read {args.recovery_key_file}: {exc.strerror}") from None
    except MalformedRecoverySheet as exc:
        raise ValidationFailed(str(exc)) from None
    actor = ctx.actor()
    ctx.reauthenticate(actor, "use the recovery key")
    teams = recover(ctx.db, actor, sheet, args.username)
    if ctx.json:
        output.emit_json({"user": args.username, "teams": teams})
    else:
        print(f"{args.username} now holds the keys of: {', '.join(teams) or 'nothing new'}.")
    return 0
