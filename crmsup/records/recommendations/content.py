"""A recommendation as stored: its subject, opening and sealing its encrypted fields, checking
its supporting links, and the DTOs lists and forms are built from.

The proposed title, the rationale, the links (JSON) and both decisions' comments are
encrypted under the subject's data key — the associate's, or the candidate's own for a hire —
each bound to its column and row; what does not open as written fails closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import IntegrityFailure, NotFound, ValidationFailed
from crmsup.records.keyring import data_cipher
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.names import employee_numbers, team_names, usernames
from crmsup.records.recommendations.candidate_keys import candidate_cipher
from crmsup.records.recommendations.dto import (
    Link,
    RecommendationDetail,
    RecommendationRow,
    candidate_subject,
)
from crmsup.records.recommendations.models import Candidate, Recommendation
from crmsup.records.recommendations.rules import Facts
from crmsup.records.reviews.models import Review
from crmsup.records.sealed_fields import open_json, open_required, open_text, seal_json
from crmsup.security.fields import FieldCipher

TABLE = Recommendation.__tablename__

#: Each table a link may name: its id column, its associate column, and how messages call it.
_LINKED = {
    DisciplineRecord.__tablename__: (
        DisciplineRecord.id,
        DisciplineRecord.associate_id,
        "discipline record",
    ),
    Review.__tablename__: (Review.id, Review.associate_id, "review"),
}


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """What the rules need of a recommendation's subject."""

    team_id: uuid.UUID
    candidate: bool
    status: AssociateStatus | None
    hire_date: date | None
    #: The candidate was hired already (a hire cannot be recommended again).
    hired: bool = False


def subject_facts(
    session: Session, associate_id: uuid.UUID | None, candidate_id: uuid.UUID | None
) -> SubjectFacts:
    if associate_id is not None:
        associate = session.get_one(Associate, associate_id)
        if associate.erased_at is not None:
            raise NotFound(f"associate {associate.employee_no} was erased")
        return SubjectFacts(associate.team_id, False, associate.status, associate.hire_date)
    assert candidate_id is not None  # noqa: S101 - the table's CHECK: one subject
    candidate = session.get_one(Candidate, candidate_id)
    if candidate.erased_at is not None:
        raise NotFound(f"candidate {candidate_id.hex[:8]} was erased")
    return SubjectFacts(candidate.team_id, True, None, None, candidate.hired_as is not None)


def facts_of(session: Session, rec: Recommendation) -> Facts:
    site_id = session.get_one(Team, rec.team_id).site_id
    return Facts(rec.state, site_id, rec.created_by, rec.submitted_by, rec.manager_by)


def cipher_of(session: Session, actor: Actor, rec: Recommendation) -> FieldCipher:
    """The subject's data key; PermissionDenied when the actor holds no key of the team."""
    if rec.associate_id is not None:
        return data_cipher(session, actor, rec.associate_id)
    assert rec.candidate_id is not None  # noqa: S101 - the table's CHECK: one subject
    return candidate_cipher(session, actor, rec.candidate_id)


def check_links(session: Session, links: Sequence[Link], associate_id: uuid.UUID | None) -> None:
    """Each link names a record that exists and belongs to the subject (ValidationFailed)."""
    for link in links:
        id_column, owner_column, what = _LINKED[link.type]
        owner = session.scalar(select(owner_column).where(id_column == link.id))
        if owner is None or owner != associate_id:
            raise ValidationFailed(
                f"there is no {what} {link.id.hex[:8]} in this associate's file to link"
            )


def seal_texts(
    cipher: FieldCipher,
    rec: Recommendation,
    title: str | None,
    rationale: str,
    links: Sequence[Link],
) -> None:
    """Encrypt the author's fields into `rec` (the decisions' comments are sealed apart)."""
    rec.proposed_title_enc = (
        None if title is None else cipher.encrypt(TABLE, "proposed_title_enc", str(rec.id), title)
    )
    rec.rationale_enc = cipher.encrypt(TABLE, "rationale_enc", str(rec.id), rationale)
    value = [{"type": link.type, "id": str(link.id)} for link in links]
    rec.links_enc = seal_json(cipher, TABLE, rec.id, "links_enc", value) if links else None


def open_links(cipher: FieldCipher, rec: Recommendation) -> tuple[Link, ...]:
    if rec.links_enc is None:
        return ()
    raw = open_json(cipher, TABLE, rec.id, "links_enc", rec.links_enc)
    if raw is None:
        return ()
    try:
        links = tuple(Link(str(item["type"]), uuid.UUID(str(item["id"]))) for item in raw)
    except (KeyError, TypeError, ValueError):
        raise IntegrityFailure(
            "the links of a recommendation do not hold what was written"
        ) from None
    if any(link.type not in _LINKED for link in links):
        raise IntegrityFailure("the links of a recommendation do not hold what was written")
    return links


def open_title(cipher: FieldCipher, rec: Recommendation) -> str | None:
    return open_text(cipher, TABLE, rec.id, "proposed_title_enc", rec.proposed_title_enc)


def open_rationale(cipher: FieldCipher, rec: Recommendation) -> str:
    return open_required(cipher, TABLE, rec.id, "rationale_enc", rec.rationale_enc)


def rows_of(session: Session, recs: Iterable[Recommendation]) -> list[RecommendationRow]:
    """Plain rows, with the users, teams and employee numbers they name looked up at once."""
    recs = list(recs)
    user_ids = {
        u
        for r in recs
        for u in (r.created_by, r.submitted_by, r.manager_by, r.hr_by)
        if u is not None
    }
    team_ids = {r.team_id for r in recs} | {r.proposed_team_id for r in recs if r.proposed_team_id}
    associate_ids = {r.associate_id for r in recs if r.associate_id is not None}
    users = usernames(session, user_ids)
    teams = team_names(session, team_ids)
    numbers = employee_numbers(session, associate_ids)

    def user(user_id: uuid.UUID | None) -> str | None:
        return None if user_id is None else users[user_id]

    out = []
    for r in recs:
        number = None if r.associate_id is None else numbers[r.associate_id]
        subject = number if number is not None else candidate_subject(_candidate(r))
        out.append(
            RecommendationRow(
                id=r.id,
                kind=r.kind,
                state=r.state,
                subject=subject,
                employee_no=number,
                candidate_id=r.candidate_id,
                team=teams[r.team_id],
                proposed_team=None if r.proposed_team_id is None else teams[r.proposed_team_id],
                proposed_date=r.proposed_date,
                created_by=users[r.created_by],
                created_at=r.created_at,
                submitted_by=user(r.submitted_by),
                submitted_at=r.submitted_at,
                manager_by=user(r.manager_by),
                manager_at=r.manager_at,
                hr_by=user(r.hr_by),
                hr_at=r.hr_at,
                applied_at=r.applied_at,
                version=r.version,
            )
        )
    return out


def _candidate(rec: Recommendation) -> uuid.UUID:
    assert rec.candidate_id is not None  # noqa: S101 - the table's CHECK: one subject
    return rec.candidate_id


def detail_of(session: Session, cipher: FieldCipher, rec: Recommendation) -> RecommendationDetail:
    (detail,) = details_of(session, cipher, [rec])
    return detail


def details_of(
    session: Session, cipher: FieldCipher, recs: Sequence[Recommendation]
) -> list[RecommendationDetail]:
    """The recommendations decrypted (all under `cipher`: one subject's), with the people,
    teams and numbers they name looked up once for all of them."""
    return [
        _detail(cipher, rec, row) for rec, row in zip(recs, rows_of(session, recs), strict=True)
    ]


def file_details(
    session: Session, cipher: FieldCipher, associate_id: uuid.UUID
) -> tuple[RecommendationDetail, ...]:
    """Every recommendation about the associate, newest first, decrypted (under `cipher`,
    their data key) in the caller's transaction: their part of the associate's file."""
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.associate_id == associate_id)
        .order_by(Recommendation.created_at.desc(), Recommendation.id)
    ).all()
    return tuple(details_of(session, cipher, recs))


#: The plain fields a detail copies from its row.
_ROW_FIELDS = tuple(RecommendationRow.__dataclass_fields__)


def _detail(
    cipher: FieldCipher, rec: Recommendation, row: RecommendationRow
) -> RecommendationDetail:
    row_id = str(rec.id)
    return RecommendationDetail(
        **{name: getattr(row, name) for name in _ROW_FIELDS},
        proposed_title=open_title(cipher, rec),
        rationale=open_rationale(cipher, rec),
        links=open_links(cipher, rec),
        manager_comment=open_text(
            cipher, TABLE, row_id, "manager_comment_enc", rec.manager_comment_enc
        ),
        hr_comment=open_text(cipher, TABLE, row_id, "hr_comment_enc", rec.hr_comment_enc),
    )
