"""Client claims about an associate: open → responded → closed, with an outcome.

A keeper of the file (NOTE_WRITE) logs a claim when it comes in (the time it was received,
what it says, who the client is), records the first response (due 30 minutes after receipt;
a later one is marked late, never refused) and closes it with an outcome. Texts are
encrypted under the associate's data key; times, state and outcome stay plain, so the inbox
lists open claims without a key (`notes.due`). Every change is audited in its transaction,
every read of a claim's text as "claim.view"; each change takes the version the caller read.
Until a claim is closed its texts can be corrected (`update_claim`); a closed claim is final.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.notes.content import CLAIM_ENTITY, CLAIM_TABLE, claim_detail, claim_row, in_file
from crmsup.records.notes.dto import ClaimChanges, ClaimDetail, ClaimRow, NewClaim
from crmsup.records.notes.edits import locked
from crmsup.records.notes.models import ClaimOutcome, ClaimState, ClientClaim
from crmsup.records.notes.rules import (
    ClaimStep,
    check_claim_times,
    clean_text,
    next_claim_state,
    responded_late,
)
from crmsup.records.sealed_fields import open_text, seal
from crmsup.records.subject import checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action


def list_claims(
    db: Database, actor: Actor, employee_no: str, *, now: datetime | None = None
) -> tuple[ClaimRow, ...]:
    """The associate's claims, newest first: plain columns, nothing decrypted."""
    at = now or utcnow()
    with checked_session(db, actor, Action.NOTE_VIEW, "claim.list", employee_no, "associate") as (
        subject,
        session,
    ):
        query = (
            select(ClientClaim)
            .where(ClientClaim.associate_id == subject.associate_id)
            .order_by(ClientClaim.received_at.desc())
        )
        rows = tuple(claim_row(c, subject, at) for c in session.scalars(query))
        audit.append(
            session,
            "claim.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"claims": len(rows)},
        )
        return rows


def get_claim(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    now: datetime | None = None,
) -> ClaimDetail:
    """One claim, decrypted (audited as "claim.view")."""
    with checked_session(db, actor, Action.NOTE_VIEW, "claim.view", employee_no, "associate") as (
        subject,
        session,
    ):
        claim = in_file(session, ClientClaim, subject, ref)
        cipher = cipher_for(session, actor, subject)
        detail = claim_detail(session, cipher, subject, claim, now or utcnow())
        audit.append(
            session, "claim.view", actor=actor, entity_type=CLAIM_ENTITY, entity_id=claim.id
        )
        return detail


def create_claim(
    db: Database, actor: Actor, employee_no: str, new: NewClaim, *, now: datetime | None = None
) -> ClaimDetail:
    """Log a claim received at `new.received_at` (not in the future): it is open, and its
    first response is due 30 minutes after receipt."""
    at = now or utcnow()
    with checked_session(
        db, actor, Action.NOTE_WRITE, "claim.create", employee_no, "associate"
    ) as (subject, session):
        check_claim_times(new.received_at, at)
        claim_text = clean_text(new.claim, "claim", required=True)
        client = clean_text(new.client, "client")
        cipher = cipher_for(session, actor, subject)
        claim_id = uuid.uuid4()
        sealed = seal(
            cipher, CLAIM_TABLE, claim_id, {"claim_enc": claim_text, "client_enc": client}
        )
        claim = ClientClaim(
            id=claim_id,
            associate_id=subject.associate_id,
            received_at=new.received_at,
            claim_enc=sealed["claim_enc"],
            client_enc=sealed["client_enc"],
            logged_by=actor.user_id,
            logged_at=at,
        )
        session.add(claim)
        session.flush()
        audit.append(
            session,
            "claim.create",
            actor=actor,
            entity_type=CLAIM_ENTITY,
            entity_id=claim.id,
            details={
                "associate": str(subject.associate_id),
                "fields": ["claim", *(["client"] if client else [])],
            },
        )
        return claim_detail(session, cipher, subject, claim, at)


def respond_to_claim(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    response: str,
    *,
    responded_at: datetime | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ClaimDetail:
    """Open → responded: the first response given to the client at `responded_at` (default
    now) by the actor. A response after the 30 minutes is recorded, and marked late."""
    at = now or utcnow()
    when = responded_at or at
    with locked(
        db, actor, employee_no, ClientClaim, ref, "claim.respond", expected_version
    ) as change:
        claim = change.row
        after = next_claim_state(claim.state, ClaimStep.RESPOND)
        check_claim_times(when, at, after=claim.received_at, what="response")
        text = clean_text(response, "response", required=True)
        claim.state = after
        claim.responded_at = when
        claim.responded_by = actor.user_id
        claim.response_enc = seal(change.cipher, CLAIM_TABLE, claim.id, {"response_enc": text})[
            "response_enc"
        ]
        change.session.flush()
        audit.append(
            change.session,
            "claim.respond",
            actor=actor,
            entity_type=CLAIM_ENTITY,
            entity_id=claim.id,
            details={
                "fields": ["state", "responded_at", "responded_by", "response"],
                "late": responded_late(claim.received_at, when, at),
                "version": claim.version,
            },
        )
        return claim_detail(change.session, change.cipher, change.subject, claim, at)


def close_claim(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    outcome: ClaimOutcome,
    *,
    notes: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ClaimDetail:
    """Responded → closed, with its outcome (and notes on it, encrypted)."""
    at = now or utcnow()
    with locked(
        db, actor, employee_no, ClientClaim, ref, "claim.close", expected_version
    ) as change:
        claim = change.row
        after = next_claim_state(claim.state, ClaimStep.CLOSE)
        try:
            result = ClaimOutcome(outcome)
        except ValueError:
            choices = ", ".join(o.value for o in ClaimOutcome)
            raise ValidationFailed(f"a claim's outcome is one of: {choices}") from None
        text = clean_text(notes, "outcome notes")
        claim.state = after
        claim.closed_at = at
        claim.closed_by = actor.user_id
        claim.outcome = result
        claim.outcome_notes_enc = seal(
            change.cipher, CLAIM_TABLE, claim.id, {"outcome_notes_enc": text}
        )["outcome_notes_enc"]
        fields = [
            "state",
            "closed_at",
            "closed_by",
            "outcome",
            *(["outcome_notes"] if text else []),
        ]
        change.session.flush()
        audit.append(
            change.session,
            "claim.close",
            actor=actor,
            entity_type=CLAIM_ENTITY,
            entity_id=claim.id,
            details={"fields": fields, "outcome": result.value, "version": claim.version},
        )
        return claim_detail(change.session, change.cipher, change.subject, claim, at)


def update_claim(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: ClaimChanges,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ClaimDetail:
    """Correct a claim that is not closed yet: what it says, who the client is, when it was
    received (while it is open: once answered, that time decided whether the answer was
    late) and the response (once there is one). Nothing is written, nor audited, when
    nothing changes."""
    at = now or utcnow()
    with locked(
        db, actor, employee_no, ClientClaim, ref, "claim.update", expected_version
    ) as change:
        claim, cipher, fields = change.row, change.cipher, []
        if claim.state is ClaimState.CLOSED:
            raise ValidationFailed("a closed claim is final and cannot be changed")
        if changes.received_at is not None and changes.received_at != claim.received_at:
            if claim.state is not ClaimState.OPEN:
                raise ValidationFailed(
                    "the time a claim was received cannot change once it was answered: "
                    "it decided whether the answer was late"
                )
            check_claim_times(changes.received_at, at)
            claim.received_at = changes.received_at
            fields.append("received_at")
        if changes.response is not None and claim.state is ClaimState.OPEN:
            raise ValidationFailed("an open claim has no response to correct yet; respond first")
        texts = {
            "claim_enc": (changes.claim, "claim", True),
            "client_enc": (changes.client, "client", False),
            "response_enc": (changes.response, "response", True),
        }
        for column, (value, what, required) in texts.items():
            if value is None:
                continue
            text = clean_text(value, what, required=required)
            if text != open_text(cipher, CLAIM_TABLE, claim.id, column, getattr(claim, column)):
                setattr(claim, column, seal(cipher, CLAIM_TABLE, claim.id, {column: text})[column])
                fields.append(what)
        if fields:
            change.session.flush()
            audit.append(
                change.session,
                "claim.update",
                actor=actor,
                entity_type=CLAIM_ENTITY,
                entity_id=claim.id,
                details={"fields": fields, "version": claim.version},
            )
        return claim_detail(change.session, cipher, change.subject, claim, at)
