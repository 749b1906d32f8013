"""PTO accrual arithmetic against hand-computed ledgers (year ends, caps, carry-over and its
expiry, rule changes, a last day) and the properties the ledger promises."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsup.records.attendance.models import AccrualFrequency
from crmsup.records.attendance.pto.rules import (
    AccrualRule,
    LineKind,
    Movement,
    balance_on,
    check_hours,
    ledger,
    lowest_from,
    pay_days,
)
from crmsup.records.dates import add_months
from crmsup.records.errors import ValidationFailed

D = Decimal
MONTHLY, BIWEEKLY = AccrualFrequency.MONTHLY, AccrualFrequency.BIWEEKLY
ACC, TAKEN, ADJ = LineKind.ACCRUAL, LineKind.TAKEN, LineKind.ADJUSTMENT
FORFEIT, EXPIRY = LineKind.FORFEIT, LineKind.EXPIRY


def _rows(lines: tuple[object, ...]) -> list[tuple[date, LineKind, Decimal, Decimal]]:
    return [(x.on, x.kind, x.hours, x.balance) for x in lines]  # type: ignore[attr-defined]


def test_monthly_ledger_across_a_year_end_with_cap_forfeit_and_expiry() -> None:
    rule = AccrualRule(date(2023, 1, 1), MONTHLY, D(10), D(40), D(16), 3)
    taken = Movement(date(2024, 2, 10), TAKEN, D(-6))
    lines = ledger([rule], date(2023, 9, 15), [taken], date(2024, 5, 31))
    assert _rows(lines) == [
        (date(2023, 9, 30), ACC, D(10), D(10)),
        (date(2023, 10, 31), ACC, D(10), D(20)),
        (date(2023, 11, 30), ACC, D(10), D(30)),
        (date(2023, 12, 31), ACC, D(10), D(40)),
        # 40 at the year end, 16 may be carried: 24 forfeited, 16 carried until 1 April.
        (date(2024, 1, 1), FORFEIT, D(-24), D(16)),
        (date(2024, 1, 31), ACC, D(10), D(26)),
        # 6 hours taken use carried hours first: 10 of the 16 are left to expire.
        (date(2024, 2, 10), TAKEN, D(-6), D(20)),
        (date(2024, 2, 29), ACC, D(10), D(30)),
        (date(2024, 3, 31), ACC, D(10), D(40)),
        (date(2024, 4, 1), EXPIRY, D(-10), D(30)),
        (date(2024, 4, 30), ACC, D(10), D(40)),
        # 31 May: at the cap, nothing is credited (and no line written).
    ]
    assert balance_on(lines, date(2024, 3, 31)) == D(40)
    assert balance_on(lines, date(2024, 4, 1)) == D(30)
    assert balance_on(lines, date(2023, 9, 29)) == D(0)


def test_biweekly_ledger_from_the_anchor_with_an_adjustment_before_the_accrual() -> None:
    rule = AccrualRule(date(2020, 1, 1), BIWEEKLY, D(4), anchor_on=date(2024, 1, 5))
    adjustment = Movement(date(2025, 1, 3), ADJ, D("2.5"))
    lines = ledger([rule], date(2024, 12, 1), [adjustment], date(2025, 1, 31))
    # 6 December 2024 is 336 days (24 periods) after the anchor; the whole balance carries.
    assert _rows(lines) == [
        (date(2024, 12, 6), ACC, D(4), D(4)),
        (date(2024, 12, 20), ACC, D(4), D(8)),
        (date(2025, 1, 3), ADJ, D("2.5"), D("10.5")),
        (date(2025, 1, 3), ACC, D(4), D("14.5")),
        (date(2025, 1, 17), ACC, D(4), D("18.5")),
        (date(2025, 1, 31), ACC, D(4), D("22.5")),
    ]


def test_a_new_rule_applies_from_its_day_and_a_last_day_stops_accruals() -> None:
    rules = [
        AccrualRule(date(2020, 1, 1), MONTHLY, D(8)),
        AccrualRule(date(2024, 3, 1), MONTHLY, D(12)),
    ]
    lines = ledger(rules, date(2024, 1, 10), [], date(2024, 5, 31), stop=date(2024, 4, 15))
    assert [(x.on, x.hours) for x in lines] == [
        (date(2024, 1, 31), D(8)),
        (date(2024, 2, 29), D(8)),
        (date(2024, 3, 31), D(12)),
    ]


def test_a_negative_balance_carries_over_and_nothing_expires() -> None:
    rule = AccrualRule(date(2020, 1, 1), MONTHLY, D(5), None, D(0), 3)
    taken = Movement(date(2024, 11, 15), TAKEN, D(-12))
    lines = ledger([rule], date(2024, 11, 1), [taken], date(2025, 4, 30))
    assert _rows(lines)[:4] == [
        (date(2024, 11, 15), TAKEN, D(-12), D(-12)),
        (date(2024, 11, 30), ACC, D(5), D(-7)),
        (date(2024, 12, 31), ACC, D(5), D(-2)),
        (date(2025, 1, 31), ACC, D(5), D(3)),
    ]
    assert all(x.kind not in (FORFEIT, EXPIRY) for x in lines)
    assert balance_on(lines, date(2025, 4, 30)) == D(18)


def test_no_rule_means_only_the_stored_movements() -> None:
    lines = ledger([], date(2024, 1, 1), [Movement(date(2024, 2, 1), ADJ, D(8))], date(2025, 6, 1))
    assert _rows(lines) == [(date(2024, 2, 1), ADJ, D(8), D(8))]
    assert lowest_from(lines, date(2024, 1, 15)) == D(0)


def test_pay_days_and_months() -> None:
    rule = AccrualRule(date(2020, 1, 1), BIWEEKLY, D(1), anchor_on=date(2024, 1, 5))
    assert list(pay_days(rule, date(2023, 12, 20), date(2024, 1, 20))) == [
        date(2023, 12, 22),
        date(2024, 1, 5),
        date(2024, 1, 19),
    ]
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 1), 12) == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("value", "signed"), [(D("0"), False), (D("-1"), False), (D("0.001"), False), (D(0), True)]
)
def test_bad_hours_are_refused(value: Decimal, signed: bool) -> None:
    with pytest.raises(ValidationFailed, match=r"hours|hundredth"):
        check_hours(value, "hours", signed=signed)


# ---- properties ----------------------------------------------------------------------------

_hours = st.decimals(min_value=D("0.25"), max_value=D(20), places=2)
_day = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31))
_rule = st.builds(
    AccrualRule,
    effective_from=st.just(date(2020, 1, 1)),
    frequency=st.sampled_from(list(AccrualFrequency)),
    hours_per_period=_hours,
    cap=st.one_of(st.none(), st.decimals(min_value=D(8), max_value=D(120), places=2)),
    carry_over_max=st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D(40), places=2)),
    carry_over_months=st.one_of(st.none(), st.integers(1, 12)),
    anchor_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)),
)
_movement = st.builds(
    Movement,
    on=_day,
    kind=st.sampled_from([TAKEN, ADJ]),
    hours=st.decimals(min_value=D(-30), max_value=D(30), places=2).filter(lambda h: h != 0),
)
_FAST = settings(max_examples=60, deadline=None)


@_FAST
@given(_rule, _day, st.lists(_movement, max_size=6), _day)
def test_the_balance_never_exceeds_the_cap(
    rule: AccrualRule, start: date, movements: list[Movement], until: date
) -> None:
    lines = ledger([rule], start, movements, until)
    if rule.cap is not None:
        assert all(x.balance <= rule.cap for x in lines)


@_FAST
@given(_rule, _day, st.lists(_movement, max_size=6), _day, _day)
def test_the_balance_is_the_sum_of_the_lines_up_to_the_day(
    rule: AccrualRule, start: date, movements: list[Movement], until: date, day: date
) -> None:
    lines = ledger([rule], start, movements, until)
    assert [x.on for x in lines] == sorted(x.on for x in lines)
    assert balance_on(lines, day) == sum((x.hours for x in lines if x.on <= day), D(0))


@_FAST
@given(_rule, _day, _day, _day)
def test_accrual_is_monotone_in_time_without_usage_or_year_end_limits(
    rule: AccrualRule, start: date, one: date, other: date
) -> None:
    rule = AccrualRule(rule.effective_from, rule.frequency, rule.hours_per_period, rule.cap)
    early, late = sorted((one, other))
    lines = ledger([rule], start, [], late)
    assert balance_on(lines, early) <= balance_on(lines, late)


@_FAST
@given(_rule, st.integers(2022, 2025), st.integers(1, 12))
def test_carried_hours_unused_by_their_expiry_disappear_exactly_then(
    rule: AccrualRule, year: int, months: int
) -> None:
    rule = AccrualRule(
        rule.effective_from, rule.frequency, rule.hours_per_period, rule.cap, None, months
    )
    new_year = date(year + 1, 1, 1)
    expiry = add_months(new_year, months)
    lines = ledger([rule], date(year, 1, 1), [], expiry + timedelta(days=40))
    carried = balance_on(lines, new_year - timedelta(days=1))
    expired = [x for x in lines if x.kind is EXPIRY and x.on >= new_year]
    assert [(x.on, x.hours) for x in expired][:1] == [(expiry, -carried)]
    assert all(x.kind is not EXPIRY for x in lines if new_year <= x.on < expiry)
