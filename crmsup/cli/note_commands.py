"""`note` commands: notes of conversations, feedback, and client claims.

A note or claim is addressed by the associate's employee number and the first 8 hex digits
of its id (`note list N`, `note claim list N` show them). Texts come from a file
(`--text-file F`) or an option; `--if-version V` refuses a change when someone changed the
record since version V was read. Times are ISO 8601 (`2026-03-02T09:05+01:00`); one without
an offset is this computer's local time. Registered by `policy_commands.register`.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.errors import ValidationFailed
from crmsup.records.notes import service as note_service
from crmsup.records.notes.dto import (
    ClaimChanges,
    ClaimDetail,
    NewClaim,
    NewNote,
    NoteChanges,
    NoteDetail,
)
from crmsup.records.notes.models import ClaimOutcome, NoteKind
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    note = add_command(commands, "note", None, "notes, feedback and client claims")
    actions = note.add_subparsers(dest="note_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_list, "an associate's notes").add_argument(
        "employee_no", metavar="N"
    )
    _ref(add_command(actions, "show", cmd_show, "one note"))
    add = add_command(actions, "add", cmd_add, "write a note")
    add.add_argument("employee_no", metavar="N")
    add.add_argument("--kind", required=True, choices=[k.value for k in NoteKind])
    add.add_argument("--date", metavar="YYYY-MM-DD", help="the day it is about (default today)")
    _text(add, required=True)
    update = add_command(actions, "update", cmd_update, "change a note you wrote")
    _ref(update, locking=True)
    update.add_argument("--kind", choices=[k.value for k in NoteKind])
    update.add_argument("--date", metavar="YYYY-MM-DD")
    _text(update)

    claim = add_command(actions, "claim", None, "client claims (first response due in 30 min)")
    claims = claim.add_subparsers(dest="claim_command", required=True, metavar="ACTION")
    add_command(claims, "list", cmd_claim_list, "an associate's claims").add_argument(
        "employee_no", metavar="N"
    )
    _ref(add_command(claims, "show", cmd_claim_show, "one claim"))
    log = add_command(claims, "add", cmd_claim_add, "log a claim as it came in")
    log.add_argument("employee_no", metavar="N")
    log.add_argument("--received", metavar="TIME", help="when it came in (default now)")
    log.add_argument("--client", metavar="TEXT", help="who the client is")
    _text(log, required=True)
    respond = add_command(claims, "respond", cmd_claim_respond, "record the first response")
    _ref(respond, locking=True)
    respond.add_argument("--at", metavar="TIME", help="when it was given (default now)")
    _text(respond, required=True)
    fix = add_command(claims, "update", cmd_claim_update, "correct a claim not closed yet")
    _ref(fix, locking=True)
    fix.add_argument("--received", metavar="TIME", help="when it came in (while it is open)")
    fix.add_argument("--client", metavar="TEXT", help='who the client is ("" clears it)')
    _text(fix)
    answer = fix.add_mutually_exclusive_group()
    answer.add_argument("--response", metavar="TEXT", help="the response, once given")
    answer.add_argument("--response-file", type=Path, metavar="F")
    close = add_command(claims, "close", cmd_claim_close, "close a claim with its outcome")
    _ref(close, locking=True)
    close.add_argument("--outcome", required=True, choices=[o.value for o in ClaimOutcome])
    close.add_argument("--notes", metavar="TEXT")


def _ref(parser: argparse.ArgumentParser, *, locking: bool = False) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("ref", metavar="ID", help="its id or first 8 hex digits")
    if locking:
        parser.add_argument(
            "--if-version", type=int, metavar="V", help="refuse if changed since version V"
        )


def _text(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--text", metavar="TEXT")
    group.add_argument("--text-file", type=Path, metavar="F")


def _text_of(args: argparse.Namespace) -> str | None:
    return read_text(args.text_file) if args.text_file is not None else args.text


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            "a time is written YYYY-MM-DDTHH:MM, with or without an offset"
        ) from None
    return at if at.tzinfo is not None else at.astimezone()


def _note_done(ctx: Context, note: NoteDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(note)
    else:
        print(f"Note {note.short_id} of {note.employee_no} {what} (version {note.version}).")
    return 0


def _claim_done(ctx: Context, claim: ClaimDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(claim)
    else:
        late = " late" if claim.late and claim.responded_at else ""
        print(
            f"Claim {claim.short_id} of {claim.employee_no} {what}{late} "
            f"({claim.state.value}, version {claim.version})."
        )
    return 0


def cmd_list(ctx: Context) -> int:
    rows = note_service.list_notes(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "kind", "date", "author", "version"],
        [(r.short_id, r.kind.value, r.noted_on, r.author, r.version) for r in rows],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    note = note_service.get_note(ctx.db, ctx.actor(), ctx.args.employee_no, ctx.args.ref)
    if ctx.json:
        output.emit_json(note)
        return 0
    output.fields(
        [
            ("note", note.short_id),
            ("associate", f"{note.employee_no} ({note.team})"),
            ("kind", note.kind.value),
            ("date", note.noted_on),
            ("author", note.author),
            ("version", note.version),
        ]
    )
    print(f"\n{note.text}")
    return 0


def cmd_add(ctx: Context) -> int:
    args, today = ctx.args, date.today()
    noted_on = today if args.date is None else iso_date(args.date, "note's date")
    new = NewNote(NoteKind(args.kind), noted_on, _text_of(args) or "")
    note = note_service.create_note(ctx.db, ctx.actor(), args.employee_no, new, today=today)
    return _note_done(ctx, note, "written")


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    changes = NoteChanges(
        kind=None if args.kind is None else NoteKind(args.kind),
        noted_on=None if args.date is None else iso_date(args.date, "note's date"),
        text=_text_of(args),
    )
    note = note_service.update_note(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.ref,
        changes,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _note_done(ctx, note, "saved")


def cmd_claim_list(ctx: Context) -> int:
    rows = note_service.list_claims(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "state", "received (UTC)", "respond by", "late", "outcome", "version"],
        [
            (
                r.short_id,
                r.state.value,
                f"{r.received_at:%Y-%m-%d %H:%M}",
                f"{r.respond_by:%H:%M}",
                "yes" if r.late else "",
                r.outcome and r.outcome.value,
                r.version,
            )
            for r in rows
        ],
    )
    return 0


def cmd_claim_show(ctx: Context) -> int:
    claim = note_service.get_claim(ctx.db, ctx.actor(), ctx.args.employee_no, ctx.args.ref)
    if ctx.json:
        output.emit_json(claim)
        return 0
    output.fields(
        [
            ("claim", claim.short_id),
            ("associate", f"{claim.employee_no} ({claim.team})"),
            ("state", claim.state.value),
            ("client", claim.client),
            ("received", f"{claim.received_at:%Y-%m-%d %H:%M} UTC"),
            ("respond by", f"{claim.respond_by:%Y-%m-%d %H:%M} UTC"),
            (
                "responded",
                claim.responded_at
                and f"{claim.responded_at:%Y-%m-%d %H:%M} UTC by {claim.responded_by}"
                + (" (late)" if claim.late else ""),
            ),
            ("outcome", claim.outcome and claim.outcome.value),
            ("version", claim.version),
        ]
    )
    for label, text in (
        ("Claim", claim.claim),
        ("Response", claim.response),
        ("Outcome notes", claim.outcome_notes),
    ):
        if text:
            print(f"\n{label}:\n{text}")
    return 0


def cmd_claim_add(ctx: Context) -> int:
    args, now = ctx.args, datetime.now().astimezone()
    new = NewClaim(_time(args.received) or now, _text_of(args) or "", args.client)
    claim = note_service.create_claim(ctx.db, ctx.actor(), args.employee_no, new, now=now)
    return _claim_done(ctx, claim, "logged")


def cmd_claim_respond(ctx: Context) -> int:
    args = ctx.args
    claim = note_service.respond_to_claim(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.ref,
        _text_of(args) or "",
        responded_at=_time(args.at),
        expected_version=args.if_version,
    )
    return _claim_done(ctx, claim, "answered")


def cmd_claim_update(ctx: Context) -> int:
    args = ctx.args
    response = read_text(args.response_file) if args.response_file else args.response
    changes = ClaimChanges(
        claim=_text_of(args),
        client=args.client,
        received_at=_time(args.received),
        response=response,
    )
    claim = note_service.update_claim(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.ref,
        changes,
        expected_version=args.if_version,
    )
    return _claim_done(ctx, claim, "saved")


def cmd_claim_close(ctx: Context) -> int:
    args = ctx.args
    claim = note_service.close_claim(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.ref,
        ClaimOutcome(args.outcome),
        notes=args.notes,
        expected_version=args.if_version,
    )
    return _claim_done(ctx, claim, "closed")
