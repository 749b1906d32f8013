"""An associate's training: assignments, completions, certificates and admissions, each life
cycle and each refusal (wrong role or scope, wrong state, stale version, bad input), with
nothing changed by a refusal and no content in clear in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.people import status as status_service
from crmsup.records.training import courses as training_course_service
from crmsup.records.training import service as training
from crmsup.records.training.dto import CompletionChanges, NewCompletion
from crmsup.records.training.models import (
    AssignmentState,
    TrainingAdmission,
    TrainingAssignment,
    TrainingCompletion,
)
from crmsup.records.upkeep import erasure as erasure_service
from tests.factories import PASSWORD, Org
from tests.unit.records.training.matrix import TODAY, add_course, agent, passed


def _count(org: Org, model: type[object]) -> int:
    with org.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _denied(org: Org, action: str) -> int:
    with org.db.transaction() as session:
        query = select(func.count()).where(
            AuditEntry.action == action, AuditEntry.outcome == "denied"
        )
        return session.scalar(query.select_from(AuditEntry)) or 0


def test_assigned_failed_passed_certified(org: Org) -> None:
    agent(org)
    add_course(org)
    due = TODAY + timedelta(days=30)
    assigned = training.assign_course(org.db, org.sup_a, "E100", "gdpr-1", due_on=due, today=TODAY)
    assert (assigned.state, assigned.due_on, assigned.assigned_by) == (
        AssignmentState.OPEN,
        due,
        "sup-a",
    )

    failed = training.record_completion(
        org.db,
        org.sup_a,
        "E100",
        NewCompletion("GDPR-1", TODAY, False, Decimal(40), trainer_user="hr", notes="Nervous"),
        today=TODAY,
    )
    assert (failed.passed, failed.expires_on, failed.trainer, failed.score) == (
        False,
        None,
        "hr",
        Decimal(40),
    )
    assert training.list_training(org.db, org.sup_a, "E100").assignments[0].state is (
        AssignmentState.OPEN
    )

    done = passed(org, on=TODAY, actor=org.sup_a)
    assert done.expires_on == date(2027, 11, 23)
    shown = training.get_completion(org.db, org.manager, "E100", done.short_id)
    assert (shown.score, shown.trainer, shown.notes, shown.recorded_by) == (
        Decimal("87.5"),
        "Jo from Legal",
        "Keen",
        "sup-a",
    )
    file = training.list_training(org.db, org.hr, "E100")
    assert [a.state for a in file.assignments] == [AssignmentState.COMPLETED]
    assert file.assignments[0].closed_on == TODAY
    assert [(c.passed, c.course) for c in file.completions] == [(True, "GDPR-1"), (False, "GDPR-1")]

    with org.db.engine.connect() as connection:
        raw = connection.execute(text("SELECT notes_enc, trainer_enc FROM training_completions"))
        blobs = b"".join(bytes(b) for row in raw for b in row if b is not None)
    for clear in (b"Keen", b"Nervous", b"Legal"):
        assert clear not in blobs


def test_assignments_are_refused_when_they_cannot_be(org: Org) -> None:
    agent(org)
    agent(org, "E200", team="Team B")
    add_course(org)
    add_course(org, "OLD-1")
    training_course_service.set_course_active(org.db, org.hr, "OLD-1", False)
    due = TODAY + timedelta(days=5)
    training.assign_course(org.db, org.hr, "E100", "GDPR-1", due_on=due, today=TODAY)
    with pytest.raises(ValidationFailed, match="already assigned to E100, due"):
        training.assign_course(org.db, org.hr, "E100", "GDPR-1", due_on=due, today=TODAY)
    with pytest.raises(ValidationFailed, match="in the past"):
        training.assign_course(
            org.db, org.hr, "E200", "GDPR-1", due_on=date(2020, 1, 1), today=TODAY
        )
    with pytest.raises(ValidationFailed, match="retired"):
        training.assign_course(org.db, org.hr, "E200", "OLD-1", due_on=due, today=TODAY)
    with pytest.raises(NotFound, match="no course"):
        training.assign_course(org.db, org.hr, "E200", "NOPE", due_on=due, today=TODAY)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        training.assign_course(org.db, org.sup_a, "E200", "GDPR-1", due_on=due, today=TODAY)
    with pytest.raises(PermissionDenied):
        training.list_training(org.db, org.admin, "E100")
    assert _denied(org, "training.assign") == 1
    assert _denied(org, "training.list") == 1
    assert _count(org, TrainingAssignment) == 1


def test_reschedule_and_cancel_with_their_refusals(org: Org) -> None:
    agent(org)
    add_course(org)
    first = training.assign_course(
        org.db, org.hr, "E100", "GDPR-1", due_on=TODAY + timedelta(days=3), today=TODAY
    )
    later = TODAY + timedelta(days=40)
    moved = training.reschedule_assignment(
        org.db, org.sup_a, "E100", first.short_id, due_on=later, today=TODAY, expected_version=1
    )
    assert (moved.due_on, moved.version) == (later, 2)
    with pytest.raises(StaleEdit, match=r"changed by sup-a at .*\(version 2, you read 1\)"):
        training.cancel_assignment(
            org.db, org.hr, "E100", first.id, today=TODAY, expected_version=1
        )
    with pytest.raises(ValidationFailed, match="in the past"):
        training.reschedule_assignment(
            org.db, org.hr, "E100", first.id, due_on=date(2000, 1, 1), today=TODAY
        )
    cancelled = training.cancel_assignment(
        org.db, org.hr, "E100", first.id, today=TODAY, expected_version=2
    )
    assert (cancelled.state, cancelled.closed_on, cancelled.version) == (
        AssignmentState.CANCELLED,
        TODAY,
        3,
    )
    with pytest.raises(ValidationFailed, match="is cancelled: only an open one can be cancelled"):
        training.cancel_assignment(org.db, org.hr, "E100", first.id, today=TODAY)
    with pytest.raises(ValidationFailed, match="hex digits"):
        training.cancel_assignment(org.db, org.hr, "E100", "zz", today=TODAY)
    again = training.list_training(org.db, org.hr, "E100").assignments
    assert [(a.state, a.due_on, a.version) for a in again] == [
        (AssignmentState.CANCELLED, later, 3)
    ]


def test_a_completion_is_corrected_under_its_version(org: Org) -> None:
    agent(org)
    add_course(org)
    training.assign_course(org.db, org.hr, "E100", "GDPR-1", due_on=TODAY, today=TODAY)
    attempt = training.record_completion(
        org.db, org.hr, "E100", NewCompletion("GDPR-1", TODAY, False), today=TODAY
    )
    fixed = training.update_completion(
        org.db,
        org.sup_a,
        "E100",
        attempt.short_id,
        CompletionChanges(passed=True, completed_on=date(2026, 1, 31), score=Decimal(90)),
        today=TODAY,
        expected_version=1,
    )
    assert (fixed.passed, fixed.expires_on, fixed.score, fixed.version) == (
        True,
        date(2027, 1, 31),
        Decimal(90),
        2,
    )
    assignment = training.list_training(org.db, org.hr, "E100").assignments[0]
    assert assignment.state is AssignmentState.COMPLETED
    with pytest.raises(StaleEdit, match="training completion"):
        training.update_completion(
            org.db,
            org.hr,
            "E100",
            attempt.id,
            CompletionChanges(notes="x"),
            today=TODAY,
            expected_version=1,
        )
    with pytest.raises(ValidationFailed, match="after today"):
        training.update_completion(
            org.db,
            org.hr,
            "E100",
            attempt.id,
            CompletionChanges(completed_on=TODAY + timedelta(days=1)),
            today=TODAY,
        )
    same = training.update_completion(
        org.db, org.hr, "E100", attempt.id, CompletionChanges(score=Decimal(90)), today=TODAY
    )
    assert same.version == 2
    back = training.update_completion(
        org.db,
        org.hr,
        "E100",
        attempt.id,
        CompletionChanges(passed=False, notes="Redo"),
        today=TODAY,
    )
    assert (back.passed, back.expires_on, back.notes) == (False, None, "Redo")
    reopened = training.list_training(org.db, org.hr, "E100").assignments[0]
    assert reopened.state is AssignmentState.OPEN


def test_an_admission_rests_on_passes_that_count(org: Org) -> None:
    agent(org)
    add_course(org)
    add_course(org, "PROD-1", validity=None)
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with pytest.raises(
        ValidationFailed, match="no pass that counts on 2026-11-23 of: GDPR-1, PROD-1"
    ):
        training.admit(
            org.db,
            org.sup_a,
            "E100",
            project="Bank X",
            reason="Ready",
            courses=("GDPR-1", "PROD-1"),
            now=when,
        )
    passed(org, on=date(2025, 10, 1))  # lapsed on 2026-10-01
    passed(org, on=date(2026, 2, 1), code="PROD-1")
    with pytest.raises(ValidationFailed, match="of: GDPR-1;"):
        training.admit(
            org.db,
            org.sup_a,
            "E100",
            project="Bank X",
            reason="Ready",
            courses=("GDPR-1", "PROD-1"),
            now=when,
        )
    with pytest.raises(ValidationFailed, match="give the reason"):
        training.admit(
            org.db, org.sup_a, "E100", project="Bank X", reason=" ", courses=("PROD-1",), now=when
        )
    assert _count(org, TrainingAdmission) == 0
    renewed = passed(org, on=date(2026, 11, 1))
    made = training.admit(
        org.db,
        org.sup_a,
        "E100",
        project="Bank X",
        reason="Calm on the phone",
        courses=("GDPR-1", "PROD-1"),
        now=when,
    )
    assert (made.project, made.decided_by, made.decided_at, made.courses) == (
        "Bank X",
        "sup-a",
        when,
        ("GDPR-1", "PROD-1"),
    )
    assert renewed.id in made.completions
    shown = training.get_admission(org.db, org.manager, "E100", made.short_id)
    assert shown == made
    assert shown.reason == "Calm on the phone"
    assert training.list_training(org.db, org.hr, "E100").admissions[0].courses == (
        "GDPR-1",
        "PROD-1",
    )
    with pytest.raises(PermissionDenied):
        training.get_admission(org.db, org.sup_b, "E100", made.id)


def test_erasure_takes_the_training_with_it(org: Org) -> None:
    agent(org)
    add_course(org)
    training.assign_course(org.db, org.hr, "E100", "GDPR-1", due_on=TODAY, today=TODAY)
    passed(org, on=TODAY)
    training.admit(
        org.db,
        org.hr,
        "E100",
        project="P",
        reason="R",
        courses=("GDPR-1",),
        now=datetime(2026, 11, 23, 12, tzinfo=UTC),
    )
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2020, 1, 31)
    )
    erasure_service.erase_associate(org.db, org.hr, "E100", PASSWORD, early=True)
    for model in (TrainingAssignment, TrainingCompletion, TrainingAdmission):
        assert _count(org, model) == 0
