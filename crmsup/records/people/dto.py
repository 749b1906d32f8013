"""Frozen data handed to the CLI and the screens: never ORM objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from crmsup.records.models import AssociateStatus
from crmsup.security.permissions import Role


@dataclass(frozen=True, slots=True)
class UserRow:
    id: uuid.UUID
    username: str
    role: Role
    site: str | None
    teams: tuple[str, ...]
    disabled: bool
    pending_teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: uuid.UUID
    name: str
    site: str
    supervisors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One line of the roster: what the team list shows, decrypted."""

    id: uuid.UUID
    employee_no: str
    first_name: str
    last_name: str
    preferred_name: str | None
    team: str
    status: AssociateStatus
    job_title: str | None
    hire_date: date | None


@dataclass(frozen=True, slots=True)
class Roster:
    rows: tuple[RosterRow, ...]
    #: Teams in the actor's scope whose key has not been handed to them yet.
    pending_teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AssociateDetail:
    id: uuid.UUID
    employee_no: str
    first_name: str
    last_name: str
    preferred_name: str | None
    email: str | None
    phone: str | None
    address: str | None
    date_of_birth: date | None
    team: str
    site: str
    status: AssociateStatus
    job_title: str | None
    hire_date: date | None
    termination_date: date | None
    version: int


@dataclass(frozen=True, slots=True)
class NewAssociate:
    """What a caller supplies to create an associate; validated by the service."""

    employee_no: str
    first_name: str
    last_name: str
    team: str
    preferred_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    date_of_birth: date | None = None
    job_title: str | None = None
    hire_date: date | None = None
