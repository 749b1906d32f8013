"""Frozen data of development plans, coaching sessions, scorecards and call evaluations, for
the CLI, the screens and the printed forms: never ORM objects.

Links to a plan or a discipline record are given by id or by the first 8 or more hex digits
of it; in changes, None keeps a link and "" removes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmsup.records.development.models import PlanState
from crmsup.records.development.scorecard_rules import Answer, ItemSpec


def _short(record_id: uuid.UUID) -> str:
    return record_id.hex[:8]


# ---- scorecards --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScorecardLine:
    id: uuid.UUID
    #: 1, 2, … in the order the form shows them.
    position: int
    text: str
    weight: int
    auto_fail: bool


@dataclass(frozen=True, slots=True)
class ScorecardDetail:
    id: uuid.UUID
    name: str
    #: 1 for the first revision of the name, then 2, 3, …
    revision: int
    active: bool
    items: tuple[ScorecardLine, ...]
    created_at: datetime
    #: How many evaluations were scored on this revision.
    evaluations: int
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


@dataclass(frozen=True, slots=True)
class ScorecardSpec:
    """What HR supplies for a new scorecard or a new revision of one."""

    name: str
    items: tuple[ItemSpec, ...]


# ---- development plans -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewPlan:
    #: Any day of the month the plan covers.
    month: date
    goals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A plan as the associate's file lists it: plain columns only, nothing decrypted."""

    id: uuid.UUID
    employee_no: str
    month: date
    state: PlanState
    updates: int
    created_at: datetime
    closed_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


@dataclass(frozen=True, slots=True)
class WeeklyUpdate:
    id: uuid.UUID
    #: The Monday of the week.
    week_of: date
    text: str
    written_by: str
    written_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


@dataclass(frozen=True, slots=True)
class PlanDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    month: date
    state: PlanState
    goals: tuple[str, ...]
    outcome: str | None
    updates: tuple[WeeklyUpdate, ...]
    #: The Mondays of the plan's weeks (each week is due an update).
    weeks: tuple[date, ...]
    created_by: str
    created_at: datetime
    activated_at: datetime | None
    closed_by: str | None
    closed_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


# ---- coaching sessions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewSession:
    held_on: date
    topic: str
    notes: str | None = None
    actions: str | None = None
    plan: str | uuid.UUID | None = None
    discipline: str | uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """None leaves a field as it is; "" clears a text or removes a link."""

    held_on: date | None = None
    topic: str | None = None
    notes: str | None = None
    actions: str | None = None
    plan: str | uuid.UUID | None = None
    discipline: str | uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: uuid.UUID
    employee_no: str
    held_on: date
    coach: str
    plan_id: uuid.UUID | None
    discipline_id: uuid.UUID | None
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


@dataclass(frozen=True, slots=True)
class SessionDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    held_on: date
    topic: str
    notes: str | None
    actions: str | None
    plan_id: uuid.UUID | None
    discipline_id: uuid.UUID | None
    coach: str
    created_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


# ---- call-monitoring evaluations ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewEvaluation:
    scorecard_id: uuid.UUID
    evaluated_on: date
    #: {scorecard item id: "pass" | "fail" | "na"}, every item answered.
    answers: Mapping[uuid.UUID, str]
    call_ref: str | None = None
    strengths: str | None = None
    actions: str | None = None
    plan: str | uuid.UUID | None = None
    discipline: str | uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class EvaluationChanges:
    """None leaves a field as it is; "" clears a text or removes a link. Answers are merged
    item by item."""

    evaluated_on: date | None = None
    answers: Mapping[uuid.UUID, str] | None = None
    call_ref: str | None = None
    strengths: str | None = None
    actions: str | None = None
    plan: str | uuid.UUID | None = None
    discipline: str | uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class EvaluationLine:
    item_id: uuid.UUID
    position: int
    text: str
    weight: int
    auto_fail: bool
    answer: Answer


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """Plain columns only: the score is encrypted, so a list does not show it."""

    id: uuid.UUID
    employee_no: str
    evaluated_on: date
    scorecard: str
    revision: int
    evaluator: str
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)


@dataclass(frozen=True, slots=True)
class EvaluationDetail:
    id: uuid.UUID
    employee_no: str
    team: str
    evaluated_on: date
    scorecard_id: uuid.UUID
    scorecard: str
    revision: int
    lines: tuple[EvaluationLine, ...]
    #: The weighted percentage (0 when an auto-fail item failed; None when nothing applied).
    score: Decimal | None
    call_ref: str | None
    strengths: str | None
    actions: str | None
    plan_id: uuid.UUID | None
    discipline_id: uuid.UUID | None
    evaluator: str
    created_at: datetime
    version: int

    @property
    def short_id(self) -> str:
        return _short(self.id)
