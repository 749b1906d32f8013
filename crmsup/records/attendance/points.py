"""Attendance points from the database: HR's settings, the events that count, and whether a
crossed threshold was answered by an attendance discipline record. Plain columns only, so
the standing of one associate and the inbox of a whole site need no key; set-based, so a
site of thousands of associates costs three queries.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.attendance.models import AttendanceEvent, AttendanceKind, AttendancePointRules
from crmsup.records.attendance.rules import DEFAULT_RULES, PointRules, load_rules
from crmsup.records.discipline.models import DisciplineCategory, DisciplineRecord, DisciplineState

#: The audit trail's id of HR's attendance-points settings (one row, not a uuid of its own).
RULES_ENTITY = "attendance_point_rules"
RULES_ID = uuid.UUID(int=1)


def point_rules_of(session: Session) -> PointRules:
    row = session.get(AttendancePointRules, 1)
    if row is None:
        return DEFAULT_RULES
    return load_rules(row.window_days, row.points, row.thresholds, row.version)


Events = dict[uuid.UUID, list[tuple[date, AttendanceKind, uuid.UUID]]]


def events_by_associate(
    session: Session, associate_ids: Collection[uuid.UUID] | None, since: date, day: date
) -> Events:
    """{associate: [(day, kind, event id)]} of events from `since` to `day`, in one query
    (`associate_ids` None: every associate the caller's own query joins in)."""
    query = select(
        AttendanceEvent.associate_id,
        AttendanceEvent.occurred_on,
        AttendanceEvent.kind,
        AttendanceEvent.id,
    ).where(AttendanceEvent.occurred_on >= since, AttendanceEvent.occurred_on <= day)
    if associate_ids is not None:
        query = query.where(AttendanceEvent.associate_id.in_(associate_ids))
    found: Events = defaultdict(list)
    for associate_id, on, kind, event_id in session.execute(query):
        found[associate_id].append((on, kind, event_id))
    return found


def history_start(rules: PointRules, day: date) -> date:
    """How far back events matter to a crossing still counting on `day`: a crossing lies on
    an event day whose points still count, or within one window before the oldest of them."""
    return day - timedelta(days=2 * rules.window_days)


def answers_since(session: Session, crossings: dict[uuid.UUID, date]) -> dict[uuid.UUID, uuid.UUID]:
    """{associate: an attendance discipline record made on or after their crossing day,
    and not rescinded} for the associates of `crossings`, in one query."""
    if not crossings:
        return {}
    earliest = datetime.combine(min(crossings.values()), time(), tzinfo=UTC)
    query = (
        select(DisciplineRecord.associate_id, DisciplineRecord.created_at, DisciplineRecord.id)
        .where(
            DisciplineRecord.associate_id.in_(list(crossings)),
            DisciplineRecord.category == DisciplineCategory.ATTENDANCE,
            DisciplineRecord.state != DisciplineState.RESCINDED,
            DisciplineRecord.created_at >= earliest,
        )
        .order_by(DisciplineRecord.created_at)
    )
    found: dict[uuid.UUID, uuid.UUID] = {}
    for associate_id, created_at, record_id in session.execute(query):
        if created_at.date() >= crossings[associate_id]:
            found.setdefault(associate_id, record_id)
    return found
