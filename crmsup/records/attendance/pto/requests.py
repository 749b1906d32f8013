"""Time-off requests: filed for an associate by a keeper of their file (ATTENDANCE_WRITE),
approved or denied by a keeper (PTO_DECIDE: the supervisor, the site's manager or HR), or
cancelled. An approved request draws its hours from the PTO ledger on its first day.

Filing and approving check the balance projected to the request's first day — the accruals
until then, the bookings and adjustments already stored — with the request drawn: the
balance must not fall below zero then or later, as far as the stored bookings reach.
Comments are encrypted under the associate's data key; dates, hours and states stay plain
(the inbox lists what waits for a decision without a key). Every step is one audit entry in
its transaction; each takes the version the caller read, and a stale one is refused naming
who changed the request since, with nothing written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.attendance.content import REQUEST, in_file, request_detail, stale, text
from crmsup.records.attendance.models import PtoRequest, PtoRequestState
from crmsup.records.attendance.pto.dto import NewRequest, RequestDetail
from crmsup.records.attendance.pto.ledger import REQUEST_SOURCE, ledger_of
from crmsup.records.attendance.pto.request_rules import (
    RequestStep,
    check_cancel,
    check_request,
    next_state,
)
from crmsup.records.attendance.pto.rules import LineKind, Movement, lowest_from
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.sealed_fields import seal
from crmsup.records.subject import Subject, checked, checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

__all__ = [
    "approve_request",
    "cancel_request",
    "deny_request",
    "file_request",
    "get_request",
    "list_requests",
]

_TABLE = PtoRequest.__tablename__


def list_requests(db: Database, actor: Actor, employee_no: str) -> tuple[RequestDetail, ...]:
    """The associate's requests, latest first day first; comments not decrypted (None)."""
    with checked_session(
        db, actor, Action.ATTENDANCE_VIEW, "pto.request.list", employee_no, "associate"
    ) as (subject, session):
        query = select(PtoRequest).where(PtoRequest.associate_id == subject.associate_id)
        found = list(
            session.scalars(query.order_by(PtoRequest.start_on.desc(), PtoRequest.created_at))
        )
        rows = tuple(request_detail(session, None, subject, r) for r in found)
        audit.append(
            session,
            "pto.request.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"requests": len(rows)},
        )
        return rows


def get_request(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> RequestDetail:
    """One request with its comments decrypted (audited as "pto.request.view")."""
    with checked_session(
        db, actor, Action.ATTENDANCE_VIEW, "pto.request.view", employee_no, "associate"
    ) as (subject, session):
        request = in_file(session, PtoRequest, subject, ref)
        detail = request_detail(session, cipher_for(session, actor, subject), subject, request)
        audit.append(
            session, "pto.request.view", actor=actor, entity_type=REQUEST, entity_id=request.id
        )
        return detail


def _check_balance(
    session: Session, subject: Subject, request_id: uuid.UUID, start_on: date, hours: Decimal
) -> None:
    booking = Movement(start_on, LineKind.TAKEN, -hours, REQUEST_SOURCE, request_id)
    _, _, lines = ledger_of(session, subject.associate_id, start_on, [booking], ahead=True)
    lowest = lowest_from(lines, start_on)
    if lowest < 0:
        raise ValidationFailed(
            f"the PTO balance of associate {subject.employee_no} would fall to {lowest} hours "
            f"with these {hours} hours from {start_on}; not enough PTO"
        )


def file_request(
    db: Database,
    actor: Actor,
    employee_no: str,
    new: NewRequest,
    *,
    today: date,
    now: datetime | None = None,
) -> RequestDetail:
    """File a request for the associate, checked against the projected balance."""
    with checked_session(
        db, actor, Action.ATTENDANCE_WRITE, "pto.request.create", employee_no, "associate"
    ) as (subject, session):
        hours = check_request(new.start_on, new.end_on, new.hours, today)
        comment = text(new.comment, "comment")
        cipher = cipher_for(session, actor, subject)
        request_id = uuid.uuid4()
        _check_balance(session, subject, request_id, new.start_on, hours)
        request = PtoRequest(
            id=request_id,
            associate_id=subject.associate_id,
            start_on=new.start_on,
            end_on=new.end_on,
            hours=hours,
            state=PtoRequestState.REQUESTED,
            comment_enc=seal(cipher, _TABLE, request_id, {"comment_enc": comment})["comment_enc"],
            created_by=actor.user_id,
            created_at=now or utcnow(),
        )
        session.add(request)
        session.flush()
        audit.append(
            session,
            "pto.request.create",
            actor=actor,
            entity_type=REQUEST,
            entity_id=request.id,
            details={"associate": str(subject.associate_id)},
        )
        return request_detail(session, cipher, subject, request)


@contextmanager
def _step(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    step: RequestStep,
    action: Action,
    read: int | None,
) -> Iterator[tuple[Session, Subject, PtoRequest, FieldCipher, PtoRequestState]]:
    """Check the actor may, lock the request, refuse a stale version or a step its state does
    not allow; the caller changes it and audits in the same transaction."""
    audit_action = f"pto.request.{step.value}"
    with checked(db, actor, action, audit_action, employee_no, "associate") as subject:
        request_id: uuid.UUID | None = None
        try:
            with db.transaction() as session:
                request = in_file(session, PtoRequest, subject, ref, lock=True)
                request_id = request.id
                if read is not None and request.version != read:
                    raise stale(session, REQUEST, subject, request.id, request.version, read)
                after = next_state(request.state, step)
                cipher = cipher_for(session, actor, subject)
                yield session, subject, request, cipher, after
        except StaleDataError:
            if request_id is None:
                raise
            with db.transaction() as session:
                current = session.get_one(PtoRequest, request_id).version
                raise stale(session, REQUEST, subject, request_id, current, read or 0) from None


def _decide(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    step: RequestStep,
    comment: str | None,
    expected_version: int | None,
    now: datetime | None,
) -> RequestDetail:
    with _step(db, actor, employee_no, ref, step, Action.PTO_DECIDE, expected_version) as (
        session,
        subject,
        request,
        cipher,
        after,
    ):
        if step is RequestStep.APPROVE:
            _check_balance(session, subject, request.id, request.start_on, request.hours)
        note = text(comment, "comment")
        request.state, request.decided_by, request.decided_at = (
            after,
            actor.user_id,
            now or utcnow(),
        )
        fields = ["state", "decided_by", "decided_at"]
        if note is not None:
            sealed = seal(cipher, _TABLE, request.id, {"decision_comment_enc": note})
            request.decision_comment_enc = sealed["decision_comment_enc"]
            fields.append("decision_comment")
        session.flush()
        audit.append(
            session,
            f"pto.request.{step.value}",
            actor=actor,
            entity_type=REQUEST,
            entity_id=request.id,
            details={"fields": fields, "version": request.version},
        )
        return request_detail(session, cipher, subject, request)


def approve_request(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RequestDetail:
    """Requested → approved, when the projected balance allows it."""
    step = RequestStep.APPROVE
    return _decide(db, actor, employee_no, ref, step, comment, expected_version, now)


def deny_request(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RequestDetail:
    """Requested → denied."""
    step = RequestStep.DENY
    return _decide(db, actor, employee_no, ref, step, comment, expected_version, now)


def cancel_request(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    today: date,
    comment: str | None = None,
    expected_version: int | None = None,
) -> RequestDetail:
    """Requested or approved → cancelled (an approved one before its first day only): its
    hours return to the balance. A comment is kept as the decision comment."""
    with _step(
        db, actor, employee_no, ref, RequestStep.CANCEL, Action.ATTENDANCE_WRITE, expected_version
    ) as (session, subject, request, cipher, after):
        check_cancel(request.state, request.start_on, today)
        request.state = after
        fields = ["state"]
        note = text(comment, "comment")
        if note is not None:
            sealed = seal(cipher, _TABLE, request.id, {"decision_comment_enc": note})
            request.decision_comment_enc = sealed["decision_comment_enc"]
            fields.append("decision_comment")
        session.flush()
        audit.append(
            session,
            "pto.request.cancel",
            actor=actor,
            entity_type=REQUEST,
            entity_id=request.id,
            details={"fields": fields, "version": request.version},
        )
        return request_detail(session, cipher, subject, request)
