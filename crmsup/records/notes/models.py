"""Notes, feedback and client claims.

Notes and client claims are the associate's file: every text is AES-256-GCM under the
associate's data key, bound to table, column and row; kinds, states, dates and ids stay plain
so that due lists need no key. Notes and claims carry a version for optimistic locking.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class NoteKind(StrEnum):
    CONVERSATION = "conversation"  # a dated note of a conversation with the associate
    FEEDBACK = "feedback"  # feedback received from the associate


class ClaimState(StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    CLOSED = "closed"


class ClaimOutcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"


class Note(Base):
    """A dated note of a conversation, or feedback received from the associate. Its author
    alone edits it."""

    __tablename__ = "associate_notes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind, "note_kind"))
    noted_on: Mapped[date] = mapped_column(Date)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class ClientClaim(Base):
    """A client's claim about the associate: open → responded (first response, due 30
    minutes after it was received) → closed with an outcome."""

    __tablename__ = "client_claims"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    state: Mapped[ClaimState] = mapped_column(
        enum_column(ClaimState, "claim_state"), default=ClaimState.OPEN, index=True
    )
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    client_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # who complained
    claim_enc: Mapped[bytes] = mapped_column(LargeBinary)
    logged_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    logged_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    responded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    response_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[ClaimOutcome | None] = mapped_column(enum_column(ClaimOutcome, "claim_outcome"))
    outcome_notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (Note.associate_id, ClientClaim.associate_id)
