"""The working week the deadlines of the file count in: Monday to Friday (no public holidays
yet). Access requests are due some working days after filing, a development update on the
week's last working day, a month's plan by its fifth working day, a policy within business
hours; all of them count here, so they cannot disagree."""

from __future__ import annotations

from datetime import date, timedelta

#: Monday is 0 … Friday is 4, as `date.weekday()` counts.
WORKING_DAYS = frozenset(range(5))


def is_working_day(day: date) -> bool:
    return day.weekday() in WORKING_DAYS


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (2 working days after a Saturday is Tuesday)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
