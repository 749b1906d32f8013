"""Attendance and PTO: events, points, accrual rules, the PTO ledger and time-off requests.

What must be counted without a key stays plain: event kinds and dates, minutes late, hours
of PTO, request dates and states, the rules themselves (no personal data). Event notes,
adjustment reasons and request / decision comments are encrypted under the associate's data
key. Hours are exact decimals with two places, stored as whole hundredths (`Hours`), so that
balances add up to the hundredth on every backend (SQLite has no exact decimal type).

Accruals, carry-overs and expiries are not stored: `crmsup.records.pto_rules` works them out
from the rules in force and the stored movements (PTO taken, approved requests, HR
adjustments), so a balance as of any date is always consistent with its ledger.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

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
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class AttendanceKind(StrEnum):
    ABSENCE_EXCUSED = "absence_excused"
    ABSENCE_UNEXCUSED = "absence_unexcused"
    LATE_ARRIVAL = "late_arrival"
    EARLY_LEAVE = "early_leave"
    NO_CALL_NO_SHOW = "no_call_no_show"
    PTO_TAKEN = "pto_taken"


class AccrualFrequency(StrEnum):
    #: Every 14 days from the rule's anchor date (a pay day).
    BIWEEKLY = "biweekly"
    #: On the last day of each month.
    MONTHLY = "monthly"


class PtoRequestState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
    CANCELLED = "cancelled"


class Hours(TypeDecorator[Decimal]):
    """Hours with two decimal places, stored as a whole number of hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        hundredths = value * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError("hours are stored to the hundredth")
        return int(hundredths)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


class AttendanceEvent(Base):
    """Something that happened on a day: an absence, a late arrival (`minutes`), an early
    leave, a no-call-no-show, or PTO taken (`hours`, drawn from the PTO ledger)."""

    __tablename__ = "attendance_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    kind: Mapped[AttendanceKind] = mapped_column(enum_column(AttendanceKind, "attendance_kind"))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[Decimal | None] = mapped_column(Hours)
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )


class AttendancePointRules(Base):
    """HR's attendance-points settings: one row (id 1), absent until HR first sets them
    (the defaults of `crmsup.records.attendance_rules` apply meanwhile). `points` is JSON
    {event kind: points as a decimal string}; `thresholds` a JSON list of decimal strings."""

    __tablename__ = "attendance_point_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    window_days: Mapped[int] = mapped_column(Integer)
    points: Mapped[str] = mapped_column(Text)
    thresholds: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (CheckConstraint("window_days > 0", name="window_positive"),)


class PtoAccrualRule(Base):
    """How associates of a job title earn PTO from `effective_from` on (until the title's
    next rule). `carry_over_max` None carries the whole balance into a new year, 0 none;
    carried hours unused `carry_over_months` months into the year expire (None: never)."""

    __tablename__ = "pto_accrual_rules"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    job_title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    frequency: Mapped[AccrualFrequency] = mapped_column(
        enum_column(AccrualFrequency, "pto_accrual_frequency")
    )
    hours_per_period: Mapped[Decimal] = mapped_column(Hours)
    cap: Mapped[Decimal | None] = mapped_column(Hours)
    carry_over_max: Mapped[Decimal | None] = mapped_column(Hours)
    carry_over_months: Mapped[int | None] = mapped_column(Integer)
    #: A pay day of the biweekly schedule; every 14 days before and after it is one too.
    anchor_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        UniqueConstraint("job_title", "effective_from"),
        CheckConstraint("hours_per_period >= 0", name="hours_not_negative"),
        CheckConstraint("cap IS NULL OR cap > 0", name="cap_positive"),
        CheckConstraint("carry_over_max IS NULL OR carry_over_max >= 0", name="carry_not_negative"),
        CheckConstraint(
            "carry_over_months IS NULL OR carry_over_months BETWEEN 1 AND 12",
            name="carry_months_range",
        ),
    )


class PtoAdjustment(Base):
    """HR's correction of a balance (positive or negative hours) on a day, with a reason."""

    __tablename__ = "pto_adjustments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)
    reason_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("hours <> 0", name="hours_not_zero"),)


class PtoRequest(Base):
    """A request for time off: requested → approved / denied, or cancelled. An approved
    request draws its hours from the ledger on its first day."""

    __tablename__ = "pto_requests"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)
    state: Mapped[PtoRequestState] = mapped_column(
        enum_column(PtoRequestState, "pto_request_state"), default=PtoRequestState.REQUESTED
    )
    comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    decision_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("end_on >= start_on", name="dates_ordered"),
        CheckConstraint("hours > 0", name="hours_positive"),
    )


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (
    PtoRequest.associate_id,
    PtoAdjustment.associate_id,
    AttendanceEvent.associate_id,
)
