"""Finding attendance events and time-off requests in an associate's file, opening their
encrypted fields, and the stale-edit refusal that names who changed them since.

A record is named by its id or the first 8 or more hex digits of it (ValidationFailed when
that names several, NotFound when none in this associate's file).
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import short_ids, stale_edits, validation
from crmsup.records.attendance.dto import EventDetail
from crmsup.records.attendance.models import AttendanceEvent, PtoRequest
from crmsup.records.attendance.pto.dto import RequestDetail
from crmsup.records.errors import NotFound, StaleEdit
from crmsup.records.names import usernames
from crmsup.records.sealed_fields import open_text
from crmsup.records.subject import Subject
from crmsup.security.fields import FieldCipher

EVENT = "attendance_event"
REQUEST = "pto_request"
#: Audit actions that read without changing (not named as the last change of a record).
READS = ("attendance.view", "attendance.list", "pto.request.view", "pto.request.list")
#: The longest note or comment (a page of facts is plenty).
MAX_TEXT = 10_000
_Row = TypeVar("_Row", AttendanceEvent, PtoRequest)
_WHAT = {EVENT: "attendance event", REQUEST: "time-off request"}


def text(value: str | None, what: str) -> str | None:
    """A note or comment, trimmed; blank is None."""
    return validation.optional_text(value, what, max_length=MAX_TEXT)


def in_file(
    session: Session,
    model: type[_Row],
    subject: Subject,
    ref: str | uuid.UUID,
    *,
    lock: bool = False,
) -> _Row:
    what = _WHAT[model.__tablename__.rstrip("s")]
    ids = session.scalars(select(model.id).where(model.associate_id == subject.associate_id))
    found = short_ids.find(ids, ref, what)
    row = None if found is None else session.get(model, found, with_for_update=lock)
    if row is None or row.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no {what} {ref}")
    return row


def stale(
    session: Session, entity: str, subject: Subject, row_id: uuid.UUID, current: int, read: int
) -> StaleEdit:
    what = f"{_WHAT[entity]} {row_id.hex[:8]} of associate {subject.employee_no}"
    return stale_edits.stale_edit(session, entity, row_id, what, current, read, unchanged=READS)


def event_detail(
    session: Session, cipher: FieldCipher, subject: Subject, event: AttendanceEvent
) -> EventDetail:
    names = usernames(session, [event.created_by])
    return EventDetail(
        id=event.id,
        employee_no=subject.employee_no,
        kind=event.kind,
        occurred_on=event.occurred_on,
        minutes=event.minutes,
        hours=event.hours,
        notes=open_text(cipher, EVENT + "s", event.id, "notes_enc", event.notes_enc),
        recorded_by=names[event.created_by],
        recorded_at=event.created_at,
        version=event.version,
    )


def request_detail(
    session: Session,
    cipher: FieldCipher | None,
    subject: Subject,
    request: PtoRequest,
    names: dict[uuid.UUID, str] | None = None,
) -> RequestDetail:
    """The request, with its comments decrypted when `cipher` is given (None in lists)."""
    names = names or usernames(session, [request.created_by, request.decided_by])

    def opened(column: str) -> str | None:
        if cipher is None:
            return None
        return open_text(cipher, REQUEST + "s", request.id, column, getattr(request, column))

    return RequestDetail(
        id=request.id,
        employee_no=subject.employee_no,
        start_on=request.start_on,
        end_on=request.end_on,
        hours=request.hours,
        state=request.state,
        comment=opened("comment_enc"),
        decision_comment=opened("decision_comment_enc"),
        filed_by=names[request.created_by],
        filed_at=request.created_at,
        decided_by=None if request.decided_by is None else names[request.decided_by],
        decided_at=request.decided_at,
        version=request.version,
    )
