"""Frozen data of training, for the CLI, the screens and the printed forms: never ORM objects.

Rows (`AssignmentRow`, `CompletionRow`, `AdmissionRow`, compliance lines) hold plain columns
only and are listed without decrypting anything; the details (`CompletionDetail`,
`AdmissionDetail`) carry the decrypted score, trainer, notes and reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmsup.records.training.models import AssignmentState, CourseKind


@dataclass(frozen=True, slots=True)
class CourseSpec:
    """What HR supplies to add a course; validated by `rules.clean_course`."""

    code: str
    title: str
    kind: CourseKind
    hours: Decimal
    #: Months a pass counts; None: it never lapses.
    validity_months: int | None = None
    #: Job titles (as on the associates) for which the course is required.
    job_titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CourseChanges:
    """Changes to a course; None keeps a field. `validity_months=0` makes passes never lapse
    (for passes recorded from then on); `job_titles` replaces the whole list."""

    title: str | None = None
    kind: CourseKind | None = None
    hours: Decimal | None = None
    validity_months: int | None = None
    job_titles: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Course:
    id: uuid.UUID
    code: str
    title: str
    kind: CourseKind
    hours: Decimal
    validity_months: int | None
    job_titles: tuple[str, ...]
    #: A retired course stays on the records made with it, but is no longer assigned,
    #: required or tracked.
    active: bool
    version: int


@dataclass(frozen=True, slots=True)
class NewCompletion:
    """An attempt at a course. The trainer is either a user of the app (`trainer_user`, a
    user name) or someone from outside (`trainer`, free text, encrypted), or neither."""

    course: str
    completed_on: date
    passed: bool
    score: Decimal | None = None
    trainer_user: str | None = None
    trainer: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class CompletionChanges:
    """Corrections to a completion; None keeps a field, "" clears a text."""

    completed_on: date | None = None
    passed: bool | None = None
    score: Decimal | None = None
    trainer: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    id: uuid.UUID
    employee_no: str
    course: str
    title: str
    due_on: date
    state: AssignmentState
    assigned_by: str
    assigned_at: datetime
    closed_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class CompletionRow:
    id: uuid.UUID
    employee_no: str
    course: str
    title: str
    completed_on: date
    passed: bool
    #: The first day the pass no longer counts (None: a fail, or a pass that never lapses).
    expires_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class CompletionDetail:
    id: uuid.UUID
    employee_no: str
    course: str
    title: str
    completed_on: date
    passed: bool
    expires_on: date | None
    score: Decimal | None
    #: A user name, or the free text given for a trainer from outside.
    trainer: str | None
    notes: str | None
    recorded_by: str
    recorded_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class AdmissionRow:
    id: uuid.UUID
    employee_no: str
    project: str
    decided_by: str
    decided_at: datetime
    #: Codes of the courses whose passes the decision rested on.
    courses: tuple[str, ...]

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class AdmissionDetail:
    id: uuid.UUID
    employee_no: str
    project: str
    decided_by: str
    decided_at: datetime
    courses: tuple[str, ...]
    #: The passes it rested on (completion ids), in the order of `courses`.
    completions: tuple[uuid.UUID, ...]
    reason: str

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class TrainingFile:
    """The training part of an associate's file, as listed: plain columns only."""

    employee_no: str
    assignments: tuple[AssignmentRow, ...]
    completions: tuple[CompletionRow, ...]
    admissions: tuple[AdmissionRow, ...]
