"""`backup` and `restore`: encrypted, verified copies of the whole database."""

from __future__ import annotations

import sys
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, UsageError, add_command
from crmsup.records.errors import ValidationFailed
from crmsup.records.upkeep import backup as backup_service

#: Exit code of a restore whose data is in place but whose audit trail does not verify.
_INTEGRITY = 6


def cmd_backup(ctx: Context) -> int:
    actor = ctx.actor()
    ctx.reauthenticate(actor, "back up the whole organisation")
    result = backup_service.backup(ctx.db, actor, ctx.args.out)
    if ctx.json:
        output.emit_json(
            {
                "file": str(result.file),
                "bytes": result.bytes,
                "backend": result.backend,
                "schema": result.schema,
                "entries": result.entries,
                "file_id": result.file_id,
            }
        )
        return 0
    print(
        f"Backup written to {result.file} and verified: {result.bytes} bytes, "
        f"{result.backend} copy at schema {result.schema}, {result.entries} audit entries."
    )
    print(
        f"It opens with the password of {actor.username} (into an empty database) or with the "
        "organisation recovery key."
    )
    return 0


def _read_sheet(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not a text file"
        raise ValidationFailed(f"cannot read the recovery key file {path}: {reason}") from None


def cmd_restore(ctx: Context) -> int:
    args = ctx.args
    url = ctx.settings.database_url
    if args.recovery_key_file is not None:
        if args.user:
            raise UsageError("give either --user or --recovery-key-file, not both")
        result = backup_service.restore(
            url, args.backup, recovery_sheet_text=_read_sheet(args.recovery_key_file)
        )
    elif args.user:
        result = backup_service.restore(
            url, args.backup, username=args.user, password=ctx.password()
        )
    else:
        raise UsageError(
            "restore needs --user NAME (the admin who made the backup, with their password) "
            "or --recovery-key-file F"
        )
    if ctx.json:
        output.emit_json(result)
    else:
        migrated = (
            f", migrated from schema {result.backup_schema} to {result.schema}"
            if result.backup_schema != result.schema
            else ""
        )
        print(
            f"Restored {result.organisation} into {result.database} "
            f"({result.backend} backup, opened with the {result.opened_with}{migrated})."
        )
    if not result.audit_ok:
        print(
            f"crmsup-admin: the restored audit trail does not verify: {result.audit_problem}",
            file=sys.stderr,
        )
        return _INTEGRITY
    if not ctx.json:
        print(f"The audit trail verifies: {result.entries} entries, the restore included.")
    return 0


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    backup = add_command(
        commands,
        "backup",
        cmd_backup,
        "write an encrypted, verified copy of the whole database (admin; password asked again)",
    )
    backup.add_argument("out", type=Path, metavar="OUT", help="new file for the backup")
    restore = add_command(
        commands,
        "restore",
        cmd_restore,
        "restore a backup into the empty database named by --db; it opens with the password "
        "of --user (the admin who made it) or with --recovery-key-file",
    )
    restore.add_argument("backup", type=Path, metavar="IN", help="the backup file")
    restore.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="F",
        help="open the backup with the organisation recovery sheet instead of a password",
    )
