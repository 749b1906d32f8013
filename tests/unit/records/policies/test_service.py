"""Policies: publishing versions, HR's settings, acknowledgements by accounts and by
associates, who is outstanding, and the inbox items, with each refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AuditEntry
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.dto import NewVersion
from crmsup.records.policies.models import PolicyUserAck, PolicyVersion
from crmsup.security.permissions import Role
from tests.factories import Org, add_associate
from tests.unit.records.policies.matrix import MONDAY_9, TODAY, publish

TWO_HOURS_LATER = MONDAY_9 + timedelta(hours=2)


def _audited(org: Org, action: str) -> int:
    with org.db.transaction() as session:
        query = select(func.count()).where(AuditEntry.action == action, AuditEntry.outcome == "ok")
        return session.scalar(query.select_from(AuditEntry)) or 0


def test_versions_the_current_one_and_an_attached_document(org: Org) -> None:
    first = publish(org)
    assert (first.number, first.current, first.published_by) == (1, True, "hr")
    assert first.acknowledge_by == TWO_HOURS_LATER
    pdf = b"%PDF-1.7 the new text"
    second = publish(org, "call recording", effective_on=date(2026, 3, 5), body=None, document=pdf)
    assert (second.title, second.number, second.current) == ("Call recording", 2, False)
    # In force on Thursday 5 March: due 2 business hours into that day, 10:00 in Paris.
    assert second.acknowledge_by == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    (row,) = policy_service.list_policies(org.db, org.sup_a, TODAY)
    assert row.current is not None
    assert (row.current.number, row.latest.number, row.acknowledged_at) == (1, 2, None)
    later = policy_service.get_policy(org.db, org.auditor, "Call recording", date(2026, 3, 5))
    assert (later.number, later.body, later.document_size) == (2, None, len(pdf))
    document = policy_service.get_document(org.db, org.admin, later.id)
    assert (document.name, document.media_type, document.content) == (
        "policy.pdf",
        "application/pdf",
        pdf,
    )
    with pytest.raises(NotFound, match="no attached document"):
        policy_service.get_document(org.db, org.admin, first.id)
    with pytest.raises(NotFound, match="no version 3"):
        policy_service.get_policy(org.db, org.hr, "Call recording", TODAY, number=3)
    with pytest.raises(NotFound, match="no policy titled"):
        policy_service.get_policy(org.db, org.hr, "Nothing", TODAY)
    assert _audited(org, "policy.publish") == 2


def test_only_hr_publishes_and_bad_input_writes_nothing(org: Org) -> None:
    with pytest.raises(PermissionDenied, match=r"may not do policy\.publish"):
        policy_service.publish(org.db, org.manager, NewVersion("Dress code", TODAY, "Casual"))
    with pytest.raises(ValidationFailed, match="text or an attached document"):
        policy_service.publish(org.db, org.hr, NewVersion("Dress code", TODAY, " "))
    with org.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(PolicyVersion)) == 0
    assert policy_service.list_policies(org.db, org.hr, TODAY) == ()


def test_hr_changes_the_window_with_optimistic_locking(org: Org) -> None:
    defaults = policy_service.get_settings(org.db, org.sup_a)
    assert (defaults.ack_minutes, defaults.time_zone, defaults.version) == (120, "Europe/Paris", 0)
    changed = policy_service.set_settings(
        org.db, org.hr, ack_minutes=60, time_zone="UTC", opens_minute=540, closes_minute=1020
    )
    assert (changed.ack_minutes, changed.time_zone, changed.version) == (60, "UTC", 1)
    # Monday 08:00 UTC, before opening at 09:00 UTC: due at 10:00 UTC.
    assert publish(org).acknowledge_by == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    with pytest.raises(StaleEdit, match=r"changed by hr at .* you read 0"):
        policy_service.set_settings(
            org.db,
            org.hr,
            ack_minutes=90,
            time_zone="UTC",
            opens_minute=540,
            closes_minute=1020,
            expected_version=0,
        )
    with pytest.raises(ValidationFailed, match="not a time zone"):
        policy_service.set_settings(
            org.db, org.hr, ack_minutes=90, time_zone="Nowhere", opens_minute=0, closes_minute=60
        )
    with pytest.raises(PermissionDenied):
        policy_service.set_settings(
            org.db, org.sup_a, ack_minutes=90, time_zone="UTC", opens_minute=0, closes_minute=60
        )
    assert policy_service.get_settings(org.db, org.hr).ack_minutes == 60


def test_users_acknowledge_once_and_late_is_marked(org: Org) -> None:
    version = publish(org)
    ack = policy_service.acknowledge(org.db, org.sup_a, "Call recording", now=MONDAY_9)
    assert (ack.username, ack.number, ack.late) == ("sup-a", 1, False)
    with pytest.raises(ValidationFailed, match=r"acknowledged version 1 .* already"):
        policy_service.acknowledge(org.db, org.sup_a, "Call recording", now=TWO_HOURS_LATER)
    late = policy_service.acknowledge(
        org.db, org.sup_b, "Call recording", now=TWO_HOURS_LATER + timedelta(minutes=1)
    )
    assert late.late
    row = policy_service.list_policies(org.db, org.sup_a, TODAY)[0]
    assert row.acknowledged_at == MONDAY_9
    with org.db.transaction() as session:
        acks = session.scalars(
            select(PolicyUserAck.user_id).where(PolicyUserAck.version_id == version.id)
        ).all()
        assert set(acks) == {org.sup_a.user_id, org.sup_b.user_id}
    publish(org, "Dress code", effective_on=date(2026, 4, 1))
    with pytest.raises(ValidationFailed, match="in force yet"):
        policy_service.acknowledge(org.db, org.hr, "Dress code", now=MONDAY_9)


def test_keepers_record_associates_and_see_who_is_outstanding(org: Org) -> None:
    add_associate(org, "E100", team="Team A")
    add_associate(org, "E200", team="Team B")
    version = publish(org)
    outstanding = policy_service.outstanding(org.db, org.sup_a, MONDAY_9)
    assert [u.username for u in outstanding.users] == ["sup-a"]
    assert [(a.team, a.employee_no) for a in outstanding.associates] == [("Team A", "E100")]
    everyone = policy_service.outstanding(org.db, org.hr, TWO_HOURS_LATER + timedelta(minutes=1))
    assert {u.username for u in everyone.users} == {"hr", "manager", "sup-a", "sup-b"}
    assert all(u.overdue for u in everyone.users)
    assert {u.role for u in everyone.users} == {Role.HR, Role.SITE_MANAGER, Role.SUPERVISOR}
    assert [a.employee_no for a in everyone.associates] == ["E100", "E200"]
    recorded = policy_service.record_associate_acknowledgement(
        org.db, org.sup_a, "E100", "Call recording", acknowledged_on=TODAY, today=TODAY
    )
    assert (recorded.version_id, recorded.recorded_by) == (version.id, "sup-a")
    (listed,) = policy_service.associate_acknowledgements(org.db, org.manager, "E100")
    assert (listed.title, listed.acknowledged_on) == ("Call recording", TODAY)
    with pytest.raises(ValidationFailed, match="already acknowledged"):
        policy_service.record_associate_acknowledgement(
            org.db, org.hr, "E100", "Call recording", acknowledged_on=TODAY, today=TODAY
        )
    with pytest.raises(ValidationFailed, match="after today"):
        policy_service.record_associate_acknowledgement(
            org.db, org.hr, "E200", "Call recording", acknowledged_on=TODAY, today=date(2026, 3, 1)
        )
    with pytest.raises(ValidationFailed, match="was published on 2026-03-02"):
        policy_service.record_associate_acknowledgement(
            org.db, org.hr, "E200", "Call recording", acknowledged_on=date(2026, 3, 1), today=TODAY
        )
    with pytest.raises(PermissionDenied, match="outside your scope"):
        policy_service.record_associate_acknowledgement(
            org.db, org.sup_a, "E200", "Call recording", acknowledged_on=TODAY, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        policy_service.outstanding(org.db, org.auditor, MONDAY_9)
    left = policy_service.outstanding(org.db, org.manager, MONDAY_9)
    assert [a.employee_no for a in left.associates] == ["E200"]
    assert {u.username for u in left.users} == {"manager", "sup-a", "sup-b"}


def test_inbox_items_for_oneself_and_for_the_associates_of_ones_scope(org: Org) -> None:
    add_associate(org, "E100", team="Team A")
    with org.db.transaction() as session:  # on the team before the policy came out
        session.execute(update(Associate).values(created_at=MONDAY_9 - timedelta(days=30)))
    version = publish(org)
    items = policy_service.due_items(org.db, org.sup_a, MONDAY_9)
    assert [(i.kind, i.employee_no, i.team, i.due_at) for i in items] == [
        ("policy.acknowledge", None, "", TWO_HOURS_LATER),
        ("policy.acknowledge", "E100", "Team A", TWO_HOURS_LATER),
    ]
    assert all(i.record_id == version.id for i in items)
    assert not items[0].overdue(TODAY, MONDAY_9)
    assert items[0].overdue(TODAY, TWO_HOURS_LATER + timedelta(seconds=1))
    policy_service.acknowledge(org.db, org.sup_a, "Call recording", now=MONDAY_9)
    assert [i.employee_no for i in policy_service.due_items(org.db, org.sup_a, MONDAY_9)] == [
        "E100"
    ]
    assert policy_service.due_items(org.db, org.sup_b, MONDAY_9)[0].employee_no is None
    assert policy_service.due_items(org.db, org.admin, MONDAY_9) == ()
    assert policy_service.due_items(org.db, org.auditor, MONDAY_9) == ()
    # An associate added after publication gets the window counted from their arrival.
    add_associate(org, "E101", team="Team A")
    (late_comer,) = [
        i for i in policy_service.due_items(org.db, org.sup_a, MONDAY_9) if i.employee_no == "E101"
    ]
    assert late_comer.due_at is not None
    assert late_comer.due_at > TWO_HOURS_LATER
