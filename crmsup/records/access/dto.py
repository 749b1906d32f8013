"""What the access-request services take and return: frozen, plain values, never ORM rows.

Rows (`AccessRequestRow`) are built from plain columns only, so a queue of thousands lists
without a key; a detail (`AccessRequestDetail`) adds what is sealed under the access key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from crmsup.records.access.models import AccessKind, AccessState, LineAction, LineState


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One system and role to grant or revoke, as a request asks for it."""

    system: str
    role: str
    action: LineAction = LineAction.GRANT


@dataclass(frozen=True, slots=True)
class NewAccessRequest:
    kind: AccessKind
    lines: tuple[LineSpec, ...]
    justification: str
    #: The day the access should start or end (a revocation: the last working day).
    effective_on: date | None = None


@dataclass(frozen=True, slots=True)
class AccessChanges:
    """A requested request's edit: None keeps a field as it is."""

    lines: tuple[LineSpec, ...] | None = None
    justification: str | None = None
    effective_on: date | None = None


@dataclass(frozen=True, slots=True)
class AccessLine:
    position: int
    system: str
    role: str
    action: LineAction
    state: LineState
    provisioned_by: str | None
    provisioned_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccessRequestRow:
    """A request in a list: plain columns and ageing, nothing decrypted."""

    id: uuid.UUID
    employee_no: str
    team: str
    kind: AccessKind
    state: AccessState
    effective_on: date | None
    automatic: bool
    filed_by: str
    filed_at: datetime
    decided_at: datetime | None
    provisioned_at: datetime | None
    closed_at: datetime | None
    lines: int
    lines_pending: int
    #: Days since the request was filed, and since it was approved (None if it was not).
    days_since_filed: int
    days_since_approved: int | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class AccessRequestDetail:
    """A request opened with the access key: what IT needs to create or close accounts."""

    row: AccessRequestRow
    #: The associate's name as it was when the request was filed.
    person_name: str
    justification: str | None
    decided_by: str | None
    decision_comment: str | None
    provisioned_by: str | None
    closed_by: str | None
    notes: str | None
    lines: tuple[AccessLine, ...]

    @property
    def id(self) -> uuid.UUID:
        return self.row.id

    @property
    def short_id(self) -> str:
        return self.row.short_id

    @property
    def state(self) -> AccessState:
        return self.row.state

    @property
    def version(self) -> int:
        return self.row.version
