"""What is due about training (the inbox's items) and compliance per associate and team,
worked out on plain columns for the actor's scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from crmsup.records.errors import NotFound, PermissionDenied
from crmsup.records.models import AuditEntry
from crmsup.records.training import courses as training_course_service
from crmsup.records.training import service as training
from crmsup.records.training.compliance import ComplianceLine, TeamCompliance
from crmsup.records.training.rules import CourseStatus
from tests.factories import Org
from tests.unit.records.training.matrix import TODAY, agent, course_spec, passed


def _scene(org: Org) -> None:
    """E100 and E101 on Team A, E200 on Team B, all agents; GDPR-1 (12 months) and SAFE-1
    (6 months) required for agents, PROD-1 (never lapses) not required."""
    for number, team in (("E100", "Team A"), ("E101", "Team A"), ("E200", "Team B")):
        agent(org, number, team)
    for code, months in (("GDPR-1", 12), ("SAFE-1", 6)):
        training_course_service.create_course(org.db, org.hr, course_spec(code, months))
    training_course_service.create_course(org.db, org.hr, course_spec("PROD-1", None, ()))
    passed(org, on=date(2025, 12, 10))  # lapses 2026-12-10: expiring
    training.assign_course(
        org.db, org.hr, "E100", "PROD-1", due_on=TODAY + timedelta(days=10), today=TODAY
    )
    passed(org, on=date(2025, 11, 1), employee_no="E101")  # lapsed 2026-11-01
    training.assign_course(
        org.db, org.hr, "E101", "GDPR-1", due_on=TODAY + timedelta(days=5), today=TODAY
    )
    passed(org, on=date(2026, 11, 1), code="SAFE-1", employee_no="E101")
    training.assign_course(
        org.db, org.hr, "E200", "PROD-1", due_on=date(2026, 11, 1), today=date(2026, 10, 1)
    )


@contextmanager
def _statements(org: Org) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(org.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(org.db.engine, "before_cursor_execute", count)


def test_due_items_one_per_associate_and_course(org: Org) -> None:
    _scene(org)
    with _statements(org) as seen:
        items = training.due_items(org.db, org.sup_a, TODAY)
    assert [(i.kind, i.due_on, i.employee_no, i.record_type, i.team) for i in items] == [
        ("training.overdue", date(2026, 10, 31), "E101", "training_completions", "Team A"),
        ("training.due", date(2026, 12, 3), "E100", "training_assignments", "Team A"),
        ("training.expiring", date(2026, 12, 9), "E100", "training_completions", "Team A"),
    ]
    assert items[0].overdue(TODAY)
    assert not items[1].overdue(TODAY)
    # Set-based: the scope, the team names and two queries, however many associates.
    assert len(seen) <= 6
    site = training.due_items(org.db, org.manager, TODAY)
    assert [(i.kind, i.employee_no) for i in site if i.team == "Team B"] == [
        ("training.overdue", "E200")
    ]
    assert training.due_items(org.db, org.admin, TODAY) == ()
    assert training.due_items(org.db, org.auditor, TODAY) == ()
    # A pass renews the certificate and clears the item; a retired course is not tracked.
    passed(org, on=TODAY, employee_no="E101")
    training_course_service.set_course_active(org.db, org.hr, "PROD-1", False)
    after = training.due_items(org.db, org.sup_a, TODAY)
    assert [(i.kind, i.employee_no) for i in after] == [("training.expiring", "E100")]


def test_compliance_per_associate_and_team(org: Org) -> None:
    _scene(org)
    report = training.compliance(org.db, org.sup_a, TODAY)
    lines = {a.employee_no: a.lines for a in report.associates}
    assert lines == {
        "E100": (
            ComplianceLine(
                "GDPR-1", "Data protection basics", CourseStatus.EXPIRING, date(2026, 12, 10)
            ),
            ComplianceLine("SAFE-1", "Data protection basics", CourseStatus.MISSING, None),
        ),
        "E101": (
            ComplianceLine(
                "GDPR-1", "Data protection basics", CourseStatus.DUE, date(2026, 11, 28)
            ),
            ComplianceLine("SAFE-1", "Data protection basics", CourseStatus.DONE, date(2027, 5, 1)),
        ),
    }
    assert report.teams == (TeamCompliance("Team A", 2, 0, 1, 1, 1, 0, 1),)
    one = training.compliance(org.db, org.manager, TODAY, employee_no="E200")
    assert [(a.employee_no, [x.status for x in a.lines]) for a in one.associates] == [
        ("E200", [CourseStatus.MISSING, CourseStatus.MISSING])
    ]
    team_b = training.compliance(org.db, org.hr, TODAY, team="Team B")
    assert [t.team for t in team_b.teams] == ["Team B"]


def test_compliance_refusals_are_audited(org: Org) -> None:
    _scene(org)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        training.compliance(org.db, org.sup_a, TODAY, team="Team B")
    with pytest.raises(PermissionDenied, match="outside your scope"):
        training.compliance(org.db, org.sup_a, TODAY, employee_no="E200")
    with pytest.raises(PermissionDenied):
        training.compliance(org.db, org.auditor, TODAY)
    with pytest.raises(NotFound, match="no team"):
        training.compliance(org.db, org.hr, TODAY, team="Team Z")
    with org.db.transaction() as session:
        outcomes = session.execute(
            select(AuditEntry.outcome, func.count())
            .where(AuditEntry.action == "training.compliance")
            .group_by(AuditEntry.outcome)
        ).all()
    assert dict(outcomes) == {"denied": 3}
