"""Frozen data of performance reviews and their templates, for the CLI, the screens and the
printed forms: never ORM objects.

A `ReviewDetail` is self-contained: it carries the template's competencies with their weights
and what each point of the 1–5 scale means, so a form can be printed from it alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmsup.records.reviews.models import ReviewKind, ReviewState


@dataclass(frozen=True, slots=True)
class CompetencySpec:
    """One competency as HR writes it into a template."""

    name: str
    weight: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """What HR supplies to create or edit a template; validated by `rules`."""

    name: str
    #: What ratings 1 to 5 mean, in that order (exactly five descriptions).
    scale: tuple[str, ...]
    competencies: tuple[CompetencySpec, ...]


@dataclass(frozen=True, slots=True)
class Competency:
    id: uuid.UUID
    #: 1, 2, … in the order the form shows them.
    position: int
    name: str
    description: str | None
    weight: int


@dataclass(frozen=True, slots=True)
class TemplateDetail:
    id: uuid.UUID
    name: str
    scale: tuple[str, ...]
    competencies: tuple[Competency, ...]
    #: A retired template stays on the reviews made with it, but no new review uses it.
    active: bool
    created_at: datetime
    #: How many reviews were made with it: a template in use never changes under them.
    reviews: int
    version: int


@dataclass(frozen=True, slots=True)
class Rating:
    """A rating of one competency, 1 to 5, and the reviewer's comment on it."""

    rating: int
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class NewReview:
    """What a caller supplies to open a draft; the reviewer is the acting user."""

    template_id: uuid.UUID
    kind: ReviewKind
    period_start: date
    period_end: date


@dataclass(frozen=True, slots=True)
class ReviewChanges:
    """Changes to a draft. None leaves a field as it is; an empty text clears it. Ratings
    are merged: each competency given gets this rating and comment, the others keep theirs."""

    kind: ReviewKind | None = None
    period_start: date | None = None
    period_end: date | None = None
    ratings: Mapping[uuid.UUID, Rating] | None = None
    strengths: str | None = None
    improvements: str | None = None
    goals: str | None = None
    associate_comments: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One line of the form: a competency of the template and its rating, if given yet."""

    competency_id: uuid.UUID
    position: int
    name: str
    description: str | None
    weight: int
    rating: int | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A review as the associate's file lists it: plain columns only, nothing decrypted."""

    id: uuid.UUID
    employee_no: str
    kind: ReviewKind
    state: ReviewState
    template_id: uuid.UUID
    template: str
    period_start: date
    period_end: date
    reviewer: str
    created_at: datetime
    submitted_at: datetime | None
    acknowledged_on: date | None
    finalised_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    kind: ReviewKind
    state: ReviewState
    period_start: date
    period_end: date
    reviewer: str
    template_id: uuid.UUID
    template: str
    scale: tuple[str, ...]
    lines: tuple[ReviewLine, ...]
    #: Σ rating × weight / Σ weight to two decimals, once every competency is rated.
    overall: Decimal | None
    strengths: str | None
    improvements: str | None
    goals: str | None
    associate_comments: str | None
    created_at: datetime
    submitted_at: datetime | None
    acknowledged_on: date | None
    finalised_by: str | None
    finalised_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class OverdueReview:
    """An associate whose annual review is overdue, as the per-supervisor list shows it."""

    team: str
    #: User names of the team's supervisors.
    supervisors: tuple[str, ...]
    employee_no: str
    due_on: date
    days_overdue: int
