"""Access requests: the life cycle, every refusal, stale edits, scope, and what IT can read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crmsup.records.access import service
from crmsup.records.access.dto import AccessChanges, LineSpec
from crmsup.records.access.models import (
    AccessKind,
    AccessRequest,
    AccessState,
    LineAction,
    LineState,
)
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.people import status as status_service
from tests.factories import Org, add_associate
from tests.unit.records.access.matrix import TODAY, approved, filed, new_request

S = AccessState
NAMES = ("Ørjan", "Bøe")


def _entries(org: Org, action: str, outcome: str = "ok") -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == outcome)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def test_a_request_lives_from_filing_to_closing_and_it_works_it(org: Org) -> None:
    add_associate(org)
    request = filed(org, org.sup_a)
    assert (request.state, request.person_name, len(request.lines)) == (
        S.REQUESTED,
        "Ørjan Bøe",
        2,
    )
    decided = service.decide_request(
        org.db, org.manager, request.short_id, approve=True, comment="ok for Monday"
    )
    assert (decided.state, decided.decided_by, decided.decision_comment) == (
        S.APPROVED,
        "manager",
        "ok for Monday",
    )
    # IT reads it, with the access key, and works it line by line.
    shown = service.get_request(org.db, org.admin, request.short_id, today=TODAY)
    assert (shown.person_name, shown.justification) == ("Ørjan Bøe", request.justification)
    one = service.provision_request(
        org.db, org.admin, request.id, line=2, note="account made", expected_version=shown.version
    )
    assert [(x.state, x.provisioned_by) for x in one.lines] == [
        (LineState.PENDING, None),
        (LineState.DONE, "root"),
    ]
    assert (one.state, one.version) == (S.APPROVED, shown.version + 1)
    done = service.provision_request(org.db, org.admin, request.id, note="headset given")
    assert (done.state, done.provisioned_by, done.notes) == (
        S.PROVISIONED,
        "root",
        "account made\n\nheadset given",
    )
    closed = service.close_request(org.db, org.admin, request.id)
    assert (closed.state, closed.closed_by) == (S.CLOSED, "root")
    actions = [e.action for e in _entries(org, "access.provision")]
    assert actions == ["access.provision", "access.provision"]
    for entry in _entries(org, "access.provision") + _entries(org, "access.request"):
        assert not any(word in entry.details for word in (*NAMES, "Genesys", "headset"))
    assert json.loads(_entries(org, "access.provision")[0].details)["lines"] == ["2"]


def test_a_denied_request_is_closed_and_never_provisioned(org: Org) -> None:
    add_associate(org)
    request = filed(org)
    denied = service.decide_request(org.db, org.hr, request.id, approve=False)
    assert denied.state is S.DENIED
    with pytest.raises(ValidationFailed, match="denied request cannot be provisioned"):
        service.provision_request(org.db, org.admin, request.id)
    assert service.close_request(org.db, org.admin, request.id).state is S.CLOSED
    rows = service.list_requests(org.db, org.admin, today=TODAY)
    assert (rows[0].state, rows[0].days_since_approved) == (S.CLOSED, None)


def test_a_keeper_changes_or_cancels_a_request_only_while_it_waits(org: Org) -> None:
    add_associate(org)
    request = filed(org, org.sup_a)
    changed = service.update_request(
        org.db,
        org.sup_a,
        request.id,
        AccessChanges(lines=(LineSpec("Genesys", "team lead"),), justification="Promoted."),
        expected_version=request.version,
        today=TODAY,
    )
    assert [(x.system, x.role) for x in changed.lines] == [("Genesys", "team lead")]
    assert (changed.justification, changed.version) == ("Promoted.", request.version + 1)
    with pytest.raises(StaleEdit, match="changed by sup-a"):
        service.cancel_request(
            org.db, org.sup_a, request.id, expected_version=request.version, today=TODAY
        )
    cancelled = service.cancel_request(org.db, org.sup_a, request.id, today=TODAY)
    assert cancelled.state is S.CANCELLED
    with pytest.raises(ValidationFailed, match="cancelled request cannot be approved"):
        service.decide_request(org.db, org.hr, request.id, approve=True)


def test_a_stale_decision_changes_nothing(org: Org) -> None:
    add_associate(org)
    request = filed(org)
    service.update_request(
        org.db, org.hr, request.id, AccessChanges(justification="Other."), today=TODAY
    )
    with pytest.raises(StaleEdit, match=r"changed by hr .* nothing was overwritten"):
        service.decide_request(
            org.db, org.manager, request.id, approve=True, expected_version=request.version
        )
    assert service.get_request(org.db, org.hr, request.id, today=TODAY).state is S.REQUESTED
    assert _entries(org, "access.approve") == []


def test_refusals_are_audited_and_change_nothing(org: Org) -> None:
    add_associate(org)
    request = filed(org)
    with pytest.raises(PermissionDenied, match=r"may not do access\.approve"):
        service.decide_request(org.db, org.sup_a, request.id, approve=True)
    with pytest.raises(PermissionDenied, match=r"may not do access\.provision"):
        service.provision_request(org.db, org.hr, request.id)
    with pytest.raises(PermissionDenied, match=r"may not do access\.request"):
        filed(org, org.admin)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        service.get_request(org.db, org.sup_b, request.id, today=TODAY)
    denied = [e.action for e in _entries(org, "access.view", "denied")]
    assert denied == ["access.view"]
    assert len(_entries(org, "access.approve", "denied")) == 1
    with pytest.raises(NotFound):
        service.get_request(org.db, org.hr, "deadbeef", today=TODAY)
    with pytest.raises(ValidationFailed, match="first 8"):
        service.get_request(org.db, org.hr, "xyz", today=TODAY)
    assert service.get_request(org.db, org.hr, request.id, today=TODAY).state is S.REQUESTED


def test_bad_requests_are_refused_with_nothing_written(org: Org) -> None:
    add_associate(org)
    for new, message in (
        (new_request(lines=()), "at least one SYSTEM:ROLE"),
        (new_request(justification="  "), "justification is empty"),
        (new_request(lines=(LineSpec("A", "b"), LineSpec("a", "B"))), "asked for twice"),
        (new_request(AccessKind.REVOKE), "is to revoke"),
        (new_request(lines=(LineSpec("", "agent"),)), "system"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            filed(org, new=new)
    with org.db.transaction() as session:
        assert session.scalars(select(AccessRequest)).all() == []
    assert filed(org, new=new_request(AccessKind.EQUIPMENT, lines=())).lines == ()


def test_a_supervisor_sees_only_requests_of_their_teams(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", team="Team B")
    filed(org)
    other = filed(org, employee_no="E200")
    assert [r.employee_no for r in service.list_requests(org.db, org.sup_a, today=TODAY)] == [
        "E100"
    ]
    assert {r.employee_no for r in service.list_requests(org.db, org.admin, today=TODAY)} == {
        "E100",
        "E200",
    }
    with pytest.raises(PermissionDenied, match="outside your scope"):
        service.list_requests(org.db, org.sup_a, today=TODAY, team="Team B")
    with pytest.raises(PermissionDenied, match="outside your scope"):
        service.get_request(org.db, org.sup_a, other.id, today=TODAY)
    with pytest.raises(PermissionDenied):
        service.list_requests(org.db, org.auditor, today=TODAY)


def test_ageing_counts_days_since_filed_and_approved(org: Org) -> None:
    add_associate(org)
    filed_at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    request = service.file_request(org.db, org.hr, "E100", new_request(), now=filed_at)
    service.decide_request(
        org.db, org.hr, request.id, approve=True, now=datetime(2026, 11, 20, 9, tzinfo=UTC)
    )
    (row,) = service.list_requests(org.db, org.hr, today=TODAY, state=S.APPROVED)
    assert (row.days_since_filed, row.days_since_approved, row.lines_pending) == (21, 3, 2)


def test_due_items_for_approvers_and_it(org: Org) -> None:
    add_associate(org)
    friday = datetime(2026, 11, 20, 16, tzinfo=UTC)
    waiting = service.file_request(org.db, org.sup_a, "E100", new_request(), now=friday)
    to_do = service.file_request(org.db, org.hr, "E100", new_request(AccessKind.CHANGE))
    service.decide_request(org.db, org.hr, to_do.id, approve=True, now=friday)
    (approval,) = service.due_items(org.db, org.manager, TODAY)
    assert (approval.kind, approval.due_on, approval.record_id) == (
        "access.approval",
        date(2026, 11, 24),
        waiting.id,
    )
    (provision,) = service.due_items(org.db, org.admin, TODAY)
    assert (provision.kind, provision.due_on, provision.employee_no) == (
        "access.provision",
        date(2026, 11, 23),
        "E100",
    )
    assert service.due_items(org.db, org.sup_a, TODAY) == ()
    assert service.due_items(org.db, org.auditor, TODAY) == ()


def test_a_termination_by_hr_opens_a_revocation_of_what_was_provisioned(org: Org) -> None:
    request = approved(org)
    service.provision_request(org.db, org.admin, request.id)
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2026, 12, 4)
    )
    rows = service.list_requests(org.db, org.admin, today=TODAY, state=S.APPROVED)
    (revocation,) = rows
    assert (revocation.kind, revocation.automatic, revocation.effective_on) == (
        AccessKind.REVOKE,
        True,
        date(2026, 12, 4),
    )
    shown = service.get_request(org.db, org.admin, revocation.id, today=TODAY)
    assert [(x.system, x.role, x.action) for x in shown.lines] == [
        ("Genesys", "agent", LineAction.REVOKE),
        ("Salesforce", "service user", LineAction.REVOKE),
    ]
    assert shown.person_name == "Ørjan Bøe"
    due = [i for i in service.due_items(org.db, org.admin, TODAY) if i.record_id == shown.id]
    assert due[0].due_on == date(2026, 12, 4)
    service.provision_request(org.db, org.admin, shown.id)
    status_service.set_status(org.db, org.hr, "E100", AssociateStatus.ACTIVE)
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2027, 1, 4)
    )
    newest = service.list_requests(org.db, org.admin, today=TODAY, state=S.APPROVED)
    assert [r.lines for r in newest] == [0]  # nothing left to revoke: accounts and badge
