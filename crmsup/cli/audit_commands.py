"""`audit verify|list|export|checkpoint`: reading the trail (auditor, HR, admin)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.audit_trail.query import AuditFilter, list_entries
from crmsup.records.checkpoints import CheckpointStore
from crmsup.records.errors import IntegrityFailure, ValidationFailed
from crmsup.security import checkpoint_file
from crmsup.security.checkpoint_file import SignedCheckpoint
from crmsup.spreadsheets.audit_export import export_entries, format_for


def _read_checkpoint(path: Path) -> SignedCheckpoint:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"cannot read the checkpoint file {path}: {exc.strerror}") from None
    try:
        return checkpoint_file.loads(data)
    except IntegrityFailure as exc:
        raise IntegrityFailure(f"{path}: {exc}") from None


def cmd_verify(ctx: Context) -> int:
    files = [_read_checkpoint(Path(p)) for p in ctx.args.checkpoint or ()]
    actor = ctx.actor()
    verification = audit_service.verify_as(
        ctx.db, actor, signed=files, store=CheckpointStore(), full=ctx.args.full
    )
    verdict, resumed = verification.verdict, verification.resumed_from
    if ctx.json:
        output.emit_json(
            {
                "ok": verdict.ok,
                "checked": verdict.checked,
                "signatures_checked": verdict.signatures_checked,
                "signatures_verified_before": None if resumed is None else resumed.point.sequence,
                "first_bad": verdict.first_bad,
                "reason": verdict.reason,
                "head_sequence": None if verdict.head is None else verdict.head.sequence,
            }
        )
    elif verdict.ok:
        print(f"intact: {verdict.checked} entries")
        if resumed is not None:
            print(
                f"every hash checked; signatures of entries 1-{resumed.point.sequence} were "
                f"verified on this workstation at {resumed.verified_at} and not again (--full "
                f"checks them all); {verdict.signatures_checked} newer signatures checked"
            )
        for signed in files:
            print(f"checkpoint of entry {signed.sequence} ({signed.created_at}): on the chain")
    if not verdict.ok:
        output.note(f"audit trail broken at entry {verdict.first_bad}: {verdict.reason}")
        return 6
    return 0


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("--since needs a date as YYYY-MM-DD") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _filters(args: argparse.Namespace) -> AuditFilter:
    return AuditFilter(
        since=_since(args.since),
        actor_name=args.actor,
        action=args.action,
        entity=args.entity,
        limit=args.limit,
    )


def cmd_list(ctx: Context) -> int:
    filters = _filters(ctx.args)
    actor = ctx.actor()
    rows = list_entries(
        ctx.db,
        actor,
        since=filters.since,
        actor_name=filters.actor_name,
        action=filters.action,
        entity=filters.entity,
        limit=filters.limit,
    )
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ("SEQ", "AT (UTC)", "ACTOR", "ACTION", "ENTITY", "OUTCOME", "DETAILS"),
        (
            (
                r.sequence,
                f"{r.at:%Y-%m-%d %H:%M:%S}",
                r.actor or "-",
                r.action,
                f"{r.entity_type}:{r.entity_id}" if r.entity_id else (r.entity_type or ""),
                r.outcome,
                json.dumps(r.details, ensure_ascii=False, sort_keys=True) if r.details else "",
            )
            for r in rows
        ),
    )
    return 0


def cmd_export(ctx: Context) -> int:
    filters = _filters(ctx.args)
    target = Path(ctx.args.out)
    format_for(target)  # a wrong suffix is refused before the password is asked
    actor = ctx.actor()
    result = export_entries(ctx.db, actor, target, filters)
    if ctx.json:
        output.emit_json({"file": str(result.path), "format": result.format, "count": result.count})
    else:
        print(f"wrote {result.count} entries to {result.path}")
    return 0


def cmd_checkpoint(ctx: Context) -> int:
    target = Path(ctx.args.out)
    actor = ctx.actor()
    signed = audit_service.write_checkpoint(ctx.db, actor, target)
    if ctx.json:
        output.emit_json(
            {"file": str(target), "sequence": signed.sequence, "entry_hash": signed.digest.hex()}
        )
    else:
        print(f"checkpoint of entry {signed.sequence} written to {target}, signed by")
        print(f"{signed.signer_name}; hand it to whoever should be able to check the trail later")
    return 0


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="entries from this day on (UTC)")
    parser.add_argument("--actor", metavar="NAME", help="entries of this account")
    parser.add_argument("--action", metavar="A", help="this action (a trailing * matches a prefix)")
    parser.add_argument("--entity", metavar="ID", help="entries about this entity id")
    parser.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    audit = add_command(commands, "audit", None, "the audit trail (auditor, HR, admin)")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = add_command(
        actions,
        "verify",
        cmd_verify,
        "check every hash, signature and checkpoint of the trail (exit 6 when broken)",
    )
    verify.add_argument(
        "--checkpoint",
        action="append",
        type=Path,
        metavar="F",
        help="a checkpoint file the trail must still pass through (repeatable)",
    )
    verify.add_argument(
        "--full",
        action="store_true",
        help="check every signature again, not only those newer than this workstation's "
        "last verification",
    )
    _add_filters(add_command(actions, "list", cmd_list, "list entries of the trail"))
    export = add_command(actions, "export", cmd_export, "write entries to OUT.xlsx or OUT.csv")
    export.add_argument("out", metavar="OUT.xlsx|OUT.csv")
    _add_filters(export)
    checkpoint = add_command(
        actions,
        "checkpoint",
        cmd_checkpoint,
        "write a signed checkpoint of the trail's newest entry, to hand to someone outside",
    )
    checkpoint.add_argument("--out", required=True, type=Path, metavar="F")
