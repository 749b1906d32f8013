"""Candidates: kept under a key of their own, recommended for hire, hired as associates, or
erased on their own when they are not hired."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crmsup.records.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    StaleEdit,
    ValidationFailed,
)
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.people.associates import get_associate
from crmsup.records.people.status import set_status
from crmsup.records.recommendations import service
from crmsup.records.recommendations.candidates import (
    add_candidate,
    erase_candidate,
    get_candidate,
    list_candidates,
    update_candidate,
)
from crmsup.records.recommendations.dto import (
    CandidateChanges,
    CandidateDetail,
    NewCandidate,
    NewRecommendation,
    candidate_subject,
)
from crmsup.records.recommendations.models import (
    Candidate,
    CandidateKey,
    Recommendation,
    RecommendationKind,
    RecommendationState,
)
from crmsup.records.upkeep.erasure import erase_associate
from tests.factories import PASSWORD, Org, add_associate

NAMES = ("Grace", "Hopper", "grace@example.org")
NOTES = "Calm under pressure; handled the role play well"
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _grace(org: Org, actor: str = "sup_a", team: str = "Team A") -> CandidateDetail:
    new = NewCandidate(
        team,
        "Grace",
        "Hopper",
        email="grace@example.org",
        interviewed_on=date(2026, 5, 1),
        interview_notes=NOTES,
        result="recommended",
    )
    return add_candidate(org.db, getattr(org, actor), new, now=NOW)


def _entries(org: Org, action: str, outcome: str = "ok") -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == outcome)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def test_a_candidate_is_kept_encrypted_and_read_back(org: Org) -> None:
    added = _grace(org)
    assert (added.first_name, added.last_name, added.email, added.phone) == (
        "Grace",
        "Hopper",
        "grace@example.org",
        None,
    )
    assert (added.interview_notes, added.result, added.team, added.version) == (
        NOTES,
        "recommended",
        "Team A",
        1,
    )
    add_candidate(org.db, org.hr, NewCandidate("Team A", "Ada", "Byron"))
    rows = list_candidates(org.db, org.manager, "Team A")
    assert [(r.last_name, r.first_name) for r in rows] == [("Byron", "Ada"), ("Hopper", "Grace")]
    assert get_candidate(org.db, org.sup_a, added.short_id) == added
    with org.db.transaction() as session:
        stored = session.get_one(Candidate, added.id)
        blobs = [stored.name_enc, stored.contact_enc, stored.interview_notes_enc, stored.result_enc]
    for blob in blobs:
        assert blob is not None
        assert not any(text.encode() in blob for text in (*NAMES, NOTES))
    (created, _) = _entries(org, "candidate.create")
    assert json.loads(created.details)["fields"] == [
        "email",
        "first_name",
        "interview_notes",
        "interviewed_on",
        "last_name",
        "result",
    ]
    for action in ("candidate.create", "candidate.list", "candidate.view"):
        assert not any("Grace" in e.details or "Hopper" in e.details for e in _entries(org, action))
    assert [e.actor_name for e in _entries(org, "candidate.view")] == ["sup-a"]


def test_only_keepers_of_the_team_see_or_add_candidates(org: Org) -> None:
    added = _grace(org)
    with pytest.raises(PermissionDenied, match="team Team A is outside your scope"):
        _grace(org, "sup_b")
    with pytest.raises(PermissionDenied, match="outside your scope"):
        get_candidate(org.db, org.sup_b, added.id)
    with pytest.raises(PermissionDenied, match="may not"):
        list_candidates(org.db, org.admin, "Team A")
    with pytest.raises(PermissionDenied, match="may not"):
        get_candidate(org.db, org.auditor, added.id)
    assert [e.actor_name for e in _entries(org, "candidate.create", "denied")] == ["sup-b"]
    assert [e.actor_name for e in _entries(org, "candidate.view", "denied")] == [
        "sup-b",
        "auditor",
    ]
    assert list_candidates(org.db, org.sup_b, "Team B") == ()
    with pytest.raises(NotFound, match="no candidate 00000000"):
        get_candidate(org.db, org.hr, "00000000")


def test_updates_name_their_fields_and_refuse_stale_versions(org: Org) -> None:
    added = _grace(org)
    changes = CandidateChanges(phone="+33 4 72 00 00 00", clear=frozenset({"result"}))
    changed = update_candidate(org.db, org.sup_a, added.id, changes, expected_version=1)
    assert (changed.phone, changed.result, changed.email, changed.version) == (
        "+33 4 72 00 00 00",
        None,
        "grace@example.org",
        2,
    )
    (entry,) = _entries(org, "candidate.update")
    assert json.loads(entry.details)["fields"] == ["phone", "result"]
    with pytest.raises(StaleEdit, match=r"changed by sup-a at .* since you read it"):
        update_candidate(
            org.db, org.hr, added.id, CandidateChanges(last_name="Murray"), expected_version=1
        )
    with pytest.raises(ValidationFailed, match="e-mail address is not valid"):
        update_candidate(org.db, org.hr, added.id, CandidateChanges(email="not an address"))
    with pytest.raises(ValidationFailed, match="cannot be emptied: first_name"):
        update_candidate(
            org.db, org.hr, added.id, CandidateChanges(clear=frozenset({"first_name"}))
        )
    assert get_candidate(org.db, org.hr, added.id) == changed


def _approved_hire(org: Org, candidate: CandidateDetail) -> Recommendation:
    new = NewRecommendation(
        RecommendationKind.HIRE,
        "Strong interview",
        candidate_id=candidate.id,
        proposed_title="Agent",
    )
    draft = service.create_recommendation(org.db, org.sup_a, new)
    subject = candidate_subject(candidate.id)
    assert draft.subject == subject
    service.submit(org.db, org.sup_a, subject, draft.short_id)
    service.decide(org.db, org.manager, subject, draft.short_id, approve=True)
    done = service.decide(org.db, org.hr, subject, draft.short_id, approve=True)
    assert (done.state, done.applied_at) == (RecommendationState.APPROVED, None)
    with org.db.transaction() as session:
        return session.get_one(Recommendation, draft.id)


def test_an_approved_candidate_is_hired_as_an_associate(org: Org) -> None:
    grace = _grace(org)
    with pytest.raises(ValidationFailed, match="only be recommended for hire"):
        service.create_recommendation(
            org.db,
            org.sup_a,
            NewRecommendation(
                RecommendationKind.PROMOTION, "no", candidate_id=grace.id, proposed_title="x"
            ),
        )
    rec = _approved_hire(org, grace)
    with pytest.raises(PermissionDenied, match="may not"):
        service.hire_candidate(org.db, org.manager, rec.id, "E500", date(2026, 6, 1))
    hired = service.hire_candidate(org.db, org.hr, rec.id, "E500", date(2026, 6, 1), now=NOW)
    assert (hired.employee_no, hired.team, hired.candidate_id) == ("E500", "Team A", grace.id)
    associate = get_associate(org.db, org.sup_a, "E500")
    assert (associate.first_name, associate.last_name, associate.email) == NAMES
    assert (associate.job_title, associate.hire_date) == ("Agent", date(2026, 6, 1))
    assert get_candidate(org.db, org.hr, grace.id).hired_as == "E500"
    (shown,) = service.list_recommendations(org.db, org.hr, candidate_subject(grace.id))
    assert shown.applied_at == NOW
    for action in ("associate.create", "candidate.hire", "recommendation.apply"):
        (entry,) = _entries(org, action)
        assert entry.actor_name == "hr"
        assert "Grace" not in entry.details

    with pytest.raises(ValidationFailed, match="hired already"):
        service.hire_candidate(org.db, org.hr, rec.id, "E501", date(2026, 6, 1))
    with pytest.raises(ValidationFailed, match="their file is the associate's now"):
        update_candidate(org.db, org.hr, grace.id, CandidateChanges(result="hired"))
    with pytest.raises(ValidationFailed, match="erased with the associate's"):
        erase_candidate(org.db, org.hr, grace.id, PASSWORD)
    # When the associate is erased, the candidate file they came from goes with theirs.
    set_status(
        org.db, org.hr, "E500", AssociateStatus.TERMINATED, termination_date=date(2026, 7, 1)
    )
    erasure = erase_associate(org.db, org.hr, "E500", PASSWORD, early=True)
    assert ("candidates", 1) in erasure.deleted
    with org.db.transaction() as session:
        assert session.get(CandidateKey, grace.id) is None
        assert session.get_one(Candidate, grace.id).name_enc is None
        assert session.get(Recommendation, rec.id) is None


def test_a_hire_needs_an_approval_and_a_free_employee_number(org: Org) -> None:
    grace = _grace(org)
    draft = service.create_recommendation(
        org.db,
        org.sup_a,
        NewRecommendation(RecommendationKind.HIRE, "Good", candidate_id=grace.id),
    )
    with pytest.raises(ValidationFailed, match="only an approved hire"):
        service.hire_candidate(org.db, org.hr, draft.id, "E600", date(2026, 6, 1))
    rec = _approved_hire(org, _grace(org))
    add_associate(org, "E600")
    with pytest.raises(ValidationFailed, match="E600 is already in use"):
        service.hire_candidate(org.db, org.hr, rec.id, "E600", date(2026, 6, 1))
    with org.db.transaction() as session:
        assert session.get_one(Candidate, rec.candidate_id).hired_as is None


def test_erasing_a_candidate_leaves_nothing_to_decrypt(org: Org, tmp_path: Path) -> None:
    grace = _grace(org)
    kept = _grace(org)
    service.create_recommendation(
        org.db,
        org.sup_a,
        NewRecommendation(RecommendationKind.HIRE, "A strong interview", candidate_id=grace.id),
    )
    with org.db.transaction() as session:
        wrapped = session.get_one(CandidateKey, grace.id).wrapped
        name_blob = session.get_one(Candidate, grace.id).name_enc
    with pytest.raises(PermissionDenied, match="may not"):
        erase_candidate(org.db, org.sup_a, grace.id, PASSWORD)
    with pytest.raises(AuthenticationFailed, match="password is needed again"):
        erase_candidate(org.db, org.hr, grace.id, "not the password")
    assert get_candidate(org.db, org.hr, grace.id).first_name == "Grace"

    erased = erase_candidate(org.db, org.hr, grace.short_id, PASSWORD, now=NOW)
    assert (erased.candidate_id, erased.recommendations_deleted, erased.erased_at) == (
        grace.id,
        1,
        NOW,
    )
    assert erased.residue_cleared
    with pytest.raises(NotFound):
        get_candidate(org.db, org.hr, grace.id)
    with org.db.transaction() as session:
        tomb = session.get_one(Candidate, grace.id)
        assert [tomb.name_enc, tomb.contact_enc, tomb.interview_notes_enc, tomb.result_enc] == [
            None
        ] * 4
        assert session.get(CandidateKey, grace.id) is None
        count = select(func.count()).select_from(Recommendation)
        assert session.scalar(count.where(Recommendation.candidate_id == grace.id)) == 0
    assert [r.id for r in list_candidates(org.db, org.hr, "Team A")] == [kept.id]
    (entry,) = _entries(org, "candidate.erase")
    assert json.loads(entry.details)["deleted"] == ["recommendations:1", "candidate_keys:1"]
    if org.db.is_sqlite:
        database = Path(org.db.engine.url.database or "")
        files = [database, database.with_name(database.name + "-wal")]
        data = b"".join(f.read_bytes() for f in files if f.exists())
        assert wrapped not in data
        assert name_blob is not None
        assert name_blob not in data
