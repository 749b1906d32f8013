"""The rules of development plans, as pure functions: no database, no clock, no keys.

The calendar of a plan: a plan covers one calendar month; an update is due each week, keyed
by the week's Monday, and a week belongs to the plan of the month its Monday is in (so the
week of Monday 30 November to Friday 4 December is November's last week, and December's plan
starts with the week of Monday 7 December). The update of a week is due on its last working
day (working days are Monday to Friday) and overdue from the day after. A month's plan is due
by the month's 5th working day.

Also: which step a plan in a given state may take, and what makes goals and texts valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from crmsup.records.dates import is_working_day
from crmsup.records.development.models import PlanState
from crmsup.records.errors import ValidationFailed

#: A month's plan is due by this working day of the month.
PLAN_DUE_WORKING_DAY = 5
MAX_GOALS = 20
MAX_GOAL = 2_000
MAX_TEXT = 20_000


# ---- the calendar ------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of `day`'s month: how a plan's month is stored and named."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def week_monday(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def last_working_day(week: date) -> date:
    """The last working day of the week starting on Monday `week` (its Friday, as long as
    the working days are Monday to Friday)."""
    monday = week_monday(week)
    return max(d for d in (monday + timedelta(days=n) for n in range(7)) if is_working_day(d))


def nth_working_day(month: date, n: int) -> date:
    """The `n`th working day (1 is the first) of `month`."""
    if n < 1:
        raise ValueError("working days are counted from 1")
    day, seen = month_start(month), 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)


def plan_due_on(month: date) -> date:
    """The day by which a month's plan is due (its `PLAN_DUE_WORKING_DAY`th working day)."""
    return nth_working_day(month, PLAN_DUE_WORKING_DAY)


def plan_weeks(month: date) -> tuple[date, ...]:
    """The weeks of a month's plan: the Mondays that fall in the month, in order."""
    first = month_start(month)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday.month == first.month:
        weeks.append(monday)
        monday += timedelta(days=7)
    return tuple(weeks)


def update_due_on(week: date) -> date:
    """When the update of the week of Monday `week` is due; overdue the day after."""
    return last_working_day(week)


def weeks_due(month: date, today: date) -> tuple[date, ...]:
    """The weeks of a month's plan that have begun on `today` (each needs its update)."""
    return tuple(w for w in plan_weeks(month) if w <= today)


def check_week(month: date, week: date) -> date:
    """The Monday `week` if it is a week of the plan of `month`; ValidationFailed if not."""
    if week.weekday() != 0:
        raise ValidationFailed(f"a week is named by its Monday; {week:%Y-%m-%d} is not one")
    if week not in plan_weeks(month):
        raise ValidationFailed(
            f"the week of {week:%Y-%m-%d} does not belong to the plan of {month:%Y-%m} "
            "(a week belongs to the month its Monday is in)"
        )
    return week


# ---- the life cycle ----------------------------------------------------------------------


class PlanStep(StrEnum):
    EDIT = "edit"
    ACTIVATE = "activate"
    CLOSE = "close"
    UPDATE = "update"  # write or edit a weekly update


#: Which state each step starts from, and where it leads (None: the state stays).
_STEPS: MappingProxyType[PlanStep, tuple[frozenset[PlanState], PlanState | None]] = (
    MappingProxyType(
        {
            PlanStep.EDIT: (frozenset({PlanState.DRAFT, PlanState.ACTIVE}), None),
            PlanStep.ACTIVATE: (frozenset({PlanState.DRAFT}), PlanState.ACTIVE),
            PlanStep.CLOSE: (frozenset({PlanState.ACTIVE}), PlanState.CLOSED),
            PlanStep.UPDATE: (frozenset({PlanState.ACTIVE}), None),
        }
    )
)


def next_state(state: PlanState, step: PlanStep) -> PlanState:
    """The state after `step`; ValidationFailed naming the state when it is not allowed."""
    allowed, after = _STEPS[step]
    if state not in allowed:
        needs = " or ".join(sorted(s.value for s in allowed))
        raise ValidationFailed(
            f"a development plan that is {state.value} cannot take the step {step.value!r} "
            f"(only a plan that is {needs} can)"
        )
    return state if after is None else after


# ---- values ------------------------------------------------------------------------------


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """A narrative text, stripped; "" or None is no text (refused when `required`)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationFailed(f"the {what} must not be empty")
        return None
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def clean_goals(goals: Sequence[str]) -> tuple[str, ...]:
    """One to `MAX_GOALS` goals, each a non-empty text; blank entries are dropped."""
    kept = tuple(g.strip() for g in goals if g.strip())
    if not kept:
        raise ValidationFailed("a development plan needs at least one goal")
    if len(kept) > MAX_GOALS:
        raise ValidationFailed(f"a development plan has at most {MAX_GOALS} goals")
    if any(len(g) > MAX_GOAL for g in kept):
        raise ValidationFailed(f"a goal is at most {MAX_GOAL} characters")
    return kept


def check_month(month: date, today: date) -> date:
    """A plan's month as its first day; no later than next month (plans are made a month
    ahead at most)."""
    first = month_start(month)
    if first > next_month(month_start(today)):
        raise ValidationFailed(
            f"a plan for {first:%Y-%m} is too far ahead: plan at most one month ahead"
        )
    return first


def check_not_future(day: date, today: date, what: str) -> date:
    if day > today:
        raise ValidationFailed(f"the {what} {day:%Y-%m-%d} is in the future")
    return day
