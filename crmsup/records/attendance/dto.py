"""Frozen data of attendance events and points, for the CLI and the screens: never ORM
objects. Hours are exact `Decimal`s; notes are the decrypted text (None when none)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmsup.records.attendance.models import AttendanceKind
from crmsup.records.discipline.dto import Suggestion


@dataclass(frozen=True, slots=True)
class NewEvent:
    kind: AttendanceKind
    occurred_on: date
    #: Minutes late, or left early (late arrival, early leave).
    minutes: int | None = None
    #: Hours of PTO taken (PTO taken only; drawn from the PTO ledger that day).
    hours: Decimal | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class EventChanges:
    """None leaves a field as it is; `notes=""` clears the notes."""

    kind: AttendanceKind | None = None
    occurred_on: date | None = None
    minutes: int | None = None
    hours: Decimal | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as lists show it: plain columns, nothing decrypted."""

    id: uuid.UUID
    employee_no: str
    kind: AttendanceKind
    occurred_on: date
    minutes: int | None
    hours: Decimal | None
    recorded_by: str
    recorded_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class EventDetail:
    id: uuid.UUID
    employee_no: str
    kind: AttendanceKind
    occurred_on: date
    minutes: int | None
    hours: Decimal | None
    notes: str | None
    recorded_by: str
    recorded_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class CountedEvent:
    id: uuid.UUID
    kind: AttendanceKind
    occurred_on: date
    points: Decimal
    #: The first day it no longer counts.
    counts_until: date


@dataclass(frozen=True, slots=True)
class PointsStanding:
    """An associate's attendance points on a day, and what they call for."""

    employee_no: str
    day: date
    points: Decimal
    window_days: int
    thresholds: tuple[Decimal, ...]
    counted: tuple[CountedEvent, ...]
    #: The highest threshold reached, and the day it was crossed (None below the first).
    threshold: Decimal | None
    crossed_on: date | None
    #: An attendance discipline record made on or after the crossing, if any.
    answered_by: uuid.UUID | None
    #: The step the discipline rules propose while the crossing is unanswered (the
    #: supervisor decides; nothing is created).
    suggestion: Suggestion | None
