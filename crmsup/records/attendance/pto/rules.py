"""PTO accrual arithmetic: the ledger of an associate, worked out from the rules in force and
the stored movements, with exact `Decimal` hours. Pure: no database, no clock.

What the ledger promises (each one a property test in tests/unit/records/test_pto_rules.py):
- Accruals are posted on pay days: every 14 days from a biweekly rule's anchor, or on the
  last day of each month, from the associate's start to their last day, by the rule in force
  on that day (a job title's rules take effect from their `effective_from`). A period is not
  prorated: the first pay day on or after the start earns a whole period.
- A cap stops accruals (and HR's positive adjustments) from raising the balance above it: a
  line credits only what fits, and nothing when the balance is at the cap.
- On 1 January the balance above the rule's `carry_over_max` is forfeited; what is carried
  (when positive) expires `carry_over_months` months later (1 April for 3), on that day,
  less what was used meanwhile: PTO taken and negative adjustments use carried hours first.
- Within a day: forfeits and expiries first, then PTO taken and adjustments, then accruals.
- Every line carries the running balance: balance(d) is the sum of the lines dated up to d.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from crmsup.records.attendance.models import AccrualFrequency
from crmsup.records.dates import add_months
from crmsup.records.errors import ValidationFailed

ZERO = Decimal("0.00")
#: The biweekly anchor a rule gets when HR gives none: a Friday, a common pay day.
DEFAULT_ANCHOR = date(2024, 1, 5)
#: The largest number of hours any one figure may take (a year of full days is 2,920).
MAX_HOURS = Decimal(10_000)


class LineKind(StrEnum):
    ACCRUAL = "accrual"
    TAKEN = "taken"
    ADJUSTMENT = "adjustment"
    #: On 1 January, the balance above what the rule lets an associate carry over.
    FORFEIT = "forfeit"
    #: Carried-over hours not used by their expiry date.
    EXPIRY = "expiry"


#: Order of lines within one day.
_ORDER = {
    LineKind.FORFEIT: 0,
    LineKind.EXPIRY: 1,
    LineKind.TAKEN: 2,
    LineKind.ADJUSTMENT: 2,
    LineKind.ACCRUAL: 3,
}


@dataclass(frozen=True, slots=True)
class AccrualRule:
    effective_from: date
    frequency: AccrualFrequency
    hours_per_period: Decimal
    cap: Decimal | None = None
    #: None carries the whole balance into a new year; 0 carries nothing.
    carry_over_max: Decimal | None = None
    #: Carried hours expire this many months into the new year (None: never).
    carry_over_months: int | None = None
    anchor_on: date = DEFAULT_ANCHOR


@dataclass(frozen=True, slots=True)
class Movement:
    """A stored change of the balance: PTO taken (negative) or an adjustment (either sign)."""

    on: date
    kind: LineKind
    hours: Decimal
    source_type: str | None = None
    source_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class LedgerLine:
    on: date
    kind: LineKind
    #: What the line credits (positive) or debits (negative), after any cap.
    hours: Decimal
    #: The balance after this line.
    balance: Decimal
    source_type: str | None = None
    source_id: uuid.UUID | None = None


def rule_on(rules: Sequence[AccrualRule], day: date) -> AccrualRule | None:
    """The rule in force on `day`: the latest one effective by then."""
    found = None
    for rule in sorted(rules, key=lambda r: r.effective_from):
        if rule.effective_from <= day:
            found = rule
    return found


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def pay_days(rule: AccrualRule, first: date, last: date) -> Iterator[date]:
    """The rule's accrual days in [first, last]."""
    if first > last:
        return
    if rule.frequency is AccrualFrequency.BIWEEKLY:
        offset = (first - rule.anchor_on).days % 14
        day = first + timedelta(days=(14 - offset) % 14)
        while day <= last:
            yield day
            day += timedelta(days=14)
    else:
        day = last_of_month(first)
        while day <= last:
            yield day
            day = last_of_month(day + timedelta(days=1))


def accrual_days(
    rules: Sequence[AccrualRule], start: date, stop: date | None, until: date
) -> Iterator[tuple[date, AccrualRule]]:
    """(pay day, rule in force) from `start` to the earlier of `stop` and `until`."""
    end = until if stop is None else min(stop, until)
    ordered = sorted(rules, key=lambda r: r.effective_from)
    for index, rule in enumerate(ordered):
        first = max(start, rule.effective_from)
        last = end
        if index + 1 < len(ordered):
            last = min(end, ordered[index + 1].effective_from - timedelta(days=1))
        for day in pay_days(rule, first, last):
            yield day, rule


@dataclass
class _State:
    balance: Decimal = ZERO
    carried_left: Decimal = ZERO
    expires_on: date | None = None


def ledger(
    rules: Sequence[AccrualRule],
    start: date,
    movements: Sequence[Movement],
    until: date,
    *,
    stop: date | None = None,
) -> tuple[LedgerLine, ...]:
    """Every line of the ledger up to `until`, oldest first, for an associate who accrues
    from `start` to `stop` (their last day; None while employed)."""
    events: list[tuple[date, int, int, LineKind, object]] = []
    for day, rule in accrual_days(rules, start, stop, until):
        events.append((day, _ORDER[LineKind.ACCRUAL], 0, LineKind.ACCRUAL, rule))
    for index, movement in enumerate(movements):
        if movement.on <= until:
            events.append((movement.on, _ORDER[movement.kind], index, movement.kind, movement))
    first = min([start, *(m.on for m in movements)])
    for year in range(first.year + 1, until.year + 1):
        events.append((date(year, 1, 1), _ORDER[LineKind.FORFEIT], 0, LineKind.FORFEIT, None))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    state, lines = _State(), []
    for day, _, _, kind, payload in events:
        lines.extend(_expire(state, day, until))
        if kind is LineKind.FORFEIT:
            lines.extend(_year_end(state, day, rule_on(rules, day)))
        elif kind is LineKind.ACCRUAL:
            assert isinstance(payload, AccrualRule)  # noqa: S101 - built above
            line = _credit(state, day, kind, payload.hours_per_period, payload.cap, None)
            lines.extend(line)
        else:
            assert isinstance(payload, Movement)  # noqa: S101 - built above
            lines.extend(_move(state, payload, rule_on(rules, day)))
    lines.extend(_expire(state, until, until))
    return tuple(lines)


def _credit(
    state: _State,
    day: date,
    kind: LineKind,
    hours: Decimal,
    cap: Decimal | None,
    source: Movement | None,
) -> list[LedgerLine]:
    amount = hours if cap is None else min(hours, max(cap - state.balance, ZERO))
    if amount <= 0 and source is None:
        return []
    state.balance += amount
    return [_line(day, kind, amount, state.balance, source)]


def _move(state: _State, movement: Movement, rule: AccrualRule | None) -> list[LedgerLine]:
    if movement.hours > 0:
        cap = None if rule is None else rule.cap
        return _credit(state, movement.on, movement.kind, movement.hours, cap, movement)
    state.carried_left -= min(state.carried_left, -movement.hours)
    state.balance += movement.hours
    return [_line(movement.on, movement.kind, movement.hours, state.balance, movement)]


def _year_end(state: _State, day: date, rule: AccrualRule | None) -> list[LedgerLine]:
    lines = []
    keep = None if rule is None else rule.carry_over_max
    if keep is not None and state.balance > keep:
        excess = state.balance - keep
        state.balance -= excess
        lines.append(_line(day, LineKind.FORFEIT, -excess, state.balance, None))
    if rule is not None and rule.carry_over_months is not None and state.balance > 0:
        state.carried_left = state.balance
        state.expires_on = add_months(day, rule.carry_over_months)
    else:
        state.carried_left, state.expires_on = ZERO, None
    return lines


def _expire(state: _State, day: date, until: date) -> list[LedgerLine]:
    """The expiry of carried hours due on or before `day` (and not after `until`)."""
    if state.expires_on is None or state.expires_on > day or state.expires_on > until:
        return []
    on, state.expires_on = state.expires_on, None
    amount = min(state.carried_left, max(state.balance, ZERO))
    state.carried_left = ZERO
    if amount <= 0:
        return []
    state.balance -= amount
    return [_line(on, LineKind.EXPIRY, -amount, state.balance, None)]


def _line(
    day: date, kind: LineKind, hours: Decimal, balance: Decimal, source: Movement | None
) -> LedgerLine:
    return LedgerLine(
        day,
        kind,
        hours,
        balance,
        None if source is None else source.source_type,
        None if source is None else source.source_id,
    )


def balance_on(lines: Sequence[LedgerLine], day: date) -> Decimal:
    """The balance at the end of `day` (lines after it do not count)."""
    balance = ZERO
    for line in lines:
        if line.on > day:
            break
        balance = line.balance
    return balance


def lowest_from(lines: Sequence[LedgerLine], day: date) -> Decimal:
    """The lowest balance from the end of `day` on, over the lines given."""
    return min([balance_on(lines, day), *(line.balance for line in lines if line.on >= day)])


def check_hours(
    value: Decimal, what: str, *, maximum: Decimal = MAX_HOURS, signed: bool = False
) -> Decimal:
    """Hours to the hundredth, above 0 (or, `signed`, not 0) and at most `maximum`."""
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{what} are given to the hundredth of an hour, such as 7.5")
    if abs(value) > maximum or (value == 0 if signed else value <= 0):
        low = "not 0" if signed else "above 0"
        raise ValidationFailed(f"{what} must be {low} and at most {maximum} hours")
    return value.quantize(Decimal("0.01"))
