"""`subject.checked_session`: the check and the work in one transaction, and a refusal — from
the check or from the work — audited in its own after the work is rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.errors import NotFound, PermissionDenied
from crmsup.records.models import AuditEntry
from crmsup.records.subject import checked_session
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate


def _entries(org: Org, action: str) -> list[tuple[str | None, str, str | None]]:
    with org.db.transaction() as session:
        rows = session.execute(
            select(AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.entity_id)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.sequence)
        ).all()
    return [(name, outcome, entity) for name, outcome, entity in rows]


def _note(session: Session, org: Org) -> None:
    """A change the work makes: an audit entry, the cheapest write every table allows."""
    audit.append(session, "test.work", actor=org.sup_a)


def _work(org: Org, actor: Actor, employee_no: str = "E100", fail: Exception | None = None) -> bool:
    """Run a piece of work that writes and then, with `fail`, raises; whether it ran."""
    ran = False
    with checked_session(
        org.db, actor, Action.ASSOCIATE_VIEW, "test.read", employee_no, "associate"
    ) as (_, session):
        ran = True
        _note(session, org)
        if fail is not None:
            raise fail
    return ran


def test_the_work_sees_the_subject_and_commits(org: Org) -> None:
    added = add_associate(org)
    with checked_session(
        org.db, org.sup_a, Action.ASSOCIATE_VIEW, "test.read", "E100", "associate"
    ) as (subject, session):
        assert (subject.associate_id, subject.employee_no) == (added.id, "E100")
        _note(session, org)
    assert _entries(org, "test.work") == [("sup-a", "ok", None)]
    assert _entries(org, "test.read") == []


def test_a_refused_check_runs_no_work_and_is_audited_on_the_associate(org: Org) -> None:
    added = add_associate(org)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        _work(org, org.sup_b)
    assert _entries(org, "test.work") == []
    assert _entries(org, "test.read") == [("sup-b", "denied", str(added.id))]


def test_a_refusal_inside_the_work_rolls_it_back_and_is_audited(org: Org) -> None:
    added = add_associate(org)
    with pytest.raises(PermissionDenied, match="no key"):
        _work(org, org.sup_a, fail=PermissionDenied("no key for this file"))
    assert _entries(org, "test.work") == []
    assert _entries(org, "test.read") == [("sup-a", "denied", str(added.id))]


def test_another_error_rolls_back_and_audits_nothing(org: Org) -> None:
    add_associate(org)
    with pytest.raises(ValueError, match="broken"):
        _work(org, org.sup_a, fail=ValueError("broken"))
    assert _entries(org, "test.work") == []
    assert _entries(org, "test.read") == []


def test_an_unknown_associate_is_not_found_and_not_a_refusal(org: Org) -> None:
    with pytest.raises(NotFound):
        _work(org, org.sup_a, "E999")
    assert _entries(org, "test.work") == []
    assert _entries(org, "test.read") == []
