"""The calendar the deadlines of the file count in, so that no two areas count it apart.

- Calendar months: a discipline record's live period, a certificate's validity, PTO carried
  over into a new year and a retention period all end "N months after" a day.
- The working week, Monday to Friday (no public holidays yet): access requests are due some
  working days after filing, a development update on the week's last working day, a
  month's plan by its fifth working day, a policy within business hours.
"""

from __future__ import annotations

import calendar
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


def add_months(start: date, months: int) -> date:
    """`start` moved by whole calendar months; a day the target month lacks becomes its last
    day (31 January + 1 month = 28 or 29 February), so a period never spills into the month
    after it."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)
