from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, AuditEntry
from crmsup.records.people.associates import add_associate, get_associate
from crmsup.records.people.dto import NewAssociate
from crmsup.records.people.status import check_status, set_status
from tests.factories import Org
from tests.factories import add_associate as add_orjan

TERMINATED = AssociateStatus.TERMINATED


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def test_hr_terminates_and_the_change_is_audited_by_field_name(org: Org) -> None:
    read = add_orjan(org)
    change = set_status(
        org.db,
        org.hr,
        "E100",
        TERMINATED,
        termination_date=date(2024, 5, 31),
        expected_version=read.version,
    )
    assert (change.status, change.termination_date, change.changed) == (
        TERMINATED,
        date(2024, 5, 31),
        True,
    )
    assert change.version == read.version + 1
    shown = get_associate(org.db, org.hr, "E100")
    assert (shown.status, shown.termination_date, shown.version) == (
        TERMINATED,
        date(2024, 5, 31),
        change.version,
    )
    (entry,) = _entries(org, "associate.status")
    assert (entry.actor_name, entry.entity_id, entry.outcome) == ("hr", str(read.id), "ok")
    details = json.loads(entry.details)
    assert details["fields"] == ["status", "termination_date"]
    assert "2024" not in entry.details
    assert "Ørjan" not in entry.details


def test_a_site_manager_may_change_status_and_reinstating_clears_the_date(org: Org) -> None:
    add_orjan(org)
    set_status(org.db, org.manager, "E100", TERMINATED, termination_date=date(2024, 1, 31))
    back = set_status(org.db, org.manager, "E100", AssociateStatus.ACTIVE)
    assert (back.status, back.termination_date) == (AssociateStatus.ACTIVE, None)
    leave = set_status(org.db, org.hr, "E100", AssociateStatus.LEAVE)
    assert leave.status is AssociateStatus.LEAVE
    assert [json.loads(e.details)["fields"] for e in _entries(org, "associate.status")] == [
        ["status", "termination_date"],
        ["status", "termination_date"],
        ["status"],
    ]


@pytest.mark.parametrize("who", ["sup_a", "admin", "auditor"])
def test_other_roles_are_refused_and_the_refusal_is_audited(org: Org, who: str) -> None:
    add_orjan(org)
    with pytest.raises(PermissionDenied):
        set_status(org.db, getattr(org, who), "E100", TERMINATED, termination_date=date.today())
    (denied,) = _entries(org, "associate.status")
    assert denied.outcome == "denied"
    assert get_associate(org.db, org.hr, "E100").status is AssociateStatus.ACTIVE


@pytest.mark.parametrize(
    ("status", "ended", "message"),
    [
        (TERMINATED, None, "needs its date"),
        (TERMINATED, date(2019, 12, 31), "before the hire date"),
        (AssociateStatus.ACTIVE, date(2024, 1, 1), "only a terminated associate"),
        (AssociateStatus.LEAVE, date(2024, 1, 1), "only a terminated associate"),
    ],
)
def test_inconsistent_dates_are_refused(
    org: Org, status: AssociateStatus, ended: date | None, message: str
) -> None:
    new = NewAssociate("E200", "Ada", "Lovelace", "Team A", hire_date=date(2020, 1, 1))
    add_associate(org.db, org.hr, new)
    with pytest.raises(ValidationFailed, match=message):
        set_status(org.db, org.hr, "E200", status, termination_date=ended)
    assert _entries(org, "associate.status") == []


def test_check_status_accepts_what_is_consistent() -> None:
    check_status(TERMINATED, date(2020, 1, 1), date(2020, 1, 1))
    check_status(TERMINATED, date(2020, 1, 1), None)
    check_status(AssociateStatus.ACTIVE, None, date(2020, 1, 1))


def test_a_stale_version_is_refused_naming_who_changed_it(org: Org) -> None:
    read = add_orjan(org)
    set_status(org.db, org.hr, "E100", AssociateStatus.LEAVE, expected_version=read.version)
    with pytest.raises(StaleEdit, match=r"changed by hr at .* UTC since you read it") as refused:
        set_status(
            org.db,
            org.manager,
            "E100",
            TERMINATED,
            termination_date=date(2024, 1, 31),
            expected_version=read.version,
        )
    assert "nothing was overwritten" in str(refused.value)
    shown = get_associate(org.db, org.hr, "E100")
    assert (shown.status, shown.termination_date) == (AssociateStatus.LEAVE, None)
    assert len(_entries(org, "associate.status")) == 1


def test_setting_the_same_status_writes_nothing(org: Org) -> None:
    read = add_orjan(org)
    same = set_status(org.db, org.hr, "E100", AssociateStatus.ACTIVE)
    assert (same.changed, same.version) == (False, read.version)
    assert _entries(org, "associate.status") == []


def test_unknown_and_erased_associates_are_refused(org: Org) -> None:
    with pytest.raises(NotFound):
        set_status(org.db, org.hr, "E999", AssociateStatus.LEAVE)
    add_orjan(org)
    with org.db.transaction() as session:
        tombstone = session.scalars(select(Associate)).one()
        tombstone.erased_at = tombstone.created_at
    with pytest.raises(ValidationFailed, match="erased"):
        set_status(org.db, org.hr, "E100", AssociateStatus.LEAVE)
