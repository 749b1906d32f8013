"""Attendance points: the rolling window, threshold crossings, HR's settings and the shape of
an event, as pure rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsup.records.attendance.models import AttendanceKind as K
from crmsup.records.attendance.rules import (
    DEFAULT_RULES,
    PointRules,
    check_event,
    check_rules,
    crossing,
    dump_points,
    dump_thresholds,
    load_rules,
    points_on,
)
from crmsup.records.errors import IntegrityFailure, ValidationFailed

D = Decimal
RULES = PointRules(30, DEFAULT_RULES.points, (D(3), D(5)))


def test_points_count_for_the_window_only() -> None:
    events = [(date(2024, 1, 1), K.NO_CALL_NO_SHOW), (date(2024, 1, 10), K.LATE_ARRIVAL)]
    assert points_on(events, RULES, date(2023, 12, 31)) == 0
    assert points_on(events, RULES, date(2024, 1, 1)) == 3
    assert points_on(events, RULES, date(2024, 1, 10)) == D("3.5")
    # 30 days: the no-call-no-show counts up to 30 January, not on 31 January.
    assert points_on(events, RULES, date(2024, 1, 30)) == D("3.5")
    assert points_on(events, RULES, date(2024, 1, 31)) == D("0.5")


def test_the_highest_threshold_and_the_day_it_was_crossed() -> None:
    events = [
        (date(2024, 1, 1), K.ABSENCE_UNEXCUSED),
        (date(2024, 1, 5), K.ABSENCE_UNEXCUSED),
        (date(2024, 1, 8), K.ABSENCE_UNEXCUSED),  # 3: first threshold
        (date(2024, 1, 9), K.ABSENCE_EXCUSED),  # 0 points
        (date(2024, 1, 12), K.NO_CALL_NO_SHOW),  # 6: second threshold
    ]
    assert crossing(events, RULES, date(2024, 1, 7)) is None
    first = crossing(events, RULES, date(2024, 1, 10))
    assert first is not None
    assert (first.threshold, first.crossed_on, first.points) == (D(3), date(2024, 1, 8), D(3))
    second = crossing(events, RULES, date(2024, 1, 20))
    assert second is not None
    assert (second.threshold, second.crossed_on, second.points) == (D(5), date(2024, 1, 12), D(6))
    # 31 January: the first absence no longer counts; 5 points, still the second threshold.
    later = crossing(events, RULES, date(2024, 1, 31))
    assert later is not None
    assert (later.threshold, later.crossed_on) == (D(5), date(2024, 1, 12))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(date(2024, 1, 1), date(2024, 6, 30)), st.sampled_from(list(K))),
        max_size=12,
    ),
    st.dates(date(2024, 1, 1), date(2024, 8, 31)),
)
def test_a_crossing_is_a_day_the_points_rose_to_the_threshold(
    events: list[tuple[date, K]], day: date
) -> None:
    found = crossing(events, RULES, day)
    now = points_on(events, RULES, day)
    if found is None:
        assert now < RULES.thresholds[0]
        return
    assert found.points == now >= found.threshold
    assert points_on(events, RULES, found.crossed_on) >= found.threshold
    assert points_on(events, RULES, found.crossed_on - timedelta(days=1)) < found.threshold


def test_settings_round_trip_and_refusals() -> None:
    points = {k.value: "1" for k in K}
    rules = check_rules(90, points, ["4", "2"])
    assert rules.thresholds == (D(2), D(4))
    again = load_rules(90, dump_points(rules), dump_thresholds(rules), 3)
    assert (again.points, again.thresholds, again.version) == (rules.points, rules.thresholds, 3)
    with pytest.raises(ValidationFailed, match="window"):
        check_rules(0, points, ["1"])
    with pytest.raises(ValidationFailed, match="missing: pto_taken"):
        check_rules(30, {k: v for k, v in points.items() if k != "pto_taken"}, ["1"])
    with pytest.raises(ValidationFailed, match="no attendance event kind 'nap'"):
        check_rules(30, {**points, "nap": "1"}, ["1"])
    with pytest.raises(ValidationFailed, match="differ"):
        check_rules(30, points, ["2", "2"])
    with pytest.raises(ValidationFailed, match="a number"):
        check_rules(30, {**points, "late_arrival": "lots"}, ["2"])
    with pytest.raises(IntegrityFailure):
        load_rules(30, "{not json", "[]", 1)


@pytest.mark.parametrize(
    ("kind", "minutes", "hours", "message"),
    [
        (K.LATE_ARRIVAL, None, None, "needs its minutes"),
        (K.EARLY_LEAVE, 2000, None, "needs its minutes"),
        (K.ABSENCE_EXCUSED, 10, None, "minutes go with"),
        (K.PTO_TAKEN, None, None, "needs its hours"),
        (K.PTO_TAKEN, None, D(25), "at most 24"),
        (K.NO_CALL_NO_SHOW, None, D(8), "hours go with PTO taken"),
    ],
)
def test_event_shapes_are_refused(
    kind: K, minutes: int | None, hours: Decimal | None, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        check_event(kind, date(2024, 1, 2), minutes, hours, date(2024, 1, 2))


def test_an_event_cannot_be_in_the_future() -> None:
    with pytest.raises(ValidationFailed, match="on or after the day it happened"):
        check_event(K.ABSENCE_EXCUSED, date(2024, 1, 3), None, None, date(2024, 1, 2))
    check_event(K.LATE_ARRIVAL, date(2024, 1, 2), 15, None, date(2024, 1, 2))
