"""What discipline puts in each user's inbox: follow-ups, improvements, expiries, approvals."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crmsup.records.discipline import service as discipline
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import NewDiscipline
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.due import DueItem
from tests.factories import Org, add_associate
from tests.helpers.discipline import new_record

COACHING, FINAL = uuid.UUID(int=1), uuid.UUID(int=4)
ISSUED_ON = date(2025, 1, 31)  # a coaching issued then is live until 2025-07-31


def _new(level: uuid.UUID, **changes: Any) -> NewDiscipline:
    return new_record(
        level,
        category=DisciplineCategory.ATTENDANCE,
        incident_dates=(date(2025, 1, 30),),
        **changes,
    )


def _kinds(items: tuple[DueItem, ...]) -> list[tuple[str, date, str | None]]:
    return [(i.kind, i.due_on, i.employee_no) for i in items]


def test_each_user_sees_what_is_due_in_their_scope(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", team="Team B")
    coaching = discipline.create_record(
        org.db,
        org.sup_a,
        "E100",
        _new(COACHING, follow_up_on=date(2025, 2, 28), improve_by=date(2025, 3, 31)),
        ISSUED_ON,
    )
    workflow.issue(org.db, org.sup_a, "E100", coaching.id, expected_version=1, today=ISSUED_ON)
    submitted = datetime(2025, 2, 3, 16, 30, tzinfo=UTC)
    for actor, number in ((org.sup_a, "E100"), (org.manager, "E200")):
        final = discipline.create_record(
            org.db, actor, number, _new(FINAL, deviation_reason="Fourth time"), ISSUED_ON
        )
        workflow.submit(
            org.db, actor, number, final.id, expected_version=1, today=ISSUED_ON, now=submitted
        )
    today = date(2025, 3, 1)

    supervisor = discipline.due_items(org.db, org.sup_a, today)
    assert _kinds(supervisor) == [
        ("discipline.follow_up", date(2025, 2, 28), "E100"),
        ("discipline.improvement", date(2025, 3, 31), "E100"),
    ]
    assert supervisor[0].overdue(today)
    assert not supervisor[1].overdue(today)
    assert (supervisor[0].record_type, supervisor[0].record_id, supervisor[0].team) == (
        "discipline_record",
        coaching.id,
        "Team A",
    )
    # The manager approves sup-a's final warning, never their own.
    assert _kinds(discipline.due_items(org.db, org.manager, today)) == [
        ("discipline.approval", date(2025, 2, 4), "E100"),
        ("discipline.follow_up", date(2025, 2, 28), "E100"),
        ("discipline.improvement", date(2025, 3, 31), "E100"),
    ]
    assert [k for k, _, _ in _kinds(discipline.due_items(org.db, org.hr, today))].count(
        "discipline.approval"
    ) == 2
    assert discipline.due_items(org.db, org.sup_b, today) == ()
    assert discipline.due_items(org.db, org.admin, today) == ()
    assert discipline.due_items(org.db, org.auditor, today) == ()

    # The end of the live period shows from 30 days before; once over, nothing is due.
    until = date(2025, 7, 31)
    assert "discipline.expiry" not in [
        i.kind for i in discipline.due_items(org.db, org.sup_a, until - timedelta(days=31))
    ]
    assert ("discipline.expiry", until, "E100") in _kinds(
        discipline.due_items(org.db, org.sup_a, until - timedelta(days=30))
    )
    assert discipline.due_items(org.db, org.sup_a, until) == ()


def test_a_rescinded_record_has_nothing_due(org: Org) -> None:
    add_associate(org)
    draft = discipline.create_record(
        org.db, org.sup_a, "E100", _new(COACHING, follow_up_on=date(2025, 2, 28)), ISSUED_ON
    )
    issued = workflow.issue(
        org.db, org.sup_a, "E100", draft.id, expected_version=1, today=ISSUED_ON
    )
    assert len(discipline.due_items(org.db, org.sup_a, ISSUED_ON)) == 1
    workflow.rescind(
        org.db,
        org.hr,
        "E100",
        draft.id,
        "Wrong person",
        expected_version=issued.version,
        today=ISSUED_ON,
    )
    assert discipline.due_items(org.db, org.sup_a, ISSUED_ON) == ()
