"""Frozen data of recommendations and candidates, for the CLI, the screens and the printed
forms: never ORM objects.

A recommendation's subject is an associate (named by employee number) or, for a hire, a
candidate (named `candidate:` and the first hex digits of their id, `CANDIDATE_PREFIX`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from crmsup.records.recommendations.models import RecommendationKind, RecommendationState

#: How a candidate is written where an employee number would name an associate: employee
#: numbers never hold a colon, so the two cannot be confused.
CANDIDATE_PREFIX = "candidate:"


def candidate_subject(candidate_id: uuid.UUID) -> str:
    return f"{CANDIDATE_PREFIX}{candidate_id.hex[:8]}"


@dataclass(frozen=True, slots=True)
class Link:
    """A supporting record of the subject's file: `type` is its table ("discipline_records",
    "reviews"; the services also accept "discipline" and "review") and `id` its id."""

    type: str
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class NewRecommendation:
    """What a caller supplies to open a draft; the author is the acting user.

    Exactly one subject: `employee_no` (an associate) or `candidate_id` (a hire)."""

    kind: RecommendationKind
    rationale: str
    employee_no: str | None = None
    candidate_id: uuid.UUID | None = None
    proposed_title: str | None = None
    #: The name of the team proposed (a transfer; a promotion may move team too).
    proposed_team: str | None = None
    #: When the change should take effect (a termination's date).
    proposed_date: date | None = None
    links: tuple[Link, ...] = ()


#: The fields of a draft that `RecommendationChanges.clear` may empty.
CLEARABLE = frozenset({"proposed_title", "proposed_team", "proposed_date", "links"})


@dataclass(frozen=True, slots=True)
class RecommendationChanges:
    """Changes to a draft: None leaves a field as it is; the fields named in `clear`
    (`CLEARABLE`) are emptied. The links given replace the links kept."""

    rationale: str | None = None
    proposed_title: str | None = None
    proposed_team: str | None = None
    proposed_date: date | None = None
    links: tuple[Link, ...] | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """A recommendation as lists show it: plain columns only, nothing decrypted. Users are
    named by user name."""

    id: uuid.UUID
    kind: RecommendationKind
    state: RecommendationState
    #: The associate's employee number, or `candidate:…` for a hire.
    subject: str
    employee_no: str | None
    candidate_id: uuid.UUID | None
    team: str
    proposed_team: str | None
    proposed_date: date | None
    created_by: str
    created_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    manager_by: str | None
    manager_at: datetime | None
    hr_by: str | None
    hr_at: datetime | None
    #: When an approved change was made to the associate (a hire: when they were hired).
    applied_at: datetime | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class RecommendationDetail(RecommendationRow):
    """A recommendation with its encrypted fields opened (audited as "recommendation.view")."""

    proposed_title: str | None
    rationale: str
    links: tuple[Link, ...]
    manager_comment: str | None
    hr_comment: str | None


@dataclass(frozen=True, slots=True)
class NewCandidate:
    """A person interviewed for `team` (its name); validated by the service."""

    team: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    interviewed_on: date | None = None
    interview_notes: str | None = None
    #: The interview's result in the interviewer's words ("recommended", "not suited").
    result: str | None = None


#: The fields of a candidate that `CandidateChanges.clear` may empty.
CANDIDATE_CLEARABLE = frozenset({"email", "phone", "interviewed_on", "interview_notes", "result"})


@dataclass(frozen=True, slots=True)
class CandidateChanges:
    """None leaves a field as it is; the fields named in `clear` are emptied."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    interviewed_on: date | None = None
    interview_notes: str | None = None
    result: str | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One line of a team's candidates: the name decrypted, nothing else."""

    id: uuid.UUID
    team: str
    first_name: str
    last_name: str
    interviewed_on: date | None
    #: The employee number they were hired as, once hired.
    hired_as: str | None
    created_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class CandidateDetail:
    id: uuid.UUID
    team: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    interviewed_on: date | None
    interview_notes: str | None
    result: str | None
    hired_as: str | None
    created_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class CandidateErasure:
    candidate_id: uuid.UUID
    team: str
    erased_at: datetime
    #: Their recommendations, deleted with them.
    recommendations_deleted: int
    #: False when superseded copies could not be cleared at once (see `upkeep.erasure`).
    residue_cleared: bool


@dataclass(frozen=True, slots=True)
class Hire:
    """A candidate who became an associate after an approved hire recommendation."""

    employee_no: str
    team: str
    hire_date: date
    candidate_id: uuid.UUID
    recommendation_id: uuid.UUID
    associate_id: uuid.UUID
