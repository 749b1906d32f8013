"""Policies and acknowledgements.

Policies are not personal data: titles, bodies and attached documents are plain, published by
HR, one row per version. Who acknowledged which version (a user for themself, or an associate
as recorded by a keeper) is structural: ids and times.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class PolicySettings(Base):
    """HR's settings for acknowledgements (one row, id 1; the defaults hold while absent):
    a new version is due `ack_minutes` business minutes after it is published and in force,
    business hours being Monday to Friday `opens_minute`–`closes_minute` (minutes after
    midnight) in `time_zone` (an IANA name)."""

    __tablename__ = "policy_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ack_minutes: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))
    opens_minute: Mapped[int] = mapped_column(Integer)
    closes_minute: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("ack_minutes > 0", name="ack_minutes_positive"),
        CheckConstraint(
            "opens_minute >= 0 AND closes_minute <= 1440 AND opens_minute < closes_minute",
            name="business_day_ordered",
        ),
    )


class Policy(Base):
    """A policy as a whole; what it says is in its versions.

    HR may retire it (`retirement`): from the local day `retired_on` it has no
    current version and no one is asked to acknowledge it. The four retirement columns are
    set together, once, and never cleared."""

    __tablename__ = "policies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    retired_on: Mapped[date | None] = mapped_column(Date)
    retired_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    retire_reason: Mapped[str | None] = mapped_column(Text)


class PolicyVersion(Base):
    """One published version: never edited (a correction is a new version). The current
    version of a policy is the newest one in force (`effective_on` passed, highest number).

    `acknowledge_by` is worked out once, at publication, from HR's settings then: business
    time after the later of publication and the start of `effective_on`."""

    __tablename__ = "policy_versions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    policy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("policies.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    effective_on: Mapped[date] = mapped_column(Date, index=True)
    body: Mapped[str | None] = mapped_column(Text)
    document_name: Mapped[str | None] = mapped_column(String(255))
    document_type: Mapped[str | None] = mapped_column(String(100))
    document_size: Mapped[int | None] = mapped_column(Integer)
    published_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    acknowledge_by: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("policy_id", "number", name="uq_policy_versions_policy_number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("body IS NOT NULL OR document_name IS NOT NULL", name="has_content"),
    )


class PolicyDocument(Base):
    """The attached document of a version, kept apart so that lists never load it."""

    __tablename__ = "policy_documents"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("policy_versions.id"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)


class PolicyUserAck(Base):
    """A user's acknowledgement of a version, made by themself."""

    __tablename__ = "policy_user_acks"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("policy_versions.id"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PolicyAssociateAck(Base):
    """An associate's acknowledgement of a version, as a keeper of their file recorded it."""

    __tablename__ = "policy_associate_acks"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("policy_versions.id"), primary_key=True
    )
    associate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("associates.id"), primary_key=True, index=True
    )
    acknowledged_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (PolicyAssociateAck.associate_id,)
