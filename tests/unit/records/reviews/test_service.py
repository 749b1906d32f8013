"""Performance reviews through their life cycle, every refused step, the keys and the audit
trail; due dates and the inbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from crmsup.records.errors import (
    IntegrityFailure,
    NotFound,
    PermissionDenied,
    StaleEdit,
    ValidationFailed,
)
from crmsup.records.models import AuditEntry
from crmsup.records.reviews import service as reviews
from crmsup.records.reviews.dto import NewReview, Rating, ReviewChanges, ReviewDetail
from crmsup.records.reviews.models import Review, ReviewKind, ReviewState
from crmsup.records.reviews.templates import set_active
from tests.factories import Org, add_associate
from tests.unit.records.reviews.matrix import draft, new_template, rate_all

SECRET = "Explains refunds with great patience"
MARCH = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def _stored(org: Org, review: ReviewDetail) -> tuple[object, ...]:
    """Everything stored of a review, to show that a refusal changed nothing."""
    with org.db.transaction() as session:
        row = session.get_one(Review, review.id)
        return tuple(getattr(row, c.key) for c in Review.__table__.columns)


def _submitted(org: Org) -> ReviewDetail:
    add_associate(org)
    review = rate_all(org, draft(org, org.sup_a), actor=org.sup_a)
    return reviews.submit_review(org.db, org.sup_a, "E100", review.id, now=MARCH)


def _in_state(org: Org, state: ReviewState) -> ReviewDetail:
    if state is ReviewState.DRAFT:
        add_associate(org)
        return draft(org, org.sup_a)
    review = _submitted(org)
    if state is ReviewState.SUBMITTED:
        return review
    review = reviews.acknowledge_review(
        org.db,
        org.sup_a,
        "E100",
        review.id,
        acknowledged_on=date(2025, 3, 4),
        today=date(2025, 3, 4),
    )
    if state is ReviewState.ACKNOWLEDGED:
        return review
    return reviews.finalise_review(org.db, org.hr, "E100", review.id, today=date(2025, 3, 5))


def test_a_review_from_draft_to_finalised(org: Org) -> None:
    add_associate(org)
    opened = draft(org, org.sup_a)
    assert (opened.state, opened.reviewer, opened.overall, opened.version) == (
        ReviewState.DRAFT,
        "sup-a",
        None,
        1,
    )
    assert [(x.name, x.weight, x.rating) for x in opened.lines] == [
        ("Call quality", 3, None),
        ("Teamwork", 2, None),
        ("Punctuality", 1, None),
    ]
    quality, teamwork, punctuality = (x.competency_id for x in opened.lines)
    partly = reviews.update_review(
        org.db,
        org.sup_a,
        "E100",
        opened.short_id,
        ReviewChanges(ratings={quality: Rating(4, SECRET)}, strengths="Calm under pressure"),
        expected_version=opened.version,
    )
    assert (partly.lines[0].rating, partly.lines[0].comment, partly.overall) == (4, SECRET, None)
    rated = reviews.update_review(
        org.db,
        org.sup_a,
        "E100",
        opened.id,
        ReviewChanges(
            ratings={teamwork: Rating(3), punctuality: Rating(5)},
            improvements="Wrap-up time",
            goals="Mentor a newcomer",
            strengths="",
        ),
        expected_version=partly.version,
    )
    assert rated.overall == Decimal("3.83")  # (4·3 + 3·2 + 5·1) / 6
    assert (rated.strengths, rated.improvements, rated.goals) == (
        None,
        "Wrap-up time",
        "Mentor a newcomer",
    )
    assert rated.lines[0].comment == SECRET  # merged: the first rating kept its comment
    submitted = reviews.submit_review(org.db, org.sup_a, "E100", rated.id, now=MARCH)
    acknowledged = reviews.acknowledge_review(
        org.db,
        org.sup_a,
        "E100",
        rated.id,
        acknowledged_on=date(2025, 3, 4),
        today=date(2025, 3, 4),
        comments="I agree",
        expected_version=submitted.version,
    )
    assert (acknowledged.state, acknowledged.associate_comments) == (
        ReviewState.ACKNOWLEDGED,
        "I agree",
    )
    final = reviews.finalise_review(org.db, org.hr, "E100", rated.id, today=date(2025, 3, 10))
    assert (final.state, final.finalised_by, final.finalised_on, final.submitted_at) == (
        ReviewState.FINALISED,
        "hr",
        date(2025, 3, 10),
        MARCH,
    )
    assert reviews.get_review(org.db, org.manager, "E100", rated.short_id) == final

    trail = [
        (e.action, e.actor_name, json.loads(e.details).get("fields"))
        for action in (
            "review.create",
            "review.update",
            "review.submit",
            "review.acknowledge",
            "review.finalise",
        )
        for e in _entries(org, action)
    ]
    assert trail == [
        ("review.create", "sup-a", None),
        ("review.update", "sup-a", ["ratings", "strengths"]),
        ("review.update", "sup-a", ["ratings", "strengths", "improvements", "goals"]),
        ("review.submit", "sup-a", ["state", "submitted_at"]),
        ("review.acknowledge", "sup-a", ["state", "acknowledged_on", "associate_comments"]),
        ("review.finalise", "hr", ["state", "finalised_by", "finalised_on"]),
    ]
    (viewed,) = _entries(org, "review.view")
    assert (viewed.actor_name, viewed.entity_id) == ("manager", str(rated.id))
    with org.db.transaction() as session:
        details = " ".join(session.scalars(select(AuditEntry.details)))
        stored = b"".join(
            blob or b""
            for blob in session.execute(
                select(Review.ratings_enc, Review.overall_enc, Review.improvements_enc)
            ).one()
        )
    for plain in (SECRET, "Wrap-up", "3.83", "I agree"):
        assert plain not in details
        assert plain.encode() not in stored


def test_the_file_lists_reviews_without_decrypting_and_finds_them_by_short_id(org: Org) -> None:
    add_associate(org)
    first = draft(org, org.sup_a)
    second = draft(org, org.hr, template=new_template(org, "Probation"), kind=ReviewKind.PROBATION)
    rows = reviews.list_reviews(org.db, org.sup_a, "E100")
    assert {(r.short_id, r.kind, r.reviewer, r.template) for r in rows} == {
        (first.short_id, ReviewKind.ANNUAL, "sup-a", "Agent annual"),
        (second.short_id, ReviewKind.PROBATION, "hr", "Probation"),
    }
    (listed,) = _entries(org, "review.list")
    assert json.loads(listed.details) == {"reviews": 2}
    with pytest.raises(NotFound, match="associate E100 has no review 00000000"):
        reviews.get_review(org.db, org.sup_a, "E100", "00000000")
    with pytest.raises(ValidationFailed, match="first 8 or more hex digits"):
        reviews.get_review(org.db, org.sup_a, "E100", "abc")
    add_associate(org, "E200", team="Team A")
    with pytest.raises(NotFound, match="associate E200 has no review"):
        reviews.get_review(org.db, org.sup_a, "E200", first.id)


@pytest.mark.parametrize("state", list(ReviewState))
def test_every_step_a_state_does_not_allow_is_refused_and_changes_nothing(
    org: Org, state: ReviewState
) -> None:
    review = _in_state(org, state)
    before = _stored(org, review)
    attempts: dict[str, Callable[[], object]] = {
        "edit": lambda: reviews.update_review(
            org.db, org.hr, "E100", review.id, ReviewChanges(goals="More")
        ),
        "submit": lambda: reviews.submit_review(org.db, org.hr, "E100", review.id),
        "reopen": lambda: reviews.reopen_review(org.db, org.sup_a, "E100", review.id),
        "acknowledge": lambda: reviews.acknowledge_review(
            org.db, org.hr, "E100", review.id, acknowledged_on=MARCH.date(), today=MARCH.date()
        ),
        "finalise": lambda: reviews.finalise_review(
            org.db, org.hr, "E100", review.id, today=date(2025, 3, 6)
        ),
    }
    allowed = {
        ReviewState.DRAFT: {"edit", "submit"},
        ReviewState.SUBMITTED: {"reopen", "acknowledge"},
        ReviewState.ACKNOWLEDGED: {"finalise"},
        ReviewState.FINALISED: set(),
    }[state]
    for step, attempt in attempts.items():
        if step in allowed:
            continue
        expected = "finalised and locked" if state is ReviewState.FINALISED else "only a"
        with pytest.raises(ValidationFailed, match=expected):
            attempt()
        assert _stored(org, review) == before, step


def test_submitting_needs_every_competency_rated(org: Org) -> None:
    add_associate(org)
    review = draft(org, org.sup_a)
    first = review.lines[0].competency_id
    review = reviews.update_review(
        org.db, org.sup_a, "E100", review.id, ReviewChanges(ratings={first: Rating(2)})
    )
    before = _stored(org, review)
    with pytest.raises(ValidationFailed, match="not yet rated: Teamwork, Punctuality"):
        reviews.submit_review(org.db, org.sup_a, "E100", review.id)
    assert _stored(org, review) == before
    assert _entries(org, "review.submit") == []


def test_only_the_reviewer_reopens_and_only_hr_finalises(org: Org) -> None:
    review = _submitted(org)
    for other in (org.hr, org.manager):
        with pytest.raises(PermissionDenied, match="only the review's reviewer may reopen it"):
            reviews.reopen_review(org.db, other, "E100", review.id)
    assert [(e.actor_name, e.outcome) for e in _entries(org, "review.reopen")] == [
        ("hr", "denied"),
        ("manager", "denied"),
    ]
    back = reviews.reopen_review(org.db, org.sup_a, "E100", review.id)
    assert (back.state, back.submitted_at) == (ReviewState.DRAFT, None)
    review = reviews.submit_review(org.db, org.manager, "E100", review.id, now=MARCH)
    review = reviews.acknowledge_review(
        org.db, org.manager, "E100", review.id, acknowledged_on=MARCH.date(), today=MARCH.date()
    )
    before = _stored(org, review)
    for other in (org.sup_a, org.manager):
        with pytest.raises(PermissionDenied, match=r"may not do review\.finalise"):
            reviews.finalise_review(org.db, other, "E100", review.id, today=MARCH.date())
    with pytest.raises(ValidationFailed, match="acknowledged on 2025-03-03 cannot be finalised"):
        reviews.finalise_review(org.db, org.hr, "E100", review.id, today=date(2025, 3, 2))
    assert _stored(org, review) == before


def test_another_team_is_out_of_scope_and_the_refusal_is_audited(org: Org) -> None:
    review = _in_state(org, ReviewState.DRAFT)
    before = _stored(org, review)
    with pytest.raises(PermissionDenied, match="associate E100 is outside your scope"):
        reviews.get_review(org.db, org.sup_b, "E100", review.id)
    with pytest.raises(PermissionDenied):
        reviews.update_review(org.db, org.sup_b, "E100", review.id, ReviewChanges(goals="x"))
    new = NewReview(review.template_id, ReviewKind.AD_HOC, date(2024, 1, 1), date(2024, 1, 31))
    with pytest.raises(PermissionDenied):
        reviews.create_review(org.db, org.sup_b, "E100", new)
    assert [e.outcome for e in _entries(org, "review.view")] == ["denied"]
    assert [e.outcome for e in _entries(org, "review.update")] == ["denied"]
    assert [e.outcome for e in _entries(org, "review.create")] == ["ok", "denied"]
    assert _stored(org, review) == before


def test_a_stale_version_is_refused_naming_who_changed_it(org: Org) -> None:
    review = _in_state(org, ReviewState.DRAFT)
    changed = reviews.update_review(
        org.db, org.hr, "E100", review.id, ReviewChanges(goals="Coach two colleagues")
    )
    before = _stored(org, review)
    attempts: tuple[Callable[[], object], ...] = (
        lambda: reviews.update_review(
            org.db,
            org.sup_a,
            "E100",
            review.id,
            ReviewChanges(goals="Other"),
            expected_version=review.version,
        ),
        lambda: reviews.submit_review(
            org.db, org.sup_a, "E100", review.id, expected_version=review.version
        ),
    )
    for attempt in attempts:
        with pytest.raises(StaleEdit, match=rf"changed by hr at .*version {changed.version}"):
            attempt()
    assert _stored(org, review) == before


def test_bad_input_is_refused_and_writes_nothing(org: Org) -> None:
    review = _in_state(org, ReviewState.DRAFT)
    template = new_template(org, "Old form")
    set_active(org.db, org.hr, template.id, False)
    before = _stored(org, review)
    quality = review.lines[0].competency_id
    for attempt, message in (
        (ReviewChanges(period_end=date(2023, 12, 31)), "ends .* before it starts"),
        (ReviewChanges(ratings={quality: Rating(6)}), "Call quality: a rating is from 1 to 5"),
        (ReviewChanges(ratings={template.id: Rating(3)}), "not on this review's template"),
        (ReviewChanges(goals="x" * 20_001), "goals is longer than 20000"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            reviews.update_review(org.db, org.sup_a, "E100", review.id, attempt)
    with pytest.raises(ValidationFailed, match="is retired"):
        draft(org, org.sup_a, template=template)
    with pytest.raises(ValidationFailed, match=r"ends .* before it starts"):
        reviews.create_review(
            org.db,
            org.sup_a,
            "E100",
            NewReview(review.template_id, ReviewKind.AD_HOC, date(2024, 2, 1), date(2024, 1, 1)),
        )
    assert _stored(org, review) == before
    assert len(_entries(org, "review.create")) == 1


def test_the_acknowledgement_date_lies_between_submission_and_today(org: Org) -> None:
    review = _submitted(org)
    before = _stored(org, review)
    for day, message in (
        (date(2025, 3, 2), "before the review was submitted"),
        (date(2025, 3, 9), "to come"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            reviews.acknowledge_review(
                org.db, org.sup_a, "E100", review.id, acknowledged_on=day, today=date(2025, 3, 8)
            )
    assert _stored(org, review) == before


def test_ratings_moved_to_another_review_fail_closed(org: Org) -> None:
    add_associate(org)
    one = rate_all(org, draft(org))
    other = draft(org, template=new_template(org, "Second"))
    with org.db.transaction() as session:
        blob = session.get_one(Review, one.id).ratings_enc
        session.execute(update(Review).where(Review.id == other.id).values(ratings_enc=blob))
    with pytest.raises(IntegrityFailure):
        reviews.get_review(org.db, org.hr, "E100", other.id)
