"""Performance reviews of an associate: draft → submitted → acknowledged → finalised.

Whoever keeps the associate's file (REVIEW_WRITE: HR, the site's manager, the team's
supervisors) writes drafts, submits them and records the associate's acknowledgement; the
reviewer is the user who opened the draft, and only they may reopen it while the associate has
not acknowledged it. HR alone finalises (REVIEW_FINALISE), which locks the review for good.

Ratings, the overall score and every narrative field are encrypted under the associate's data
key; kind, state, period and dates stay plain so that due lists need no key
(`crmsup.records.review_due`). Every change is audited in its transaction with the names of the
fields it changed, every read of a review's content as "review.view", every refusal by
`subject.checked`. Each change takes the version the caller read: a stale one is refused,
naming who changed the review since, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.models import User
from crmsup.records.reviews.content import (
    ENTITY,
    TEXTS,
    build_detail,
    file_details,
    open_ratings,
    review_in_file,
    seal_ratings,
    set_text,
    stale_edit,
)
from crmsup.records.reviews.dto import Competency, NewReview, ReviewChanges, ReviewDetail, ReviewRow
from crmsup.records.reviews.due import due_items, overdue_reviews
from crmsup.records.reviews.models import Review, ReviewKind, ReviewState, ReviewTemplate
from crmsup.records.reviews.rules import (
    ReviewStep,
    check_acknowledgement,
    check_period,
    clean_ratings,
    next_state,
)
from crmsup.records.reviews.templates import active_form, competencies_of
from crmsup.records.subject import Subject, checked, checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

__all__ = [
    "acknowledge_review",
    "create_review",
    "due_items",
    "file_details",
    "finalise_review",
    "get_review",
    "list_reviews",
    "overdue_reviews",
    "reopen_review",
    "submit_review",
    "update_review",
]


def list_reviews(db: Database, actor: Actor, employee_no: str) -> tuple[ReviewRow, ...]:
    """The associate's reviews, newest period first: plain columns, nothing decrypted."""
    with checked_session(
        db, actor, Action.REVIEW_VIEW, "review.list", employee_no, "associate"
    ) as (subject, session):
        query = (
            select(Review, ReviewTemplate.name, User.username)
            .join(ReviewTemplate, ReviewTemplate.id == Review.template_id)
            .join(User, User.id == Review.reviewer_id)
            .where(Review.associate_id == subject.associate_id)
            .order_by(Review.period_end.desc(), Review.created_at.desc())
        )
        rows = tuple(
            ReviewRow(
                r.id,
                subject.employee_no,
                r.kind,
                r.state,
                r.template_id,
                template,
                r.period_start,
                r.period_end,
                reviewer,
                r.created_at,
                r.submitted_at,
                r.acknowledged_on,
                r.finalised_on,
                r.version,
            )
            for r, template, reviewer in session.execute(query)
        )
        audit.append(
            session,
            "review.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"reviews": len(rows)},
        )
        return rows


def get_review(db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID) -> ReviewDetail:
    """One review, decrypted (audited as "review.view")."""
    with checked_session(
        db, actor, Action.REVIEW_VIEW, "review.view", employee_no, "associate"
    ) as (subject, session):
        review = review_in_file(session, subject, ref)
        detail = build_detail(session, cipher_for(session, actor, subject), subject, review)
        audit.append(session, "review.view", actor=actor, entity_type=ENTITY, entity_id=review.id)
        return detail


# ---- writing -----------------------------------------------------------------------------


def create_review(
    db: Database, actor: Actor, employee_no: str, new: NewReview, *, now: datetime | None = None
) -> ReviewDetail:
    """A new draft on an active template, with the acting user as its reviewer."""
    with checked_session(
        db, actor, Action.REVIEW_WRITE, "review.create", employee_no, "associate"
    ) as (subject, session):
        kind = ReviewKind(new.kind)
        check_period(new.period_start, new.period_end)
        active_form(session, new.template_id)
        cipher = cipher_for(session, actor, subject)
        review = Review(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            template_id=new.template_id,
            kind=kind,
            state=ReviewState.DRAFT,
            period_start=new.period_start,
            period_end=new.period_end,
            reviewer_id=actor.user_id,
            created_at=now or utcnow(),
        )
        session.add(review)
        session.flush()
        audit.append(
            session,
            "review.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=review.id,
            details={
                "associate": str(subject.associate_id),
                "template": str(new.template_id),
                "kind": kind.value,
            },
        )
        return build_detail(session, cipher, subject, review)


@dataclass(frozen=True)
class _Change:
    """A review locked for one step, with what the step needs to change it."""

    session: Session
    actor: Actor
    subject: Subject
    review: Review
    cipher: FieldCipher
    competencies: tuple[Competency, ...]
    next_state: ReviewState

    def record(self, action: str, fields: list[str]) -> ReviewDetail:
        """Write the change and its audit entry (names of `fields`), in one transaction."""
        self.session.flush()
        audit.append(
            self.session,
            action,
            actor=self.actor,
            entity_type=ENTITY,
            entity_id=self.review.id,
            details={"fields": fields, "version": self.review.version},
        )
        return build_detail(self.session, self.cipher, self.subject, self.review)


@contextmanager
def _step(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    step: ReviewStep,
    expected_version: int | None,
    action: Action = Action.REVIEW_WRITE,
) -> Iterator[_Change]:
    """Check the actor may, lock the review, refuse a stale version or a step its state does
    not allow; the caller changes it and calls `record` in the same transaction."""
    audit_action = "review.update" if step is ReviewStep.EDIT else f"review.{step.value}"
    with checked(db, actor, action, audit_action, employee_no, "associate") as subject:
        review_id: uuid.UUID | None = None
        try:
            with db.transaction() as session:
                review = review_in_file(session, subject, ref, lock=True)
                review_id = review.id
                if expected_version is not None and review.version != expected_version:
                    raise stale_edit(session, subject, review.id, expected_version)
                after = next_state(review.state, step)
                cipher = cipher_for(session, actor, subject)
                form = competencies_of(session, review.template_id)
                yield _Change(session, actor, subject, review, cipher, form, after)
        except StaleDataError:
            if review_id is None:
                raise
            with db.transaction() as session:
                raise stale_edit(session, subject, review_id, expected_version) from None


def update_review(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: ReviewChanges,
    *,
    expected_version: int | None = None,
) -> ReviewDetail:
    """Change a draft: kind, period, ratings (merged per competency) and narrative fields.
    Nothing is written, nor audited, when nothing changes."""
    with _step(db, actor, employee_no, ref, ReviewStep.EDIT, expected_version) as change:
        review, fields = change.review, []
        start = changes.period_start or review.period_start
        end = changes.period_end or review.period_end
        check_period(start, end)
        kind = review.kind if changes.kind is None else ReviewKind(changes.kind)
        for field, old, new in (
            ("kind", review.kind, kind),
            ("period_start", review.period_start, start),
            ("period_end", review.period_end, end),
        ):
            if old != new:
                setattr(review, field, new)
                fields.append(field)
        if changes.ratings is not None:
            names = {c.id: c.name for c in change.competencies}
            given = clean_ratings(changes.ratings, names)
            old_ratings = open_ratings(change.cipher, review)
            merged = {**old_ratings, **{str(key): value for key, value in given.items()}}
            if merged != old_ratings:
                seal_ratings(change.cipher, review, merged, change.competencies)
                fields.append("ratings")
        for field in TEXTS:
            value = getattr(changes, field)
            if value is not None and set_text(change.cipher, change.review, field, value):
                fields.append(field)
        if not fields:
            return build_detail(change.session, change.cipher, change.subject, review)
        return change.record("review.update", fields)


def submit_review(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ReviewDetail:
    """Draft → submitted, once every competency is rated."""
    with _step(db, actor, employee_no, ref, ReviewStep.SUBMIT, expected_version) as change:
        ratings = open_ratings(change.cipher, change.review)
        unrated = [c.name for c in change.competencies if str(c.id) not in ratings]
        if unrated:
            raise ValidationFailed(
                "rate every competency before submitting the review; not yet rated: "
                + ", ".join(unrated)
            )
        change.review.state = change.next_state
        change.review.submitted_at = now or utcnow()
        return change.record("review.submit", ["state", "submitted_at"])


def reopen_review(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
) -> ReviewDetail:
    """Submitted → draft, by its reviewer, while the associate has not acknowledged it."""
    with _step(db, actor, employee_no, ref, ReviewStep.REOPEN, expected_version) as change:
        if change.review.reviewer_id != actor.user_id:
            raise PermissionDenied("only the review's reviewer may reopen it")
        change.review.state = change.next_state
        change.review.submitted_at = None
        return change.record("review.reopen", ["state", "submitted_at"])


def acknowledge_review(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    acknowledged_on: date,
    today: date,
    comments: str | None = None,
    expected_version: int | None = None,
) -> ReviewDetail:
    """Record that the associate acknowledged the submitted review on `acknowledged_on`,
    with their comments if they made any (None keeps those already written)."""
    with _step(db, actor, employee_no, ref, ReviewStep.ACKNOWLEDGE, expected_version) as change:
        review = change.review
        submitted = review.submitted_at or review.created_at
        check_acknowledgement(acknowledged_on, submitted.date(), today)
        review.state = change.next_state
        review.acknowledged_on = acknowledged_on
        fields = ["state", "acknowledged_on"]
        if comments is not None and set_text(
            change.cipher, change.review, "associate_comments", comments
        ):
            fields.append("associate_comments")
        return change.record("review.acknowledge", fields)


def finalise_review(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    today: date,
    expected_version: int | None = None,
) -> ReviewDetail:
    """Acknowledged → finalised on `today` (HR); the review is locked from then on, and an
    annual one starts the year to the next."""
    with _step(
        db,
        actor,
        employee_no,
        ref,
        ReviewStep.FINALISE,
        expected_version,
        Action.REVIEW_FINALISE,
    ) as change:
        review = change.review
        if review.acknowledged_on is not None and today < review.acknowledged_on:
            raise ValidationFailed(
                f"a review acknowledged on {review.acknowledged_on:%Y-%m-%d} cannot be "
                f"finalised on {today:%Y-%m-%d}, before that"
            )
        review.state = change.next_state
        review.finalised_by = actor.user_id
        review.finalised_on = today
        return change.record("review.finalise", ["state", "finalised_by", "finalised_on"])
