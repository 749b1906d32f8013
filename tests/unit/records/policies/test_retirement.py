"""Retiring a policy: from its day it has no current version, nothing is owed or due, and it
takes no new version; a retirement set for a later day leaves it in force until then; every
refusal says why and changes nothing, and a refusal by role is audited."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from crmsup.records.actor import Actor
from crmsup.records.errors import NotFound, PermissionDenied, ValidationFailed
from crmsup.records.models import Associate, AuditEntry
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.content import current_version_ids
from crmsup.records.policies.dto import NewVersion, Outstanding
from crmsup.records.policies.models import Policy, PolicyVersion
from tests.factories import Org, add_associate
from tests.unit.records.policies.matrix import MONDAY_9, TODAY, publish

REASON = "Replaced by the new recording rules."
WEDNESDAY = date(2026, 3, 4)
#: Wednesday 4 March 2026, 09:00 in Paris.
WEDNESDAY_9 = MONDAY_9 + timedelta(days=2)


def _entries(org: Org, action: str) -> list[tuple[str | None, str, str | None, str]]:
    """(actor, outcome, entity type, details) of the trail's entries for `action`."""
    with org.db.transaction() as session:
        query = select(
            AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.entity_type, AuditEntry.details
        ).where(AuditEntry.action == action)
        return [(a, o, t, d) for a, o, t, d in session.execute(query.order_by(AuditEntry.sequence))]


def _retirement_columns(org: Org) -> set[tuple[object, ...]]:
    with org.db.transaction() as session:
        query = select(
            Policy.title,
            Policy.retired_on,
            Policy.retired_by,
            Policy.retired_at,
            Policy.retire_reason,
        )
        return {tuple(row) for row in session.execute(query)}


def _versions(org: Org) -> int:
    with org.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(PolicyVersion)) or 0


def _due_titles(org: Org, actor: Actor, now: datetime) -> list[tuple[str, str]]:
    """(policy title, employee number or "" for the actor themself) of the actor's inbox
    items about policies."""
    items = policy_service.due_items(org.db, actor, now)
    with org.db.transaction() as session:
        titles = dict(
            session.execute(
                select(PolicyVersion.id, Policy.title).join(
                    Policy, Policy.id == PolicyVersion.policy_id
                )
            ).all()
        )
    return sorted((titles[i.record_id], i.employee_no or "") for i in items)


def _associate_on_team_before_publication(org: Org) -> None:
    add_associate(org, "E100", team="Team A")
    with org.db.transaction() as session:
        session.execute(update(Associate).values(created_at=MONDAY_9 - timedelta(days=30)))


def test_a_policy_retired_today_is_neither_current_nor_owed(org: Org) -> None:
    _associate_on_team_before_publication(org)
    recording = publish(org)
    dress = publish(org, "Dress code")
    assert _due_titles(org, org.sup_a, MONDAY_9) == [
        ("Call recording", ""),
        ("Call recording", "E100"),
        ("Dress code", ""),
        ("Dress code", "E100"),
    ]

    retirement = policy_service.retire(
        org.db, org.hr, "call recording", TODAY, f"  {REASON}\n", now=MONDAY_9
    )
    assert (retirement.retired_on, retirement.retired_by, retirement.reason) == (
        TODAY,
        "hr",
        REASON,
    )
    assert retirement.retired_at == MONDAY_9
    ((who, outcome, kind, details),) = _entries(org, "policy.retire")
    assert (who, outcome, kind) == ("hr", "ok", "policy")
    assert json.loads(details) == {"retired_on": "2026-03-02"}

    with org.db.transaction() as session:
        assert current_version_ids(session, TODAY) == {dress.policy_id: dress.id}
    rows = {r.title: r for r in policy_service.list_policies(org.db, org.sup_a, TODAY)}
    assert rows["Call recording"].current is None
    assert rows["Call recording"].retirement == retirement
    assert not rows["Call recording"].latest.current
    assert rows["Dress code"].current is not None
    assert rows["Dress code"].retirement is None
    # What it said stays readable: the version in force on its last day, no longer current.
    shown = policy_service.get_policy(org.db, org.auditor, "Call recording", TODAY)
    assert (shown.id, shown.current, shown.retirement) == (recording.id, False, retirement)

    refusal = "policy 'Call recording' was retired on 2026-03-02"
    with pytest.raises(ValidationFailed, match=refusal):
        policy_service.acknowledge(org.db, org.sup_a, "Call recording", now=MONDAY_9)
    with pytest.raises(ValidationFailed, match=refusal):
        policy_service.acknowledge(org.db, org.sup_a, "Call recording", number=1, now=MONDAY_9)
    with pytest.raises(ValidationFailed, match=refusal):
        policy_service.record_associate_acknowledgement(
            org.db, org.sup_a, "E100", "Call recording", acknowledged_on=TODAY, today=TODAY
        )
    everyone = policy_service.outstanding(org.db, org.hr, MONDAY_9)
    assert {u.title for u in everyone.users} == {"Dress code"}
    assert [(a.title, a.employee_no) for a in everyone.associates] == [("Dress code", "E100")]
    assert _due_titles(org, org.sup_a, MONDAY_9) == [("Dress code", ""), ("Dress code", "E100")]

    with pytest.raises(ValidationFailed, match="publish it under a new title"):
        publish(org, effective_on=WEDNESDAY)
    assert _versions(org) == 2
    replacement = publish(org, "Call recording 2026")
    assert (replacement.number, replacement.current, replacement.retirement) == (1, True, None)


def test_a_retirement_set_for_a_later_day_keeps_the_policy_in_force_until_then(
    org: Org,
) -> None:
    _associate_on_team_before_publication(org)
    version = publish(org)
    retirement = policy_service.retire(
        org.db, org.hr, "Call recording", WEDNESDAY, REASON, now=MONDAY_9
    )
    assert retirement.retired_on == WEDNESDAY

    (row,) = policy_service.list_policies(org.db, org.sup_a, TODAY)
    assert row.current is not None
    assert (row.current.id, row.retirement) == (version.id, retirement)
    assert policy_service.get_policy(org.db, org.hr, "Call recording", date(2026, 3, 3)).current
    assert _due_titles(org, org.sup_a, MONDAY_9) == [
        ("Call recording", ""),
        ("Call recording", "E100"),
    ]
    ack = policy_service.acknowledge(org.db, org.sup_a, "Call recording", now=MONDAY_9)
    assert ack.version_id == version.id
    assert [u.username for u in policy_service.outstanding(org.db, org.sup_b, MONDAY_9).users] == [
        "sup-b"
    ]
    with pytest.raises(ValidationFailed, match="retired from 2026-03-04; publish it under a new"):
        publish(org, effective_on=date(2026, 3, 3))

    # From Wednesday, local time, nothing is owed any more.
    assert policy_service.outstanding(org.db, org.hr, WEDNESDAY_9) == Outstanding((), ())
    assert _due_titles(org, org.sup_a, WEDNESDAY_9) == []
    assert _due_titles(org, org.sup_b, WEDNESDAY_9) == []
    later = policy_service.get_policy(org.db, org.hr, "Call recording", WEDNESDAY)
    assert (later.id, later.current) == (version.id, False)
    with pytest.raises(ValidationFailed, match="was retired on 2026-03-04"):
        policy_service.acknowledge(org.db, org.sup_b, "Call recording", now=WEDNESDAY_9)


def test_every_refusal_says_why_and_changes_nothing(org: Org) -> None:
    publish(org)
    before = _retirement_columns(org)
    assert before == {("Call recording", None, None, None, None)}
    with pytest.raises(NotFound, match="no policy titled 'Nothing'"):
        policy_service.retire(org.db, org.hr, " Nothing ", TODAY, REASON, now=MONDAY_9)
    with pytest.raises(ValidationFailed, match="reason for retiring the policy must not be empty"):
        policy_service.retire(org.db, org.hr, "Call recording", TODAY, " \n ", now=MONDAY_9)
    with pytest.raises(ValidationFailed, match="longer than 2000"):
        policy_service.retire(org.db, org.hr, "Call recording", TODAY, "x" * 2001, now=MONDAY_9)
    # 23:30 UTC on Sunday is already Monday in Paris: Sunday is in the past there.
    sunday_night = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    with pytest.raises(
        ValidationFailed, match=r"today \(2026-03-02\) or a later day, not from 2026-03-01"
    ):
        policy_service.retire(
            org.db, org.hr, "Call recording", date(2026, 3, 1), REASON, now=sunday_night
        )
    assert _retirement_columns(org) == before
    assert _entries(org, "policy.retire") == []

    retirement = policy_service.retire(
        org.db, org.hr, "Call recording", None, REASON, now=sunday_night
    )
    assert retirement.retired_on == TODAY
    after = _retirement_columns(org)
    with pytest.raises(
        ValidationFailed, match="'Call recording' is already retired from 2026-03-02"
    ):
        policy_service.retire(
            org.db, org.hr, "Call recording", WEDNESDAY, "Another reason", now=MONDAY_9
        )
    assert _retirement_columns(org) == after
    assert len(_entries(org, "policy.retire")) == 1


def test_only_hr_retires_and_each_refusal_is_audited(org: Org) -> None:
    publish(org)
    before = _retirement_columns(org)
    refused = (org.admin, org.manager, org.sup_a, org.auditor)
    for actor in refused:
        with pytest.raises(PermissionDenied, match=r"may not do policy\.publish"):
            policy_service.retire(org.db, actor, "Call recording", TODAY, REASON, now=MONDAY_9)
    assert _retirement_columns(org) == before
    entries = _entries(org, "policy.retire")
    assert [(who, outcome, kind) for who, outcome, kind, _ in entries] == [
        (a.username, "denied", "policy") for a in refused
    ]
    assert all(REASON not in details for *_, details in entries)


def test_a_policy_retired_before_any_version_came_into_force(org: Org) -> None:
    publish(org, effective_on=date(2026, 4, 1))
    second = publish(org, effective_on=date(2026, 5, 1))
    policy_service.retire(org.db, org.hr, "Call recording", TODAY, REASON, now=MONDAY_9)
    # Nothing was ever in force: the newest version is what it said last.
    shown = policy_service.get_policy(org.db, org.hr, "Call recording", TODAY)
    assert shown.retirement is not None
    assert (shown.id, shown.current, shown.retirement.reason) == (second.id, False, REASON)
    first = policy_service.get_policy(org.db, org.hr, "Call recording", TODAY, number=1)
    assert (first.number, first.current, first.retirement) == (1, False, shown.retirement)
    with pytest.raises(ValidationFailed, match="was retired on 2026-03-02"):
        policy_service.acknowledge(org.db, org.hr, "Call recording", number=1, now=MONDAY_9)
    with pytest.raises(ValidationFailed, match="publish it under a new title"):
        policy_service.publish(org.db, org.hr, NewVersion("CALL RECORDING", TODAY, "Back"))
    assert _versions(org) == 2
