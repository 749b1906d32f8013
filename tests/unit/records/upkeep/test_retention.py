from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from crmsup.records.dates import add_months
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, AuditEntry
from crmsup.records.people.status import set_status
from crmsup.records.upkeep.retention import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    RecordKind,
    list_policies,
    report,
    set_legal_hold,
    set_policy,
)
from tests.factories import Org, add_associate

#: Termination dates at and around month ends, where "plus N months" is easy to get wrong.
MONTH_ENDS = {
    "E31": date(2023, 1, 31),
    "E30": date(2023, 1, 30),
    "E29": date(2023, 1, 29),
    "E28": date(2023, 1, 28),
    "ELEAP": date(2024, 2, 29),
    "EAUG": date(2023, 8, 31),
    "EDEC": date(2022, 12, 31),
}


def _terminate(org: Org, number: str, ended: date) -> None:
    add_associate(org, number, first="Ada", last="Lovelace")
    set_status(org.db, org.hr, number, AssociateStatus.TERMINATED, termination_date=ended)


def _actions(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    today=st.dates(min_value=date(2023, 1, 1), max_value=date(2031, 12, 31)),
    months=st.integers(min_value=1, max_value=96),
)
def test_the_report_lists_exactly_those_whose_period_has_run_out(
    org: Org, today: date, months: int
) -> None:
    with org.db.transaction() as session:
        present = session.scalar(select(Associate.id).where(Associate.employee_no == "E31"))
    if present is None:  # the org fixture lives across examples: build the cast once
        for number, ended in MONTH_ENDS.items():
            _terminate(org, number, ended)
    set_policy(org.db, org.hr, "associate", months)
    found = report(org.db, org.hr, today=today)
    expected = {
        number: add_months(ended, months)
        for number, ended in MONTH_ENDS.items()
        if add_months(ended, months) <= today
    }
    assert {d.employee_no: d.due_date for d in found.due} == expected
    assert all(d.termination_date == MONTH_ENDS[d.employee_no] for d in found.due)
    assert found.held == ()
    assert (found.today, found.months) == (today, months)


def test_the_report_leaves_out_the_active_the_held_and_the_erased(org: Org) -> None:
    _terminate(org, "E1", date(2010, 1, 31))
    _terminate(org, "E2", date(2010, 2, 28))
    _terminate(org, "E3", date(2010, 3, 31))
    _terminate(org, "E4", date(2030, 1, 1))  # terminated, but not due yet
    add_associate(org, "E5")  # active
    set_legal_hold(org.db, org.hr, "E2", True)
    with org.db.transaction() as session:
        erased = session.scalars(select(Associate).where(Associate.employee_no == "E3")).one()
        erased.erased_at = erased.created_at
    found = report(org.db, org.hr, today=date(2026, 6, 1))
    assert [(d.employee_no, d.team, d.termination_date, d.due_date) for d in found.due] == [
        ("E1", "Team A", date(2010, 1, 31), date(2017, 1, 31))
    ]
    assert [d.employee_no for d in found.held] == ["E2"]
    (entry,) = _actions(org, "retention.report")
    assert json.loads(entry.details) == {"due": 1, "held": 1, "months": 84}


def test_policies_default_until_hr_sets_them(org: Org) -> None:
    rows = {r.kind: r for r in list_policies(org.db, org.hr)}
    assert set(rows) == set(RecordKind)
    assert all(r.months == DEFAULT_MONTHS[k] and r.set_by is None for k, r in rows.items())
    assert rows[RecordKind.ASSOCIATE].months == 84
    row = set_policy(org.db, org.hr, "Discipline", 24)
    assert (row.kind, row.months, row.default_months, row.set_by) == (
        RecordKind.DISCIPLINE,
        24,
        36,
        "hr",
    )
    again = set_policy(org.db, org.hr, "discipline", 30, expected_version=row.version)
    assert again.version == (row.version or 0) + 1
    listed = {r.kind: r for r in list_policies(org.db, org.hr)}[RecordKind.DISCIPLINE]
    assert (listed.months, listed.set_by, listed.version) == (30, "hr", again.version)
    entries = _actions(org, "retention.set")
    assert [(e.entity_id, e.outcome) for e in entries] == [("discipline", "ok")] * 2


def test_a_stale_policy_version_is_refused(org: Org) -> None:
    first = set_policy(org.db, org.hr, "note", 6)
    set_policy(org.db, org.hr, "note", 9, expected_version=first.version)
    with pytest.raises(StaleEdit, match="changed by hr at"):
        set_policy(org.db, org.hr, "note", 3, expected_version=first.version)
    with pytest.raises(StaleEdit, match="nobody"):
        set_policy(org.db, org.hr, "review", 3, expected_version=1)
    assert {r.kind: r.months for r in list_policies(org.db, org.hr)}[RecordKind.NOTE] == 9


@pytest.mark.parametrize(
    ("kind", "months", "message"),
    [("gossip", 12, "unknown record kind"), ("note", 0, "1 to"), ("note", MAX_MONTHS + 1, "1 to")],
)
def test_bad_policies_are_refused(org: Org, kind: str, months: int, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        set_policy(org.db, org.hr, kind, months)
    assert _actions(org, "retention.set") == []


@pytest.mark.parametrize("who", ["sup_a", "manager", "admin", "auditor"])
def test_only_hr_manages_retention_and_refusals_are_audited(org: Org, who: str) -> None:
    add_associate(org)
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied):
        set_policy(org.db, actor, "associate", 1)
    with pytest.raises(PermissionDenied):
        report(org.db, actor)
    with pytest.raises(PermissionDenied):
        list_policies(org.db, actor)
    with pytest.raises(PermissionDenied):
        set_legal_hold(org.db, actor, "E100", True)
    for action in ("retention.set", "retention.report", "retention.list"):
        assert [e.outcome for e in _actions(org, action)] == ["denied"], action
    (hold,) = _actions(org, "associate.legal_hold.set")
    assert (hold.outcome, hold.actor_name) == ("denied", actor.username)


def test_legal_hold_is_set_and_cleared_once_each(org: Org) -> None:
    added = add_associate(org)
    assert set_legal_hold(org.db, org.hr, "E100", True) is True
    assert set_legal_hold(org.db, org.hr, "E100", True) is False
    assert set_legal_hold(org.db, org.hr, "E100", False) is True
    assert set_legal_hold(org.db, org.hr, "E100", False) is False
    (held,) = _actions(org, "associate.legal_hold.set")
    (cleared,) = _actions(org, "associate.legal_hold.clear")
    assert held.entity_id == cleared.entity_id == str(added.id)
    assert json.loads(held.details)["fields"] == ["legal_hold"]
    with pytest.raises(NotFound):
        set_legal_hold(org.db, org.hr, "E999", True)
