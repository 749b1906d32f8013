"""What HR's approval applies to the associate, in the approval's own transaction: a new team
(the key re-wrapped), a termination and the revocation of access it opens — or nothing."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import delete, select

from crmsup.records import reactions
from crmsup.records.access import service as access_service
from crmsup.records.access.models import AccessKind, AccessState, LineAction
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.keyring import team_scope_key
from crmsup.records.models import Associate, AssociateKey, AssociateStatus, SealedKey, Team
from crmsup.records.people.associates import get_associate
from crmsup.records.recommendations import service
from crmsup.records.recommendations.models import RecommendationState
from tests.factories import Org, add_associate
from tests.unit.records.access.matrix import TODAY, new_request
from tests.unit.records.recommendations.builders import (
    K,
    approved_by_manager,
    associate_id,
    entries,
    new_draft,
    stored,
)

S = RecommendationState


def test_a_transfer_moves_the_associate_and_their_key(org: Org) -> None:
    added = add_associate(org)
    draft = new_draft(org, K.TRANSFER, proposed_team="Team B")
    approved_by_manager(org, draft)
    done = service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    assert (done.state, done.team, done.proposed_team) == (S.APPROVED, "Team B", "Team B")
    moved = get_associate(org.db, org.sup_b, "E100")
    assert (moved.team, moved.first_name, moved.version) == ("Team B", "Ørjan", added.version + 1)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        get_associate(org.db, org.sup_a, "E100")
    assert [r.subject for r in service.list_recommendations(org.db, org.sup_b, team="Team B")] == [
        "E100"
    ]
    (transfer,) = entries(org, "associate.transfer")
    assert json.loads(transfer.details)["recommendation"] == str(draft.id)


def test_an_approver_without_the_new_teams_key_changes_nothing(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org, K.TRANSFER, proposed_team="Team B")
    approved_by_manager(org, draft)
    with org.db.transaction() as session:
        team_b = session.scalars(select(Team).where(Team.name == "Team B")).one()
        session.execute(
            delete(SealedKey).where(
                SealedKey.scope_key_id == team_scope_key(session, team_b.id).id,
                SealedKey.recipient_user_id == org.hr.user_id,
            )
        )
        key_before = session.get_one(AssociateKey, associate_id(session)).wrapped
    with pytest.raises(
        PermissionDenied, match=r"do not hold the key of Team B.*nothing was changed"
    ):
        service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    row = stored(org, draft.id)
    assert (row.state, row.hr_by, row.applied_at, row.version) == (
        S.MANAGER_APPROVED,
        None,
        None,
        3,
    )
    with org.db.transaction() as session:
        associate = session.get_one(Associate, associate_id(session))
        assert session.get_one(Team, associate.team_id).name == "Team A"
        assert session.get_one(AssociateKey, associate.id).wrapped == key_before
    assert [e.actor_name for e in entries(org, "recommendation.hr_approve", "denied")] == ["hr"]
    assert entries(org, "recommendation.hr_approve") == []


def test_a_termination_sets_status_and_date_and_opens_a_revocation(org: Org) -> None:
    add_associate(org)
    granted = access_service.file_request(org.db, org.hr, "E100", new_request())
    access_service.decide_request(org.db, org.hr, granted.id, approve=True)
    access_service.provision_request(org.db, org.admin, granted.id)
    draft = new_draft(org, K.TERMINATION, proposed_date=date(2026, 4, 30))
    approved_by_manager(org, draft)
    done = service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    assert done.applied_at is not None
    shown = get_associate(org.db, org.hr, "E100")
    assert (shown.status, shown.termination_date) == (AssociateStatus.TERMINATED, date(2026, 4, 30))
    (opened,) = [e for e in entries(org, "access.request") if e.entity_id != str(granted.id)]
    assert (opened.entity_type, opened.actor_name) == ("access_request", "hr")
    details = json.loads(opened.details)
    assert (details["recommendation"], details["automatic"], details["lines"]) == (
        str(draft.id),
        True,
        2,
    )
    assert "2026" not in opened.details
    revocation = access_service.get_request(org.db, org.admin, opened.entity_id or "", today=TODAY)
    assert (revocation.state, revocation.row.kind, revocation.row.effective_on) == (
        AccessState.APPROVED,
        AccessKind.REVOKE,
        date(2026, 4, 30),
    )
    assert [(x.system, x.action) for x in revocation.lines] == [
        ("Genesys", LineAction.REVOKE),
        ("Salesforce", LineAction.REVOKE),
    ]
    (status,) = entries(org, "associate.status")
    assert json.loads(status.details)["fields"] == ["status", "termination_date"]
    with pytest.raises(ValidationFailed, match="terminated: no recommendation"):
        new_draft(org, K.ADVANCEMENT)


def test_the_termination_hook_runs_in_the_approvals_transaction(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_associate(org)
    draft = new_draft(org, K.TERMINATION, proposed_date=date(2026, 4, 30))
    approved_by_manager(org, draft)
    calls: list[tuple[uuid.UUID, date]] = []

    def failing(
        session: object, actor: object, associate_id: uuid.UUID, ended: date, **_: object
    ) -> None:
        calls.append((associate_id, ended))
        raise RuntimeError("the access service is down")

    monkeypatch.setattr(reactions, "after_termination", failing)
    with pytest.raises(RuntimeError):
        service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    assert calls[0][1] == date(2026, 4, 30)
    assert get_associate(org.db, org.hr, "E100").status is AssociateStatus.ACTIVE
    assert stored(org, draft.id).state is S.MANAGER_APPROVED
    assert entries(org, "recommendation.hr_approve") == []
    assert entries(org, "associate.status") == []


def test_a_termination_before_the_hire_date_is_refused_when_applied(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org, K.TERMINATION, proposed_date=date(2019, 6, 30))
    approved_by_manager(org, draft)
    with org.db.transaction() as session:
        session.get_one(Associate, associate_id(session)).hire_date = date(2020, 1, 1)
    with pytest.raises(ValidationFailed, match="before the hire date"):
        service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    assert stored(org, draft.id).state is S.MANAGER_APPROVED


def test_the_termination_hook_writes_in_the_callers_transaction(org: Org) -> None:
    added = add_associate(org)
    rid = uuid.uuid4()

    def terminate_then_fail() -> None:
        with org.db.transaction() as session:
            reactions.after_termination(
                session, org.hr, added.id, date(2026, 4, 30), recommendation_id=rid
            )
            raise RuntimeError("the termination itself failed")

    with pytest.raises(RuntimeError):
        terminate_then_fail()
    assert entries(org, "access.request") == []
    assert access_service.list_requests(org.db, org.hr, today=TODAY) == ()
    with org.db.transaction() as session:
        reactions.after_termination(session, org.hr, added.id, date(2026, 4, 30))
    (entry,) = entries(org, "access.request")
    assert json.loads(entry.details) == {
        "associate": str(added.id),
        "kind": "revoke",
        "lines": 0,  # nothing provisioned: still a request to close accounts and badge
        "automatic": True,
        "recommendation": None,
    }
