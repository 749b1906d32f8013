"""Frozen data of notes, feedback and client claims: never ORM objects.

Rows (`NoteRow`, `ClaimRow`) hold plain columns only, for lists that decrypt nothing;
details hold the decrypted texts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from crmsup.records.notes.models import ClaimOutcome, ClaimState, NoteKind


@dataclass(frozen=True, slots=True)
class NewNote:
    kind: NoteKind
    noted_on: date
    text: str


@dataclass(frozen=True, slots=True)
class NoteRow:
    id: uuid.UUID
    employee_no: str
    kind: NoteKind
    noted_on: date
    author: str
    created_at: datetime
    updated_at: datetime | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class NoteDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    kind: NoteKind
    noted_on: date
    text: str
    author: str
    created_at: datetime
    updated_at: datetime | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class NoteChanges:
    """None leaves a field as it is."""

    kind: NoteKind | None = None
    noted_on: date | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class NewClaim:
    """A client's claim as it came in: when (aware), what it says, and who the client is."""

    received_at: datetime
    claim: str
    client: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimChanges:
    """Corrections to a claim; None leaves a field as it is ("" clears the client). The time
    received changes only while the claim is open, the response only once there is one."""

    claim: str | None = None
    client: str | None = None
    received_at: datetime | None = None
    response: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: uuid.UUID
    employee_no: str
    state: ClaimState
    received_at: datetime
    respond_by: datetime
    responded_at: datetime | None
    #: The first response came (or, still missing, is) after the 30 minutes.
    late: bool
    closed_at: datetime | None
    outcome: ClaimOutcome | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    state: ClaimState
    received_at: datetime
    respond_by: datetime
    late: bool
    client: str | None
    claim: str
    logged_by: str
    responded_at: datetime | None
    responded_by: str | None
    response: str | None
    closed_at: datetime | None
    closed_by: str | None
    outcome: ClaimOutcome | None
    outcome_notes: str | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]
