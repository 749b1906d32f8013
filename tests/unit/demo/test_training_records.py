"""The demo's training: HR's catalogue made through the course service, and every associate's
assignments, completions and admissions coherent with the rules of training, readable by the
services as a keeper, counted as the summary says, in every state, and changed by the
services afterwards like any record.

One demo of 120 associates (SQLite, module scope: its accounts cost a quarter second of
Argon2id each) is read by every test; the tests that change records come last.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crmsup.demo import training_records, training_texts
from crmsup.records.database import Database
from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.training import courses as training_course_service
from crmsup.records.training import service as training_service
from crmsup.records.training.dto import NewCompletion
from crmsup.records.training.models import (
    AssignmentState,
    CourseKind,
    TrainingAdmission,
    TrainingAdmissionBasis,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
    TrainingCourseTitle,
)
from crmsup.records.training.rules import CourseStatus, DueKind, expires_on
from tests.helpers.demo_db import Demo, sqlite_demo

PASSWORD = "demo passphrase for tests"
TODAY = date(2025, 3, 14)
SEED = 11
SIZE = 120
STATES = {
    "open",
    "overdue",
    "completed",
    "cancelled",
    "passed",
    "expiring",
    "lapsed",
    "failed",
    "admitted",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with sqlite_demo(tmp_path_factory.mktemp("training"), SIZE, SEED, TODAY, PASSWORD) as made:
        yield made


def _numbers(db: Database) -> dict[uuid.UUID, Associate]:
    with db.transaction() as session:
        found = {a.id: a for a in session.scalars(select(Associate))}
        session.expunge_all()
        return found


def _hired(person: Associate) -> date:
    assert person.hire_date is not None  # every demo associate has one
    return person.hire_date


# ---- what was written ----------------------------------------------------------------------


def test_the_summary_counts_every_state_the_database_holds(demo: Demo) -> None:
    with demo.db.transaction() as session:
        assignments = Counter(
            training_records.assignment_state(state, due, TODAY)
            for state, due in session.execute(
                select(TrainingAssignment.state, TrainingAssignment.due_on)
            )
        )
        completions = Counter(
            training_records.completion_state(passed, expiry, TODAY)
            for passed, expiry in session.execute(
                select(TrainingCompletion.passed, TrainingCompletion.expires_on)
            )
        )
        admissions = len(list(session.scalars(select(TrainingAdmission.id))))
    found = assignments + completions + Counter({"admitted": admissions})
    record = next(r for r in demo.summary.records if r.kind == training_records.KIND)
    assert {c.name: c.count for c in record.states} == dict(found)
    assert {c.name: c.count for c in record.varieties} == {
        "assignment": assignments.total(),
        "completion": completions.total(),
        "admission": admissions,
    }
    assert set(found) == STATES


def test_hr_made_the_catalogue_through_the_service(demo: Demo) -> None:
    courses = {c.code: c for c in training_course_service.list_courses(demo.db, demo.hr)}
    assert {c.kind for c in courses.values()} == set(CourseKind)
    assert courses["CMP-GDPR"].validity_months == 12
    assert courses["CMP-PCI"].validity_months == 12
    assert courses["ONB-INDUCT"].validity_months is None
    with demo.db.transaction() as session:
        titles = set(session.scalars(select(Associate.job_title)))
        required = set(session.scalars(select(TrainingCourseTitle.job_title)))
    assert titles <= required  # every title requires data protection at least
    assert "CMP-GDPR" in {c.code for c in courses.values() if titles <= set(c.job_titles)}


def test_every_record_is_coherent_with_the_rules_and_the_associates_dates(demo: Demo) -> None:
    people = _numbers(demo.db)
    with demo.db.transaction() as session:
        months = dict(
            session.execute(select(TrainingCourse.id, TrainingCourse.validity_months)).all()
        )
        assignments = {a.id: a for a in session.scalars(select(TrainingAssignment))}
        completions = list(session.scalars(select(TrainingCompletion)))
        admissions = list(session.scalars(select(TrainingAdmission)))
        basis = list(session.scalars(select(TrainingAdmissionBasis)))
        session.expunge_all()
    open_ones = Counter(
        (a.associate_id, a.course_id)
        for a in assignments.values()
        if a.state is AssignmentState.OPEN
    )
    assert max(open_ones.values()) == 1  # the service refuses a second open assignment
    closing: dict[uuid.UUID, list[TrainingCompletion]] = defaultdict(list)
    for c in completions:
        person = people[c.associate_id]
        last = person.termination_date or TODAY
        assert _hired(person) <= c.completed_on <= last
        assert c.recorded_at.date() >= c.completed_on
        assert c.expires_on == expires_on(c.completed_on, c.passed, months[c.course_id])
        if c.assignment_id is not None:
            answered = assignments[c.assignment_id]
            assert (answered.associate_id, answered.course_id) == (c.associate_id, c.course_id)
            assert answered.assigned_at.date() <= c.completed_on
            closing[c.assignment_id].append(c)
    for a in assignments.values():
        person = people[a.associate_id]
        assert _hired(person) <= a.assigned_at.date() <= a.due_on
        passes = [c for c in closing[a.id] if c.passed]
        if a.state is AssignmentState.COMPLETED:
            assert [c.completed_on for c in passes] == [a.closed_on]
            assert a.closed_by is not None
            assert a.version == 2
        elif a.state is AssignmentState.CANCELLED:
            assert not passes
            assert a.closed_on is not None
            assert a.closed_on >= a.assigned_at.date()
            assert a.version == 2
        else:
            assert not passes
            assert a.closed_on is None
            assert person.status is not AssociateStatus.TERMINATED
            assert a.version == 1
    by_id = {c.id: c for c in completions}
    for admission in admissions:
        day = admission.decided_at.date()
        rested = [by_id[b.completion_id] for b in basis if b.admission_id == admission.id]
        assert rested
        for c in rested:
            assert c.passed
            assert c.associate_id == admission.associate_id
            assert c.completed_on <= day
            assert c.expires_on is None or c.expires_on > day


# ---- through the services --------------------------------------------------------------------


def test_records_in_every_state_read_back_decrypted_as_a_keeper(demo: Demo) -> None:
    db, hr = demo.db, demo.hr
    people = _numbers(db)
    with db.transaction() as session:
        completions = list(
            session.execute(
                select(
                    TrainingCompletion.associate_id,
                    TrainingCompletion.id,
                    TrainingCompletion.passed,
                    TrainingCompletion.expires_on,
                    TrainingCourse.code,
                ).join(TrainingCourse)
            )
        )
        admissions = list(
            session.execute(select(TrainingAdmission.associate_id, TrainingAdmission.id))
        )
    marks = {code: mark for code, _, _, _, _, mark, _ in training_texts.CATALOGUE}
    read: Counter[str] = Counter()
    for associate_id, completion_id, passed, expiry, code in completions:
        state = training_records.completion_state(passed, expiry, TODAY)
        if read[state] >= 4:
            continue
        number = people[associate_id].employee_no
        detail = training_service.get_completion(db, hr, number, completion_id)
        assert (detail.passed, detail.expires_on, detail.course) == (passed, expiry, code)
        mark = marks[code]
        if mark is None:
            assert detail.score is None
        else:
            assert detail.score is not None
            assert (detail.score >= mark) is passed
            assert Decimal(0) <= detail.score <= Decimal(100)
        assert detail.recorded_by
        read[state] += 1
    for associate_id, admission_id in admissions[:4]:
        number = people[associate_id].employee_no
        admission = training_service.get_admission(db, hr, number, admission_id)
        assert admission.reason
        assert admission.courses
        for completion_id in admission.completions:
            assert training_service.get_completion(db, hr, number, completion_id).passed
        read["admitted"] += 1
    listed: Counter[str] = Counter()
    for person in list(people.values())[:40]:
        file = training_service.list_training(db, hr, person.employee_no)
        for row in file.assignments:
            listed[training_records.assignment_state(row.state, row.due_on, TODAY)] += 1
    assert set(read) == {"passed", "expiring", "lapsed", "failed", "admitted"}
    assert {"open", "completed"} <= set(listed)


def test_the_inbox_and_the_compliance_report_agree_with_what_was_written(demo: Demo) -> None:
    db, hr = demo.db, demo.hr
    items = training_service.due_items(db, hr, TODAY)
    kinds = Counter(item.kind for item in items)
    assert set(kinds) == {k.value for k in DueKind}
    report = training_service.compliance(db, hr, TODAY)
    statuses = Counter(line.status for a in report.associates for line in a.lines)
    assert {
        CourseStatus.DONE,
        CourseStatus.EXPIRING,
        CourseStatus.DUE,
        CourseStatus.OVERDUE,
    } <= set(statuses)
    assert statuses[CourseStatus.DONE] > 10 * statuses[CourseStatus.OVERDUE]
    people = {a.employee_no: a for a in _numbers(db).values()}
    for associate in report.associates:
        person = people[associate.employee_no]
        if _hired(person) <= TODAY - timedelta(days=30):
            # Everyone a month in has taken, or been assigned, every course they need.
            assert associate.count(CourseStatus.MISSING) == 0, associate
    flagged = {(item.employee_no, item.record_id) for item in items}
    with db.transaction() as session:
        overdue = session.execute(
            select(Associate.employee_no, TrainingAssignment.id)
            .join(Associate)
            .where(
                TrainingAssignment.state == AssignmentState.OPEN,
                TrainingAssignment.due_on < TODAY,
                Associate.status != AssociateStatus.TERMINATED,
            )
        ).all()
    assert overdue
    assert {(n, i) for n, i in overdue} <= flagged


def test_the_services_change_demo_records_like_any_other(demo: Demo) -> None:
    db, hr = demo.db, demo.hr
    people = _numbers(db)
    with db.transaction() as session:
        opened = list(
            session.execute(
                select(
                    TrainingAssignment.associate_id,
                    TrainingAssignment.id,
                    TrainingAssignment.version,
                    TrainingCourse.code,
                )
                .join(TrainingCourse)
                .where(TrainingAssignment.state == AssignmentState.OPEN)
                .order_by(TrainingAssignment.due_on)
            )
        )
    (first, first_id, first_version, _), (second, _, _, code) = opened[0], opened[1]
    cancelled = training_service.cancel_assignment(
        db,
        hr,
        people[first].employee_no,
        first_id,
        today=TODAY,
        expected_version=first_version,
    )
    assert cancelled.state is AssignmentState.CANCELLED
    number = people[second].employee_no
    training_service.record_completion(
        db,
        hr,
        number,
        NewCompletion(code, TODAY, True, score=Decimal(95)),
        today=TODAY,
    )
    file = training_service.list_training(db, hr, number)
    assert all(a.state is not AssignmentState.OPEN for a in file.assignments if a.course == code)
