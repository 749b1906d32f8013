"""The calendar and life cycle of development plans, as pure rules (hypothesis where a rule
must hold for every day)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.development.models import PlanState
from crmsup.records.development.rules import (
    PlanStep,
    check_month,
    check_week,
    clean_goals,
    last_working_day,
    month_start,
    next_state,
    nth_working_day,
    plan_due_on,
    plan_weeks,
    update_due_on,
    weeks_due,
)
from crmsup.records.errors import ValidationFailed

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_a_week_split_across_months_belongs_to_the_month_of_its_monday() -> None:
    # Monday 30 November 2026 to Friday 4 December 2026: November's last week.
    assert plan_weeks(date(2026, 11, 1)) == (
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    )
    assert plan_weeks(date(2026, 12, 15))[0] == date(2026, 12, 7)
    assert update_due_on(date(2026, 11, 30)) == date(2026, 12, 4)
    assert check_week(date(2026, 11, 1), date(2026, 11, 30)) == date(2026, 11, 30)
    with pytest.raises(ValidationFailed, match="does not belong to the plan of 2026-12"):
        check_week(date(2026, 12, 1), date(2026, 11, 30))
    with pytest.raises(ValidationFailed, match="2026-11-03 is not one"):
        check_week(date(2026, 11, 1), date(2026, 11, 3))


@given(DAYS)
def test_the_last_working_day_is_the_friday_of_the_week(day: date) -> None:
    last = last_working_day(day)
    assert last.weekday() == 4
    assert 0 <= (last - day).days + day.weekday() == 4


@given(DAYS)
def test_every_monday_is_a_week_of_exactly_one_month(day: date) -> None:
    monday = day - timedelta(days=day.weekday())
    months = {
        month_start(monday - timedelta(days=40)),
        month_start(monday),
        month_start(monday + timedelta(days=40)),
    }
    owners = [m for m in months if monday in plan_weeks(m)]
    assert owners == [month_start(monday)]
    assert 4 <= len(plan_weeks(day)) <= 5


@given(DAYS)
def test_the_plan_is_due_on_the_fifth_working_day(day: date) -> None:
    due = plan_due_on(day)
    assert month_start(due) == month_start(day)
    assert due.weekday() < 5
    working_before = [
        d
        for d in (
            month_start(day) + timedelta(days=n) for n in range((due - month_start(day)).days)
        )
        if d.weekday() < 5
    ]
    assert len(working_before) == 4
    assert nth_working_day(date(2026, 11, 1), 1) == date(2026, 11, 2)


def test_weeks_are_due_once_they_have_begun() -> None:
    assert weeks_due(date(2026, 11, 1), date(2026, 11, 15)) == (
        date(2026, 11, 2),
        date(2026, 11, 9),
    )
    assert weeks_due(date(2026, 12, 1), date(2026, 11, 30)) == ()


def test_each_step_needs_its_state() -> None:
    assert next_state(PlanState.DRAFT, PlanStep.ACTIVATE) is PlanState.ACTIVE
    assert next_state(PlanState.ACTIVE, PlanStep.CLOSE) is PlanState.CLOSED
    assert next_state(PlanState.ACTIVE, PlanStep.EDIT) is PlanState.ACTIVE
    for state, step in (
        (PlanState.DRAFT, PlanStep.CLOSE),
        (PlanState.DRAFT, PlanStep.UPDATE),
        (PlanState.ACTIVE, PlanStep.ACTIVATE),
        (PlanState.CLOSED, PlanStep.EDIT),
        (PlanState.CLOSED, PlanStep.UPDATE),
    ):
        with pytest.raises(ValidationFailed, match=f"that is {state.value} cannot take"):
            next_state(state, step)


def test_goals_and_months_are_checked() -> None:
    assert clean_goals([" Listen ", "", "Summarise"]) == ("Listen", "Summarise")
    with pytest.raises(ValidationFailed, match="at least one goal"):
        clean_goals(["  "])
    with pytest.raises(ValidationFailed, match="at most 20 goals"):
        clean_goals([f"goal {n}" for n in range(21)])
    assert check_month(date(2026, 12, 24), date(2026, 11, 23)) == date(2026, 12, 1)
    with pytest.raises(ValidationFailed, match="too far ahead"):
        check_month(date(2027, 1, 1), date(2026, 11, 23))
