"""The consistency report: levels given for comparable histories, per supervisor and site."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.discipline import report as discipline_report
from crmsup.records.discipline import service as discipline
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import ConsistencyReport, ConsistencyRow, NewDiscipline
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.people import org as org_service
from tests.factories import Org, add_associate

COACHING, VERBAL, WRITTEN = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
CONDUCT = DisciplineCategory.CONDUCT
START, END = date(2025, 1, 1), date(2025, 12, 31)
LEVELS = ("coaching", "verbal warning", "written warning", "final written warning", "termination")


def _give(org: Org, actor: Actor, number: str, level: uuid.UUID, on: date) -> uuid.UUID:
    suggestion = discipline.suggest_level(org.db, actor, number, CONDUCT, on)
    reason = None if suggestion.level.id == level else "Seriousness of the facts"
    new = NewDiscipline(CONDUCT, level, (on,), "Rude to a customer", deviation_reason=reason)
    draft = discipline.create_record(org.db, actor, number, new, on)
    workflow.issue(org.db, actor, number, draft.id, expected_version=1, today=on)
    return draft.id


def _line(row: ConsistencyRow) -> tuple[object, ...]:
    return (row.site, row.prior_level, row.supervisor, row.counts[:3], row.uneven)


def _report(org: Org, actor: Actor) -> ConsistencyReport:
    return discipline_report.consistency_report(org.db, actor, START, END)


def test_uneven_treatment_of_comparable_histories_is_marked(org: Org) -> None:
    for number, team in (("E100", "Team A"), ("E101", "Team A"), ("E200", "Team B")):
        add_associate(org, number, team=team)
    add_associate(org, "E201", team="Team B")
    # Before the range: history only.
    _give(org, org.sup_a, "E100", COACHING, date(2024, 12, 1))
    # No prior history: sup-a coaches, sup-b goes straight to warnings.
    _give(org, org.sup_a, "E101", COACHING, date(2025, 2, 1))
    _give(org, org.sup_b, "E200", WRITTEN, date(2025, 2, 1))
    _give(org, org.sup_b, "E201", WRITTEN, date(2025, 2, 2))
    # After a live coaching, the next step.
    _give(org, org.sup_a, "E100", VERBAL, date(2025, 3, 1))
    # E101's verbal warning came after a coaching that was rescinded later: it still had
    # that history when it was given. The rescinded coaching itself is not counted.
    _give(org, org.sup_a, "E101", VERBAL, date(2025, 3, 1))
    coaching = discipline.list_records(org.db, org.hr, "E101", date(2025, 3, 2))[-1]
    workflow.rescind(
        org.db,
        org.hr,
        "E101",
        coaching.id,
        "Wrong associate",
        expected_version=coaching.version,
        today=date(2025, 4, 1),
    )
    # Outside the range.
    _give(org, org.sup_b, "E200", VERBAL, date(2026, 1, 5))

    report = _report(org, org.manager)
    assert (report.levels, report.records) == (LEVELS, 4)
    assert [_line(r) for r in report.rows] == [
        ("Lyon", None, None, (0, 0, 2), False),
        ("Lyon", None, "sup-b", (0, 0, 2), False),
        ("Lyon", "coaching", None, (0, 2, 0), False),
        ("Lyon", "coaching", "sup-a", (0, 2, 0), False),
    ]
    first = report.rows[0]
    assert (first.category, first.total, first.most_common) == (CONDUCT, 2, ("written warning",))
    # sup-a's rescinded coaching leaves sup-b alone in the first history; add comparable
    # ones for sup-a and the difference shows.
    for number in ("E102", "E103", "E104"):
        add_associate(org, number, team="Team A")
        _give(org, org.sup_a, number, COACHING, date(2025, 5, 1))
    report = _report(org, org.hr)
    none = [r for r in report.rows if r.prior_level is None]
    assert [(r.supervisor, r.counts[:3], r.most_common, r.uneven) for r in none] == [
        (None, (3, 0, 2), ("coaching",), False),
        ("sup-a", (3, 0, 0), ("coaching",), False),
        ("sup-b", (0, 0, 2), ("written warning",), True),
    ]
    assert all(r.site_most_common == ("coaching",) for r in none)


def test_site_managers_see_their_site_and_supervisors_are_refused(org: Org) -> None:
    org_service.add_site(org.db, org.hr, "Grenoble")
    org_service.add_team(org.db, org.hr, "Team G", "Grenoble")
    add_associate(org, "E300", team="Team G")
    add_associate(org)
    _give(org, org.hr, "E300", COACHING, date(2025, 2, 1))
    _give(org, org.sup_a, "E100", COACHING, date(2025, 2, 1))
    assert {r.site for r in _report(org, org.manager).rows} == {"Lyon"}
    assert {r.site for r in _report(org, org.hr).rows} == {"Grenoble", "Lyon"}
    for actor in (org.sup_a, org.admin, org.auditor):
        with pytest.raises(PermissionDenied, match=r"may not do discipline\.report"):
            _report(org, actor)
    with pytest.raises(ValidationFailed, match="ends before it starts"):
        discipline_report.consistency_report(org.db, org.hr, END, START)
    with org.db.transaction() as session:
        entries = list(
            session.execute(
                select(AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.details).where(
                    AuditEntry.action == "discipline.report"
                )
            )
        )
    assert [(who, outcome) for who, outcome, _ in entries] == [
        ("manager", "ok"),
        ("hr", "ok"),
        ("sup-a", "denied"),
        ("root", "denied"),
        ("auditor", "denied"),
    ]
    assert json.loads(entries[1][2]) == {"from": "2025-01-01", "records": 2, "to": "2025-12-31"}
