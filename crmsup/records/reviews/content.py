"""A review as stored: finding it in an associate's file, opening and sealing its encrypted
fields, and the DTO a form is printed from.

Ratings (`ratings_enc`, JSON {competency id: {"rating", "comment"}}), the overall score and
the narrative fields are encrypted under the associate's data key, each bound to its column
and row; what does not open as written fails closed (IntegrityFailure), never an empty field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import short_ids, stale_edits
from crmsup.records.errors import IntegrityFailure, NotFound, StaleEdit
from crmsup.records.names import team_name, usernames
from crmsup.records.reviews.dto import Competency, ReviewDetail, ReviewLine
from crmsup.records.reviews.models import Review, ReviewTemplate
from crmsup.records.reviews.rules import clean_text, overall_score
from crmsup.records.reviews.templates import competencies_by_template, load_scale
from crmsup.records.sealed_fields import open_json, open_text, seal_json
from crmsup.records.subject import Subject
from crmsup.security.fields import FieldCipher

TABLE = Review.__tablename__
ENTITY = "review"
#: The narrative fields: DTO field → encrypted column, and how a message names it.
TEXTS = {
    "strengths": ("strengths_enc", "strengths"),
    "improvements": ("improvements_enc", "areas to improve"),
    "goals": ("goals_enc", "goals"),
    "associate_comments": ("associate_comments_enc", "associate's comments"),
}
#: Audit actions about a review that do not change it.
READS = ("review.view", "review.list")
#: {competency id as text: (rating, comment)}, as `ratings_enc` holds it.
Ratings = dict[str, tuple[int, str | None]]


def review_in_file(
    session: Session, subject: Subject, ref: str | uuid.UUID, *, lock: bool = False
) -> Review:
    """One of the associate's reviews, by id or the first 8 or more hex digits of it (exit 3
    when that names none or several)."""
    ids = session.scalars(select(Review.id).where(Review.associate_id == subject.associate_id))
    found = short_ids.find(ids, ref, "review")
    review = None if found is None else session.get(Review, found, with_for_update=lock)
    if review is None or review.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no review {ref}")
    return review


def open_ratings(cipher: FieldCipher, review: Review, row_id: str | None = None) -> Ratings:
    """The stored ratings ({} before the first); anything but the shape `seal_ratings`
    writes fails closed."""
    raw = open_json(cipher, TABLE, row_id or review.id, "ratings_enc", review.ratings_enc)
    if raw is None:
        return {}
    damaged = IntegrityFailure("the ratings of a review do not hold what was written")
    if not isinstance(raw, dict):
        raise damaged
    out: Ratings = {}
    for key, value in raw.items():
        if not isinstance(value, dict):
            raise damaged
        rating, comment = value.get("rating"), value.get("comment")
        if type(rating) is not int or not (comment is None or isinstance(comment, str)):
            raise damaged
        out[key] = (rating, comment)
    return out


def open_overall(cipher: FieldCipher, review: Review, row_id: str | None = None) -> Decimal | None:
    text = open_text(cipher, TABLE, row_id or review.id, "overall_enc", review.overall_enc)
    try:
        return None if text is None else Decimal(text)
    except InvalidOperation:
        raise IntegrityFailure("the overall score of a review is damaged") from None


def build_detail(
    session: Session, cipher: FieldCipher, subject: Subject, review: Review
) -> ReviewDetail:
    (detail,) = details_of(session, cipher, subject, [review])
    return detail


def details_of(
    session: Session, cipher: FieldCipher, subject: Subject, reviews: Sequence[Review]
) -> list[ReviewDetail]:
    """The reviews decrypted, with what they name (templates, competencies, people) looked
    up once for all of them: a file of many reviews costs a few queries, not a few each."""
    template_ids = {r.template_id for r in reviews}
    templates = {
        t.id: t
        for t in session.scalars(select(ReviewTemplate).where(ReviewTemplate.id.in_(template_ids)))
    }
    scales = {tid: load_scale(t) for tid, t in templates.items()}
    competencies = {
        tid: tuple((str(c.id), c) for c in found)
        for tid, found in competencies_by_template(session, template_ids).items()
    }
    people = {u for r in reviews for u in (r.reviewer_id, r.finalised_by) if u is not None}
    names = usernames(session, people)
    team = team_name(session, subject.team_id) if reviews else ""
    return [
        _assemble(cipher, subject, r, templates[r.template_id], scales, competencies, names, team)
        for r in reviews
    ]


def file_details(
    session: Session, cipher: FieldCipher, subject: Subject
) -> tuple[ReviewDetail, ...]:
    """Every review of the subject, latest period first, decrypted in the caller's
    transaction: their part of the associate's file (`crmsup.records.overview.file`)."""
    found = session.scalars(
        select(Review)
        .where(Review.associate_id == subject.associate_id)
        .order_by(Review.period_end.desc(), Review.created_at.desc(), Review.id)
    ).all()
    return tuple(details_of(session, cipher, subject, found))


def _assemble(
    cipher: FieldCipher,
    subject: Subject,
    review: Review,
    template: ReviewTemplate,
    scales: dict[uuid.UUID, tuple[str, ...]],
    competencies: dict[uuid.UUID, tuple[tuple[str, Competency], ...]],
    names: dict[uuid.UUID, str],
    team: str,
) -> ReviewDetail:
    """One review; `competencies` pairs each competency with its id as `ratings_enc` keys it."""
    row_id = str(review.id)
    ratings = open_ratings(cipher, review, row_id)
    texts = {
        field: open_text(cipher, TABLE, row_id, column, getattr(review, column))
        for field, (column, _) in TEXTS.items()
    }
    lines = tuple(
        ReviewLine(
            c.id,
            c.position,
            c.name,
            c.description,
            c.weight,
            *ratings.get(key, (None, None)),
        )
        for key, c in competencies.get(template.id, ())
    )
    return ReviewDetail(
        id=review.id,
        employee_no=subject.employee_no,
        team=team,
        kind=review.kind,
        state=review.state,
        period_start=review.period_start,
        period_end=review.period_end,
        reviewer=names[review.reviewer_id],
        template_id=template.id,
        template=template.name,
        scale=scales[template.id],
        lines=lines,
        overall=open_overall(cipher, review, row_id),
        created_at=review.created_at,
        submitted_at=review.submitted_at,
        acknowledged_on=review.acknowledged_on,
        finalised_by=None if review.finalised_by is None else names[review.finalised_by],
        finalised_on=review.finalised_on,
        version=review.version,
        **texts,
    )


def stale_edit(
    session: Session, subject: Subject, review_id: uuid.UUID, read: int | None
) -> StaleEdit:
    """Refuse an edit of a version that is no longer current, naming who changed it since
    (as the audit trail tells it)."""
    current = session.get_one(Review, review_id).version
    what = f"review {review_id.hex[:8]} of associate {subject.employee_no}"
    return stale_edits.stale_edit(session, ENTITY, review_id, what, current, read, unchanged=READS)


def seal_ratings(
    cipher: FieldCipher, review: Review, ratings: Ratings, competencies: Sequence[Competency]
) -> None:
    """Store `ratings` and the overall score they make (None until every competency of
    `competencies` is rated)."""
    stored = {key: {"rating": r, "comment": c} for key, (r, c) in ratings.items()}
    review.ratings_enc = seal_json(cipher, TABLE, review.id, "ratings_enc", stored)
    weights = {str(c.id): c.weight for c in competencies}
    score = overall_score({key: r for key, (r, _) in ratings.items()}, weights)
    review.overall_enc = (
        None if score is None else cipher.encrypt(TABLE, "overall_enc", str(review.id), str(score))
    )


def set_text(cipher: FieldCipher, review: Review, field: str, value: str) -> bool:
    """Set one narrative field ("" clears it); False when it already held that text."""
    column, label = TEXTS[field]
    text = clean_text(value, label)
    if text == open_text(cipher, TABLE, review.id, column, getattr(review, column)):
        return False
    sealed = None if text is None else cipher.encrypt(TABLE, column, str(review.id), text)
    setattr(review, column, sealed)
    return True
