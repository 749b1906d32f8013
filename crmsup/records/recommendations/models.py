"""Recommendations to hire, promote, advance, transfer or terminate, and the candidates a hire
is recommended from.

Every narrative column (`*_enc`) is AES-256-GCM under the associate's data key (a candidate's
own key for a candidate, `candidate_keys`), bound to its table, column and row. What stays
plain is what the app must sort, count or date without a key: kinds, states, dates, teams
and ids. Every editable record carries a version for optimistic locking.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class RecommendationKind(StrEnum):
    HIRE = "hire"
    PROMOTION = "promotion"
    ADVANCEMENT = "advancement"
    TRANSFER = "transfer"
    TERMINATION = "termination"


class RecommendationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the site manager
    MANAGER_APPROVED = "manager_approved"  # waiting for HR
    APPROVED = "approved"  # by HR; applied to the associate where it changes them
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Candidate(Base):
    """A person interviewed for a team, not (yet) an associate. Name, contact and interview
    notes are encrypted under the candidate's own data key (`candidate_keys`), so that a
    candidate who is not hired can be erased on their own."""

    __tablename__ = "candidates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    interview_notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The interview's result in a word the supervisor chose ("recommended", "not suited").
    result_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    interviewed_on: Mapped[date | None] = mapped_column(Date)
    #: Set when a hire was approved and the candidate became this associate.
    hired_as: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("associates.id"))
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class CandidateKey(Base):
    """A candidate's data key, wrapped by their team's scope key (as `AssociateKey`)."""

    __tablename__ = "candidate_keys"

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    scope_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scope_keys.id"), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class Recommendation(Base):
    """A recommendation to hire, promote, advance, transfer or terminate, and its approvals.

    The subject is an associate or, for a hire, a candidate (exactly one of the two).
    """

    __tablename__ = "recommendations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[RecommendationKind] = mapped_column(
        enum_column(RecommendationKind, "recommendation_kind")
    )
    associate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("associates.id"), index=True)
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("candidates.id"), index=True)
    #: The team the subject belongs to now (a candidate's: the team interviewing them);
    #: scope and keys follow it.
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    state: Mapped[RecommendationState] = mapped_column(
        enum_column(RecommendationState, "recommendation_state"),
        default=RecommendationState.DRAFT,
    )
    proposed_title_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    proposed_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"))
    proposed_date: Mapped[date | None] = mapped_column(Date)
    rationale_enc: Mapped[bytes] = mapped_column(LargeBinary)
    #: JSON list of {"type": table name, "id": uuid} of the supporting records.
    links_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    manager_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    manager_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    manager_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    hr_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    hr_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hr_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("(associate_id IS NULL) <> (candidate_id IS NULL)", name="one_subject"),
    )


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`). The candidate an associate was hired from
#: is shredded apart, by `candidate_keys.shred_hired_as`.
ERASED_ROWS: ErasedRows = (Recommendation.associate_id,)
