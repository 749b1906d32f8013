"""Recommendations as supervisors, the site manager and HR meet them: every life cycle, every
refused step (nothing changed), the changes HR's approval applies, and the inbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crmsup.records.discipline.models import DisciplineCategory, DisciplineRecord
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.people.associates import get_associate
from crmsup.records.people.status import set_status
from crmsup.records.recommendations import service
from crmsup.records.recommendations.dto import Link, RecommendationChanges
from crmsup.records.recommendations.models import Recommendation, RecommendationState
from tests.factories import Org, add_associate
from tests.unit.records.recommendations.builders import (
    NOW,
    RATIONALE,
    K,
    approved_by_manager,
    entries,
    new_draft,
    stored,
)

S = RecommendationState


def test_a_promotion_goes_through_the_chain_and_sets_the_title(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org)
    assert (draft.state, draft.proposed_title, draft.rationale) == (S.DRAFT, "Team lead", RATIONALE)
    assert (draft.subject, draft.team, draft.created_by, draft.version) == (
        "E100",
        "Team A",
        "sup-a",
        1,
    )
    ref = draft.short_id
    sent = service.submit(org.db, org.sup_a, "E100", ref, expected_version=1, now=NOW)
    assert (sent.state, sent.submitted_by, sent.submitted_at) == (S.SUBMITTED, "sup-a", NOW)
    passed = service.decide(
        org.db, org.manager, "E100", ref, approve=True, comment="Well earned", expected_version=2
    )
    assert (passed.state, passed.manager_by, passed.applied_at) == (
        S.MANAGER_APPROVED,
        "manager",
        None,
    )
    done = service.decide(org.db, org.hr, "E100", ref, approve=True, now=NOW)
    assert (done.state, done.hr_by, done.applied_at) == (S.APPROVED, "hr", NOW)
    assert get_associate(org.db, org.hr, "E100").job_title == "Team lead"

    shown = service.get_recommendation(org.db, org.sup_a, "E100", ref)
    assert (shown.manager_comment, shown.hr_comment, shown.version) == ("Well earned", None, 4)
    actions = [
        "recommendation.create",
        "recommendation.submit",
        "recommendation.manager_approve",
        "recommendation.hr_approve",
        "associate.update",
        "recommendation.apply",
        "recommendation.view",
    ]
    for action in actions:
        (entry,) = entries(org, action)
        assert RATIONALE not in entry.details
        assert "Team lead" not in entry.details
    (update,) = entries(org, "associate.update")
    assert json.loads(update.details)["fields"] == ["job_title"]
    assert json.loads(entries(org, "recommendation.manager_approve")[0].details)["fields"] == [
        "manager_at",
        "manager_by",
        "manager_comment",
        "state",
    ]
    with org.db.transaction() as session:
        stored = session.get_one(Recommendation, draft.id)
        assert RATIONALE.encode() not in stored.rationale_enc
        assert stored.proposed_title_enc is not None
        assert b"Team lead" not in stored.proposed_title_enc


def test_rejections_need_a_comment_and_end_the_chain(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org)
    service.submit(org.db, org.sup_a, "E100", draft.id)
    with pytest.raises(ValidationFailed, match="rejection needs a comment"):
        service.decide(org.db, org.manager, "E100", draft.id, approve=False)
    rejected = service.decide(
        org.db, org.manager, "E100", draft.id, approve=False, comment="Not before the review"
    )
    assert rejected.state is S.REJECTED
    shown = service.get_recommendation(org.db, org.hr, "E100", draft.id)
    assert shown.manager_comment == "Not before the review"
    with pytest.raises(ValidationFailed, match="rejected: decided for good"):
        service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    with pytest.raises(ValidationFailed, match="rejected: decided for good"):
        service.withdraw(org.db, org.sup_a, "E100", draft.id)
    assert get_associate(org.db, org.hr, "E100").job_title is None

    second = new_draft(org)
    approved_by_manager(org, second)
    assert service.decide(
        org.db, org.hr, "E100", second.id, approve=False, comment="Budget"
    ).state is (S.REJECTED)
    assert get_associate(org.db, org.hr, "E100").job_title is None


def _unchanged(org: Org, rid: uuid.UUID, state: S, version: int) -> None:
    row = stored(org, rid)
    assert (row.state, row.version) == (state, version)


def test_every_refused_step_says_why_and_changes_nothing(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org)
    # Wrong role.
    with pytest.raises(
        PermissionDenied, match=r"a supervisor may not do recommendation\.manager_decide"
    ):
        service.decide(org.db, org.sup_a, "E100", draft.id, approve=True)
    # Wrong person: a draft is its author's.
    with pytest.raises(PermissionDenied, match="only they may submit it"):
        service.submit(org.db, org.manager, "E100", draft.id)
    with pytest.raises(PermissionDenied, match="only they may edit it"):
        service.update_recommendation(
            org.db, org.hr, "E100", draft.id, RecommendationChanges(rationale="mine now")
        )
    # Wrong state.
    with pytest.raises(ValidationFailed, match="a draft, not submitted yet"):
        service.decide(org.db, org.manager, "E100", draft.id, approve=True)
    # Out of scope.
    with pytest.raises(PermissionDenied, match="outside your scope"):
        service.get_recommendation(org.db, org.sup_b, "E100", draft.id)
    _unchanged(org, draft.id, S.DRAFT, 1)
    service.submit(org.db, org.sup_a, "E100", draft.id)
    # Stale version.
    with pytest.raises(StaleEdit, match=r"changed by sup-a at .* UTC since you read it") as stale:
        service.decide(org.db, org.manager, "E100", draft.id, approve=True, expected_version=1)
    assert "nothing was overwritten" in str(stale.value)
    with pytest.raises(PermissionDenied, match="only the person who submitted"):
        service.withdraw(org.db, org.manager, "E100", draft.id)
    with pytest.raises(ValidationFailed, match="waiting for the site manager"):
        service.update_recommendation(
            org.db, org.sup_a, "E100", draft.id, RecommendationChanges(rationale="late")
        )
    with pytest.raises(ValidationFailed, match="waiting for the site manager's decision"):
        service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    _unchanged(org, draft.id, S.SUBMITTED, 2)
    denied = {
        (e.action, e.actor_name)
        for e in entries(org, "recommendation.manager_approve", "denied")
        + entries(org, "recommendation.submit", "denied")
        + entries(org, "recommendation.update", "denied")
        + entries(org, "recommendation.view", "denied")
        + entries(org, "recommendation.withdraw", "denied")
    }
    assert denied == {
        ("recommendation.manager_approve", "sup-a"),
        ("recommendation.submit", "manager"),
        ("recommendation.update", "hr"),
        ("recommendation.view", "sup-b"),
        ("recommendation.withdraw", "manager"),
    }
    withdrawn = service.withdraw(org.db, org.sup_a, "E100", draft.id, expected_version=2)
    assert withdrawn.state is S.WITHDRAWN


def test_nobody_approves_their_own(org: Org) -> None:
    add_associate(org)
    by_manager = new_draft(org, actor="manager")
    service.submit(org.db, org.manager, "E100", by_manager.id)
    with pytest.raises(PermissionDenied, match="nobody approves their own"):
        service.decide(org.db, org.manager, "E100", by_manager.id, approve=True)
    _unchanged(org, by_manager.id, S.SUBMITTED, 2)

    by_hr = new_draft(org, actor="hr")
    approved_by_manager(org, by_hr, author="hr")
    with pytest.raises(PermissionDenied, match="another HR user makes the final decision"):
        service.decide(org.db, org.hr, "E100", by_hr.id, approve=True)
    _unchanged(org, by_hr.id, S.MANAGER_APPROVED, 3)
    assert get_associate(org.db, org.hr, "E100").job_title is None
    # The author may still withdraw it before the final decision.
    assert service.withdraw(org.db, org.hr, "E100", by_hr.short_id).state is S.WITHDRAWN


def test_drafts_are_edited_by_field_and_links_point_into_the_file(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", first="Ada", last="Lovelace")
    mine, theirs = (_discipline_record(org, number) for number in ("E100", "E200"))
    draft = new_draft(org, links=(Link("discipline", mine),))
    assert draft.links == (Link("discipline_records", mine),)
    with pytest.raises(ValidationFailed, match="in this associate's file"):
        new_draft(org, links=(Link("discipline", theirs),))
    changes = RecommendationChanges(
        proposed_title="Senior agent", proposed_team="Team B", clear=frozenset({"links"})
    )
    edited = service.update_recommendation(
        org.db, org.sup_a, "E100", draft.short_id, changes, expected_version=1
    )
    assert (edited.proposed_title, edited.proposed_team, edited.links, edited.version) == (
        "Senior agent",
        "Team B",
        (),
        2,
    )
    (entry,) = entries(org, "recommendation.update")
    assert json.loads(entry.details)["fields"] == ["links", "proposed_team", "proposed_title"]
    same = service.update_recommendation(
        org.db, org.sup_a, "E100", draft.id, RecommendationChanges()
    )
    assert same.version == 2
    with pytest.raises(ValidationFailed, match="proposes the new job title"):
        service.update_recommendation(
            org.db,
            org.sup_a,
            "E100",
            draft.id,
            RecommendationChanges(clear=frozenset({"proposed_title"})),
        )
    with pytest.raises(ValidationFailed, match="cannot be emptied: rationale"):
        service.update_recommendation(
            org.db,
            org.sup_a,
            "E100",
            draft.id,
            RecommendationChanges(clear=frozenset({"rationale"})),
        )
    assert stored(org, draft.id).version == 2
    # A promotion that also moves team applies both.
    approved_by_manager(org, edited)
    service.decide(org.db, org.hr, "E100", draft.id, approve=True)
    promoted = get_associate(org.db, org.sup_b, "E100")
    assert (promoted.job_title, promoted.team) == ("Senior agent", "Team B")


def _discipline_record(org: Org, number: str) -> uuid.UUID:
    """A bare discipline record (its content does not matter here)."""
    with org.db.transaction() as session:
        associate = session.scalars(select(Associate).where(Associate.employee_no == number)).one()
        record = DisciplineRecord(
            id=uuid.uuid4(),
            associate_id=associate.id,
            category=DisciplineCategory.CONDUCT,
            level_id=uuid.UUID(int=1),
            incident_dates_enc=b"-",
            description_enc=b"-",
            created_by=org.hr.user_id,
        )
        session.add(record)
        return record.id


def test_short_ids_subjects_and_lists(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org)
    with pytest.raises(NotFound, match="no recommendation 00000000 for E100"):
        service.get_recommendation(org.db, org.hr, "E100", "00000000")
    with pytest.raises(ValidationFailed, match="first 8 or more hex digits"):
        service.get_recommendation(org.db, org.hr, "E100", "abc")
    with pytest.raises(NotFound, match="no associate with employee number E999"):
        service.get_recommendation(org.db, org.hr, "E999", draft.short_id)
    assert [r.id for r in service.list_recommendations(org.db, org.sup_a, "E100")] == [draft.id]
    assert service.list_recommendations(org.db, org.sup_b) == ()
    with pytest.raises(PermissionDenied, match="associate E100 is outside your scope"):
        service.list_recommendations(org.db, org.sup_b, "E100")
    with pytest.raises(PermissionDenied, match="may not"):
        service.list_recommendations(org.db, org.admin)
    assert [e.actor_name for e in entries(org, "recommendation.list", "denied")] == [
        "sup-b",
        "root",
    ]


def test_the_inbox_lists_decisions_waiting_and_old_drafts(org: Org) -> None:
    add_associate(org)
    old = new_draft(org)
    submitted = new_draft(org, K.ADVANCEMENT)
    service.submit(org.db, org.sup_a, "E100", submitted.id, now=NOW)
    passed = new_draft(org, K.ADVANCEMENT)
    service.submit(org.db, org.sup_a, "E100", passed.id, now=NOW)
    later = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    service.decide(org.db, org.manager, "E100", passed.id, approve=True, now=later)
    own = new_draft(org, K.ADVANCEMENT, actor="manager")
    service.submit(org.db, org.manager, "E100", own.id, now=NOW)

    today = date(2026, 3, 17)  # NOW + 15 days: the draft is older than 14 days
    assert [
        (i.kind, i.record_id, i.due_on) for i in service.due_items(org.db, org.sup_a, today)
    ] == [("recommendation.draft", old.id, date(2026, 3, 16))]
    (waiting,) = service.due_items(org.db, org.manager, today)
    assert (waiting.kind, waiting.record_id, waiting.due_on) == (
        "recommendation.approval",
        submitted.id,
        date(2026, 3, 3),
    )
    assert (waiting.employee_no, waiting.team, waiting.overdue(today)) == ("E100", "Team A", True)
    hr_items = service.due_items(org.db, org.hr, today)
    assert [(i.record_id, i.due_on) for i in hr_items] == [(passed.id, date(2026, 3, 6))]
    assert service.due_items(org.db, org.sup_a, date(2026, 3, 16)) == ()
    assert service.due_items(org.db, org.admin, today) == ()
    assert service.due_items(org.db, org.sup_b, today) == ()


def test_a_recommendation_about_a_terminated_associate_is_not_submitted(org: Org) -> None:
    add_associate(org)
    draft = new_draft(org)
    set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2026, 1, 31)
    )
    with pytest.raises(ValidationFailed, match="terminated"):
        service.submit(org.db, org.sup_a, "E100", draft.id)
    _unchanged(org, draft.id, S.DRAFT, 1)
