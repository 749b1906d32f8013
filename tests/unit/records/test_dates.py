"""The file's calendar: whole calendar months and the working week."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.dates import add_months, add_working_days
from crmsup.records.upkeep.retention import MAX_MONTHS


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 8, 31), 1, date(2023, 9, 30)),
        (date(2022, 12, 31), 2, date(2023, 2, 28)),
        (date(2020, 3, 31), -1, date(2020, 2, 29)),
        (date(2017, 1, 31), 84, date(2024, 1, 31)),
        (date(2017, 3, 15), 0, date(2017, 3, 15)),
    ],
)
def test_add_months_examples(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)),
    months=st.integers(min_value=0, max_value=MAX_MONTHS),
)
def test_add_months_moves_whole_months_and_clamps_to_the_month_end(
    start: date, months: int
) -> None:
    due = add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last_day)
    assert due >= start
    # A later start is never due earlier: the report's order is the termination order.
    later = date.fromordinal(min(start.toordinal() + 1, date(2900, 12, 31).toordinal()))
    assert add_months(later, months) >= due


def test_working_days_skip_the_weekend() -> None:
    friday = date(2026, 12, 4)
    assert add_working_days(friday, 1) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 5), 2) == date(2026, 12, 8)  # Saturday + 2: Tuesday
    assert add_working_days(friday, 0) == friday
