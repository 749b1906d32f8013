"""Attendance events of an associate, their points, and HR's points settings.

Whoever keeps the associate's file (ATTENDANCE_WRITE: HR, the site's managers, the team's
supervisors) records events and corrects them; kinds, dates, minutes and hours stay plain
(points and PTO balances are counted without a key), notes are encrypted under the
associate's data key. Every change is one audit entry in its transaction naming the fields
it changed, every opening of notes is "attendance.view", every refusal is audited by
`subject.checked`. Events are optimistically locked: a stale version is refused, naming who
changed the event since, and nothing is written. HR alone (ATTENDANCE_RULES) sets the points
per kind, the window and the thresholds (`settings`).

A threshold crossed and not yet answered by an attendance discipline record yields the step
the discipline rules propose (`discipline.service.suggestion_for`); no record is created —
the supervisor decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.attendance.content import EVENT, event_detail, in_file, stale, text
from crmsup.records.attendance.dto import (
    CountedEvent,
    EventChanges,
    EventDetail,
    EventRow,
    NewEvent,
    PointsStanding,
)
from crmsup.records.attendance.due import due_items
from crmsup.records.attendance.models import (
    AttendanceEvent,
    AttendanceKind,
    PtoRequest,
    PtoRequestState,
)
from crmsup.records.attendance.points import (
    answers_since,
    events_by_associate,
    history_start,
    point_rules_of,
)
from crmsup.records.attendance.rules import check_event, counts_on, crossing
from crmsup.records.database import Database
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.discipline.service import suggestion_for
from crmsup.records.errors import ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.sealed_fields import seal
from crmsup.records.subject import Subject, checked, checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action

__all__ = [
    "due_items",
    "get_event",
    "list_events",
    "points",
    "record_event",
    "update_event",
]

_TABLE = AttendanceEvent.__tablename__


def list_events(
    db: Database,
    actor: Actor,
    employee_no: str,
    *,
    start: date | None = None,
    end: date | None = None,
) -> tuple[EventRow, ...]:
    """The associate's events from `start` to `end` (both optional), newest first: plain
    columns, nothing decrypted (audited as "attendance.list", a count)."""
    with checked_session(
        db, actor, Action.ATTENDANCE_VIEW, "attendance.list", employee_no, "associate"
    ) as (subject, session):
        query = select(AttendanceEvent).where(AttendanceEvent.associate_id == subject.associate_id)
        if start is not None:
            query = query.where(AttendanceEvent.occurred_on >= start)
        if end is not None:
            query = query.where(AttendanceEvent.occurred_on <= end)
        events = list(
            session.scalars(
                query.order_by(
                    AttendanceEvent.occurred_on.desc(), AttendanceEvent.created_at.desc()
                )
            )
        )
        names = usernames(session, (e.created_by for e in events))
        rows = tuple(
            EventRow(
                e.id,
                subject.employee_no,
                e.kind,
                e.occurred_on,
                e.minutes,
                e.hours,
                names[e.created_by],
                e.created_at,
                e.version,
            )
            for e in events
        )
        audit.append(
            session,
            "attendance.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"events": len(rows)},
        )
        return rows


def get_event(db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID) -> EventDetail:
    """One event with its notes decrypted (audited as "attendance.view")."""
    with checked_session(
        db, actor, Action.ATTENDANCE_VIEW, "attendance.view", employee_no, "associate"
    ) as (subject, session):
        event = in_file(session, AttendanceEvent, subject, ref)
        detail = event_detail(session, cipher_for(session, actor, subject), subject, event)
        audit.append(session, "attendance.view", actor=actor, entity_type=EVENT, entity_id=event.id)
        return detail


def _not_booked(session: Session, subject: Subject, kind: AttendanceKind, day: date) -> None:
    """PTO taken is time off that was not requested ahead: a day an approved request already
    draws from the ledger would be counted twice, so it is refused (exit 3), nothing written."""
    if kind is not AttendanceKind.PTO_TAKEN:
        return
    booked = session.scalars(
        select(PtoRequest.id).where(
            PtoRequest.associate_id == subject.associate_id,
            PtoRequest.state == PtoRequestState.APPROVED,
            PtoRequest.start_on <= day,
            PtoRequest.end_on >= day,
        )
    ).first()
    if booked is not None:
        raise ValidationFailed(
            f"{day} is already booked by approved time-off request {booked.hex[:8]} of associate "
            f"{subject.employee_no}; PTO taken is for time off that was not requested ahead"
        )


def record_event(
    db: Database, actor: Actor, employee_no: str, new: NewEvent, *, today: date
) -> EventDetail:
    """Record an event that happened on or before `today`."""
    with checked_session(
        db, actor, Action.ATTENDANCE_WRITE, "attendance.create", employee_no, "associate"
    ) as (subject, session):
        kind = AttendanceKind(new.kind)
        check_event(kind, new.occurred_on, new.minutes, new.hours, today)
        _not_booked(session, subject, kind, new.occurred_on)
        notes = text(new.notes, "notes")
        cipher = cipher_for(session, actor, subject)
        event_id = uuid.uuid4()
        event = AttendanceEvent(
            id=event_id,
            associate_id=subject.associate_id,
            kind=kind,
            occurred_on=new.occurred_on,
            minutes=new.minutes,
            hours=new.hours,
            notes_enc=seal(cipher, _TABLE, event_id, {"notes_enc": notes})["notes_enc"],
            created_by=actor.user_id,
            created_at=utcnow(),
        )
        session.add(event)
        session.flush()
        audit.append(
            session,
            "attendance.create",
            actor=actor,
            entity_type=EVENT,
            entity_id=event.id,
            details={"associate": str(subject.associate_id), "kind": kind.value},
        )
        return event_detail(session, cipher, subject, event)


@contextmanager
def _locked_event(
    db: Database, subject: Subject, ref: str | uuid.UUID, read: int | None
) -> Iterator[tuple[Session, AttendanceEvent]]:
    """The event locked for a change; a stale `read` version (or a concurrent commit
    between our read and our write) is refused naming who changed it, nothing written."""
    event_id: uuid.UUID | None = None
    try:
        with db.transaction() as session:
            event = in_file(session, AttendanceEvent, subject, ref, lock=True)
            event_id = event.id
            if read is not None and event.version != read:
                raise stale(session, EVENT, subject, event.id, event.version, read)
            yield session, event
    except StaleDataError:
        if event_id is None:
            raise
        with db.transaction() as session:
            current = session.get_one(AttendanceEvent, event_id).version
            raise stale(session, EVENT, subject, event_id, current, read or 0) from None


def update_event(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: EventChanges,
    *,
    today: date,
    expected_version: int | None = None,
) -> EventDetail:
    """Correct an event; nothing is written, nor audited, when nothing changes. Changing
    the kind clears minutes or hours that no longer fit unless new ones are given."""
    with (
        checked(
            db, actor, Action.ATTENDANCE_WRITE, "attendance.update", employee_no, "associate"
        ) as subject,
        _locked_event(db, subject, ref, expected_version) as (session, event),
    ):
        cipher = cipher_for(session, actor, subject)
        old_notes = event_detail(session, cipher, subject, event).notes
        kind = event.kind if changes.kind is None else AttendanceKind(changes.kind)
        kind_changed = kind is not event.kind
        minutes = changes.minutes if changes.minutes is not None or kind_changed else event.minutes
        hours = changes.hours if changes.hours is not None or kind_changed else event.hours
        on = changes.occurred_on or event.occurred_on
        check_event(kind, on, minutes, hours, today)
        _not_booked(session, subject, kind, on)
        fields = [
            name
            for name, old, new in (
                ("kind", event.kind, kind),
                ("occurred_on", event.occurred_on, on),
                ("minutes", event.minutes, minutes),
                ("hours", event.hours, hours),
            )
            if old != new
        ]
        if fields:
            event.kind, event.occurred_on, event.minutes, event.hours = kind, on, minutes, hours
        if changes.notes is not None:
            notes = text(changes.notes, "notes")
            if notes != old_notes:
                event.notes_enc = seal(cipher, _TABLE, event.id, {"notes_enc": notes})["notes_enc"]
                fields.append("notes")
        if fields:
            session.flush()
            audit.append(
                session,
                "attendance.update",
                actor=actor,
                entity_type=EVENT,
                entity_id=event.id,
                details={"fields": fields, "version": event.version},
            )
        return event_detail(session, cipher, subject, event)


# ---- points --------------------------------------------------------------------------------


def points(db: Database, actor: Actor, employee_no: str, day: date) -> PointsStanding:
    """The associate's points on `day`, the events counted, the highest threshold reached
    and — while no attendance discipline record answers that crossing — the proposed step.
    Plain columns only (audited as "attendance.points", a count)."""
    with checked_session(
        db, actor, Action.ATTENDANCE_VIEW, "attendance.points", employee_no, "associate"
    ) as (subject, session):
        rules = point_rules_of(session)
        found = events_by_associate(
            session, [subject.associate_id], history_start(rules, day), day
        ).get(subject.associate_id, [])
        events = [(on, kind) for on, kind, _ in found]
        counted = tuple(
            CountedEvent(
                event_id, kind, on, rules.points[kind], on + timedelta(days=rules.window_days)
            )
            for on, kind, event_id in sorted(found, key=lambda e: (e[0], e[2]))
            if counts_on(on, rules, day)
        )
        crossed = crossing(events, rules, day)
        answer = None
        suggestion = None
        if crossed is not None:
            answer = answers_since(session, {subject.associate_id: crossed.crossed_on}).get(
                subject.associate_id
            )
            if answer is None:
                suggestion = suggestion_for(session, subject, DisciplineCategory.ATTENDANCE, day)
        audit.append(
            session,
            "attendance.points",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"events": len(counted)},
        )
        return PointsStanding(
            employee_no=subject.employee_no,
            day=day,
            points=sum((c.points for c in counted), Decimal(0)),
            window_days=rules.window_days,
            thresholds=rules.thresholds,
            counted=counted,
            threshold=None if crossed is None else crossed.threshold,
            crossed_on=None if crossed is None else crossed.crossed_on,
            answered_by=answer,
            suggestion=suggestion,
        )
