"""Attendance events: recording, reading, correcting (with optimistic locking), points and
the discipline step they suggest, HR's settings, and the inbox items — each refusal with a
clear message and nothing changed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmsup.records.attendance import due as attendance_due
from crmsup.records.attendance import service as attendance_service
from crmsup.records.attendance import settings as attendance_rules_service
from crmsup.records.attendance.dto import EventChanges, NewEvent
from crmsup.records.attendance.models import AttendanceEvent
from crmsup.records.attendance.models import AttendanceKind as K
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.errors import PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org, add_associate
from tests.helpers.discipline import COACHING, new_record
from tests.unit.records.attendance.matrix import POINTS, TODAY, late

NOTE = "Bus strike, called ahead"


def _entries(org: Org, prefix: str) -> list[tuple[str, str | None, str]]:
    with org.db.transaction() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.details)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.sequence)
        ).all()
    assert all(NOTE not in (details or "") for *_, details in rows)
    return [(a, who, outcome) for a, who, outcome, _ in rows]


def _count(org: Org) -> int:
    with org.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(AttendanceEvent)) or 0


def test_an_event_is_recorded_listed_opened_and_its_notes_sealed(org: Org) -> None:
    add_associate(org)
    event = late(org, org.sup_a)
    assert (event.kind, event.minutes, event.notes, event.recorded_by) == (
        K.LATE_ARRIVAL,
        12,
        NOTE,
        "sup-a",
    )
    with org.db.transaction() as session:
        blob = session.get_one(AttendanceEvent, event.id).notes_enc
    assert blob is not None
    assert NOTE.encode() not in blob
    rows = attendance_service.list_events(org.db, org.manager, "E100", start=TODAY)
    assert [(r.id, r.kind, r.minutes) for r in rows] == [(event.id, K.LATE_ARRIVAL, 12)]
    assert (
        attendance_service.list_events(org.db, org.manager, "E100", end=TODAY - timedelta(1)) == ()
    )
    opened = attendance_service.get_event(org.db, org.hr, "E100", event.short_id)
    assert opened.notes == NOTE
    assert _entries(org, "attendance.") == [
        ("attendance.create", "sup-a", "ok"),
        ("attendance.list", "manager", "ok"),
        ("attendance.list", "manager", "ok"),
        ("attendance.view", "hr", "ok"),
    ]


def test_another_team_and_bad_input_are_refused_with_nothing_written(org: Org) -> None:
    add_associate(org)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        late(org, org.sup_b)
    future = NewEvent(K.ABSENCE_UNEXCUSED, TODAY + timedelta(days=1))
    with pytest.raises(ValidationFailed, match="on or after the day it happened"):
        attendance_service.record_event(org.db, org.sup_a, "E100", future, today=TODAY)
    assert _count(org) == 0
    assert _entries(org, "attendance.") == [("attendance.create", "sup-b", "denied")]


def test_a_correction_is_locked_and_a_stale_one_names_who_changed_it(org: Org) -> None:
    add_associate(org)
    event = late(org)
    changes = EventChanges(kind=K.EARLY_LEAVE, minutes=30, notes="")
    fixed = attendance_service.update_event(
        org.db, org.sup_a, "E100", event.id, changes, today=TODAY, expected_version=1
    )
    assert (fixed.kind, fixed.minutes, fixed.notes, fixed.version) == (K.EARLY_LEAVE, 30, None, 2)
    with pytest.raises(StaleEdit, match=r"changed by sup-a at .* you read 1"):
        attendance_service.update_event(
            org.db,
            org.hr,
            "E100",
            event.id,
            EventChanges(minutes=5),
            today=TODAY,
            expected_version=1,
        )
    with pytest.raises(ValidationFailed, match="needs its hours"):
        attendance_service.update_event(
            org.db, org.hr, "E100", event.id, EventChanges(kind=K.PTO_TAKEN), today=TODAY
        )
    same = attendance_service.update_event(
        org.db, org.hr, "E100", event.id, EventChanges(minutes=30), today=TODAY, expected_version=2
    )
    assert same.version == 2
    assert [a for a, _, _ in _entries(org, "attendance.update")] == ["attendance.update"]


def _absences(org: Org, *days: date) -> None:
    for day in days:
        new = NewEvent(K.ABSENCE_UNEXCUSED, day)
        attendance_service.record_event(org.db, org.hr, "E100", new, today=TODAY)


def test_points_suggest_an_attendance_step_until_a_record_answers(org: Org) -> None:
    add_associate(org)
    attendance_rules_service.set_point_rules(org.db, org.hr, 90, POINTS, ["3"])
    _absences(org, date(2025, 1, 2), date(2025, 2, 3), date(2025, 2, 20))
    below = attendance_service.points(org.db, org.sup_a, "E100", date(2025, 2, 19))
    assert (below.points, below.threshold, below.suggestion) == (Decimal(2), None, None)
    standing = attendance_service.points(org.db, org.sup_a, "E100", TODAY)
    assert (standing.points, standing.threshold, standing.crossed_on) == (
        Decimal(3),
        Decimal(3),
        date(2025, 2, 20),
    )
    assert standing.counted[0].counts_until == date(2025, 4, 2)
    assert standing.suggestion is not None
    assert standing.suggestion.level.id == COACHING
    due = attendance_due.due_items(org.db, org.sup_a, TODAY)
    assert [(d.kind, d.due_on, d.employee_no) for d in due] == [
        ("attendance.threshold", date(2025, 2, 20), "E100")
    ]
    new = new_record(category=DisciplineCategory.ATTENDANCE, incident_dates=(date(2025, 2, 20),))
    record = discipline_service.create_record(org.db, org.sup_a, "E100", new, TODAY)
    answered = attendance_service.points(org.db, org.sup_a, "E100", TODAY)
    assert (answered.answered_by, answered.suggestion) == (record.id, None)
    assert attendance_due.due_items(org.db, org.sup_a, TODAY) == ()
    assert attendance_due.due_items(org.db, org.auditor, TODAY) == ()


def test_hr_sets_the_points_settings_and_a_stale_change_is_refused(org: Org) -> None:
    assert attendance_rules_service.point_rules(org.db, org.sup_a).version == 0
    rules = attendance_rules_service.set_point_rules(
        org.db, org.hr, 90, {**POINTS, "late_arrival": "1"}, ["5", "2"], expected_version=0
    )
    assert (rules.window_days, rules.thresholds, rules.version) == (90, (Decimal(2), Decimal(5)), 1)
    assert rules.points[K.LATE_ARRIVAL] == 1
    with pytest.raises(StaleEdit, match="changed by hr"):
        attendance_rules_service.set_point_rules(
            org.db, org.hr, 30, POINTS, ["1"], expected_version=0
        )
    with pytest.raises(PermissionDenied):
        attendance_rules_service.set_point_rules(org.db, org.sup_a, 30, POINTS, ["1"])
    with pytest.raises(PermissionDenied):
        attendance_rules_service.point_rules(org.db, org.auditor)
    assert attendance_rules_service.point_rules(org.db, org.manager).window_days == 90
