"""Attendance points: HR's settings, their validation, and the rolling-window arithmetic.
Pure: no database, no clock.

An event of kind K on day e counts `points[K]` on every day d with e <= d < e + window_days.
A threshold T is crossed on the day the points rise from below T to T or more; an associate
whose points are at or above a threshold on a day is asked about once per crossing: a
discipline record of category attendance made on or after the crossing answers it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from crmsup.records.attendance.models import AttendanceKind
from crmsup.records.attendance.pto.rules import check_hours
from crmsup.records.errors import IntegrityFailure, ValidationFailed

MAX_WINDOW_DAYS = 3 * 366
MAX_POINTS = Decimal(100)


@dataclass(frozen=True, slots=True)
class PointRules:
    window_days: int
    points: Mapping[AttendanceKind, Decimal]
    #: Ascending, distinct, positive.
    thresholds: tuple[Decimal, ...]
    #: 0 for the defaults that apply until HR first sets them.
    version: int = field(default=0)


DEFAULT_RULES = PointRules(
    window_days=365,
    points={
        AttendanceKind.ABSENCE_EXCUSED: Decimal(0),
        AttendanceKind.ABSENCE_UNEXCUSED: Decimal(1),
        AttendanceKind.LATE_ARRIVAL: Decimal("0.5"),
        AttendanceKind.EARLY_LEAVE: Decimal("0.5"),
        AttendanceKind.NO_CALL_NO_SHOW: Decimal(3),
        AttendanceKind.PTO_TAKEN: Decimal(0),
    },
    thresholds=(Decimal(3), Decimal(5), Decimal(7)),
)


def _amount(value: str | Decimal, what: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(f"{what} must be a number, such as 0.5") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_POINTS:
        raise ValidationFailed(f"{what} must be between 0 and {MAX_POINTS}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{what} takes at most two decimal places")
    return amount


def check_rules(
    window_days: int,
    points: Mapping[str, str | Decimal],
    thresholds: Sequence[str | Decimal],
) -> PointRules:
    """HR's settings, validated: every event kind given its points, a window of 1 day to
    3 years, and at least one threshold, all positive and distinct."""
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise ValidationFailed(f"the window is 1 to {MAX_WINDOW_DAYS} days")
    unknown = sorted(set(points) - {k.value for k in AttendanceKind})
    if unknown:
        raise ValidationFailed(f"there is no attendance event kind {unknown[0]!r}")
    missing = [k.value for k in AttendanceKind if k.value not in points]
    if missing:
        raise ValidationFailed(
            "give the points of every event kind; missing: " + ", ".join(missing)
        )
    given = {k: _amount(points[k.value], f"the points of {k.value}") for k in AttendanceKind}
    steps = [_amount(t, "a threshold") for t in thresholds]
    if not steps or any(t <= 0 for t in steps):
        raise ValidationFailed("give at least one threshold, each above 0")
    if len(set(steps)) != len(steps):
        raise ValidationFailed("the thresholds must differ from one another")
    return PointRules(window_days, given, tuple(sorted(steps)))


def dump_points(rules: PointRules) -> str:
    return json.dumps({k.value: str(v) for k, v in rules.points.items()}, sort_keys=True)


def dump_thresholds(rules: PointRules) -> str:
    return json.dumps([str(t) for t in rules.thresholds])


def load_rules(window_days: int, points: str, thresholds: str, version: int) -> PointRules:
    """The stored settings; anything but what `dump_*` wrote fails closed."""
    try:
        rules = check_rules(window_days, json.loads(points), json.loads(thresholds))
    except (ValueError, TypeError, ValidationFailed):
        raise IntegrityFailure("the stored attendance-points settings are damaged") from None
    return PointRules(rules.window_days, rules.points, rules.thresholds, version)


def counts_on(occurred_on: date, rules: PointRules, day: date) -> bool:
    return occurred_on <= day < occurred_on + timedelta(days=rules.window_days)


def points_on(
    events: Iterable[tuple[date, AttendanceKind]], rules: PointRules, day: date
) -> Decimal:
    """The points of the events that count on `day`."""
    return sum((rules.points[kind] for on, kind in events if counts_on(on, rules, day)), Decimal(0))


@dataclass(frozen=True, slots=True)
class Crossing:
    #: The highest threshold the points reach on the day asked about.
    threshold: Decimal
    #: The last day the points rose from below that threshold to it or more.
    crossed_on: date
    points: Decimal


def crossing(
    events: Sequence[tuple[date, AttendanceKind]], rules: PointRules, day: date
) -> Crossing | None:
    """The highest threshold reached on `day` and when it was crossed; None below the first."""
    now = points_on(events, rules, day)
    reached = [t for t in rules.thresholds if t <= now]
    if not reached:
        return None
    threshold = reached[-1]
    # Points rise only on the day of an event: the crossing is one of those days.
    for on in sorted({on for on, _ in events if on <= day}, reverse=True):
        before = points_on(events, rules, on - timedelta(days=1))
        if before < threshold <= points_on(events, rules, on):
            return Crossing(threshold, on, now)
    raise AssertionError("points at a threshold rose to it on some day")  # pragma: no cover


#: Kinds that take minutes, and the one that takes hours.
TIMED = (AttendanceKind.LATE_ARRIVAL, AttendanceKind.EARLY_LEAVE)
MAX_MINUTES = 24 * 60


def check_event(
    kind: AttendanceKind,
    occurred_on: date,
    minutes: int | None,
    hours: Decimal | None,
    today: date,
) -> None:
    """An event as recorded: in the past or today; minutes for a late arrival or an early
    leave (1 to 1,440) and for nothing else; hours of PTO for PTO taken (up to 24) only."""
    if occurred_on > today:
        raise ValidationFailed("an attendance event is recorded on or after the day it happened")
    if kind in TIMED:
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise ValidationFailed(f"a {kind.value} needs its minutes, 1 to {MAX_MINUTES}")
    elif minutes is not None:
        raise ValidationFailed(
            f"minutes go with a late arrival or an early leave, not {kind.value}"
        )
    if kind is AttendanceKind.PTO_TAKEN:
        if hours is None:
            raise ValidationFailed("PTO taken needs its hours")
        check_hours(hours, "hours of PTO taken", maximum=Decimal(24))
    elif hours is not None:
        raise ValidationFailed(f"hours go with PTO taken, not {kind.value}")
