"""Frozen data of policies, their versions and acknowledgements: never ORM objects.

Policies hold no personal data. Who has acknowledged is named by user name or employee
number only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from crmsup.security.permissions import Role


@dataclass(frozen=True, slots=True)
class AckSettings:
    """HR's acknowledgement settings: the window in business minutes, and business hours
    (Monday to Friday, minutes after local midnight, in an IANA zone)."""

    ack_minutes: int
    time_zone: str
    opens_minute: int
    closes_minute: int
    version: int


@dataclass(frozen=True, slots=True)
class NewVersion:
    """What HR supplies to publish a policy (a new title) or a new version of one (an
    existing title): its text, an attached document, or both."""

    title: str
    effective_on: date
    body: str | None = None
    document: bytes | None = None
    document_name: str | None = None
    document_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class PolicyRetirement:
    """HR's retirement of a policy: from the local day `retired_on` it has no current
    version (a day still to come leaves it in force until then)."""

    retired_on: date
    retired_by: str
    retired_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class PolicyVersionInfo:
    id: uuid.UUID
    policy_id: uuid.UUID
    title: str
    number: int
    effective_on: date
    published_by: str
    published_at: datetime
    acknowledge_by: datetime
    body: str | None
    document_name: str | None
    document_type: str | None
    document_size: int | None
    #: Whether this is the policy's current version (the newest in force) on the day asked.
    current: bool
    #: The policy's retirement, if HR has retired it (on any day, past or to come).
    retirement: PolicyRetirement | None = None

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class PolicyRow:
    """A policy as the list shows it: its current version (None before the first is in
    force and from its retirement), its newest published one, the asker's own
    acknowledgement of the current, and its retirement if HR retired it."""

    policy_id: uuid.UUID
    title: str
    current: PolicyVersionInfo | None
    latest: PolicyVersionInfo
    acknowledged_at: datetime | None
    retirement: PolicyRetirement | None = None


@dataclass(frozen=True, slots=True)
class PolicyDocumentFile:
    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class UserAcknowledgement:
    version_id: uuid.UUID
    title: str
    number: int
    username: str
    acknowledged_at: datetime
    #: Whether it came after the version's deadline.
    late: bool


@dataclass(frozen=True, slots=True)
class AssociateAcknowledgement:
    version_id: uuid.UUID
    title: str
    number: int
    employee_no: str
    acknowledged_on: date
    recorded_by: str


@dataclass(frozen=True, slots=True)
class OutstandingUser:
    """An account that has not acknowledged a policy's current version."""

    username: str
    role: Role
    title: str
    number: int
    version_id: uuid.UUID
    acknowledge_by: datetime
    overdue: bool


@dataclass(frozen=True, slots=True)
class OutstandingAssociate:
    """An associate (by employee number, per team) who has not acknowledged a current version."""

    team: str
    employee_no: str
    title: str
    number: int
    version_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Outstanding:
    users: tuple[OutstandingUser, ...]
    associates: tuple[OutstandingAssociate, ...]
