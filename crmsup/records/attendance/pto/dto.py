"""Frozen data of PTO: accrual rules, the ledger, balances and time-off requests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmsup.records.attendance.models import AccrualFrequency, PtoRequestState
from crmsup.records.attendance.pto.rules import DEFAULT_ANCHOR, LedgerLine


@dataclass(frozen=True, slots=True)
class AccrualRuleSpec:
    """What HR gives to set a job title's rule from a day on (validated by the service)."""

    job_title: str
    effective_from: date
    frequency: AccrualFrequency
    hours_per_period: Decimal
    cap: Decimal | None = None
    carry_over_max: Decimal | None = None
    carry_over_months: int | None = None
    anchor_on: date = DEFAULT_ANCHOR


@dataclass(frozen=True, slots=True)
class AccrualRuleDetail:
    id: uuid.UUID
    job_title: str
    effective_from: date
    frequency: AccrualFrequency
    hours_per_period: Decimal
    cap: Decimal | None
    carry_over_max: Decimal | None
    carry_over_months: int | None
    anchor_on: date
    version: int


@dataclass(frozen=True, slots=True)
class PtoLedger:
    employee_no: str
    job_title: str | None
    #: The first day the associate accrues (hire date, else the day they were added).
    start: date
    until: date
    lines: tuple[LedgerLine, ...]
    balance: Decimal


@dataclass(frozen=True, slots=True)
class PtoBalance:
    employee_no: str
    day: date
    balance: Decimal
    #: Approved requests not yet drawn by `day` are in `lines` after it; this is the
    #: lowest the balance goes from `day` on as far as those bookings reach.
    lowest_ahead: Decimal


@dataclass(frozen=True, slots=True)
class AdjustmentDetail:
    id: uuid.UUID
    employee_no: str
    effective_on: date
    hours: Decimal
    reason: str
    made_by: str
    made_at: datetime


@dataclass(frozen=True, slots=True)
class NewRequest:
    start_on: date
    end_on: date
    hours: Decimal
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class RequestDetail:
    id: uuid.UUID
    employee_no: str
    start_on: date
    end_on: date
    hours: Decimal
    state: PtoRequestState
    #: Decrypted only by `get_request` and the changes; None in lists.
    comment: str | None
    decision_comment: str | None
    filed_by: str
    filed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]
