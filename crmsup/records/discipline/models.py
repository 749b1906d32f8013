"""Progressive discipline: HR's levels, the records of an associate's file, their notes, and
the files attached to them.

Every narrative column (`*_enc`) is AES-256-GCM under the associate's data key, bound to its
table, column and row. What stays plain is what the app must sort, count or date without a
key: states, levels, categories, dates and ids. Every editable record carries a version for
optimistic locking.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class DisciplineCategory(StrEnum):
    ATTENDANCE = "attendance"
    PERFORMANCE = "performance"
    CONDUCT = "conduct"
    POLICY = "policy"
    OTHER = "other"


class DisciplineState(StrEnum):
    """Stored states. "expired" is not stored: it is an issued or acknowledged record whose
    live period has ended, worked out against the day asked about."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    RESCINDED = "rescinded"


class Acknowledgement(StrEnum):
    SIGNED = "signed"
    REFUSED = "refused"  # refused to sign, before a named witness


class DisciplineLevel(Base):
    """One step of progressive discipline, as HR configured it (defaults in migration 0005).

    `rank` orders the steps; `live_months` is how long an issued record counts (None: for
    ever, as for a termination); `needs_approval` makes a site manager or HR approve before
    the record is issued.
    """

    __tablename__ = "discipline_levels"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    live_months: Mapped[int | None] = mapped_column(Integer)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("live_months IS NULL OR live_months > 0", name="live_months_positive"),
    )


class DisciplineRecord(Base):
    __tablename__ = "discipline_records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    category: Mapped[DisciplineCategory] = mapped_column(
        enum_column(DisciplineCategory, "discipline_category")
    )
    level_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discipline_levels.id"))
    #: The level the service proposed when the record was created; a different `level_id`
    #: needs `deviation_reason_enc`.
    suggested_level_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("discipline_levels.id"))
    state: Mapped[DisciplineState] = mapped_column(
        enum_column(DisciplineState, "discipline_state"), default=DisciplineState.DRAFT
    )
    incident_dates_enc: Mapped[bytes] = mapped_column(LargeBinary)  # JSON list of ISO dates
    description_enc: Mapped[bytes] = mapped_column(LargeBinary)
    expectation_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # policy breached
    improvement_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    improve_by: Mapped[date | None] = mapped_column(Date)
    consequences_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    statement_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # the associate's
    deviation_reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: When the record was last submitted for approval: the approval is due the day after.
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: The end of the live period (None while not issued, or for a level that never expires).
    live_until: Mapped[date | None] = mapped_column(Date, index=True)
    acknowledgement: Mapped[Acknowledgement | None] = mapped_column(
        enum_column(Acknowledgement, "discipline_acknowledgement")
    )
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    witness_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    rescinded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    rescinded_on: Mapped[date | None] = mapped_column(Date)
    rescind_reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class DisciplineNote(Base):
    """An annotation added to an issued record (which cannot be edited any more)."""

    __tablename__ = "discipline_notes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discipline_records.id"), index=True)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A file attached to a record (a signed notice, a scanned statement), encrypted whole
    under the associate's data key. `record_type` names the table of `record_id`."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    filename_enc: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: Deferred: listing a file's attachments must not read every document into memory.
    content_enc: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (
    DisciplineNote.associate_id,
    Attachment.associate_id,
    DisciplineRecord.associate_id,
)
