"""Demo attendance and PTO: HR's points settings and accrual rules (made with the real
services), then each associate's attendance events, PTO taken, time-off requests and HR's
adjustments over their last months, sealed as the services seal them.

Proportions, as a contact centre's floor looks over half a year (the points window): about
half the associates have no attendance event at all, a third an occasional late arrival,
early leave or absence, one in seven struggles and one in fifteen is chronically absent —
these are the ones who cross the points thresholds (about one in ten; some are answered by
the attendance discipline records of `discipline_records`, some wait in the inbox). Two in
five take a day of unplanned PTO, and a little over half file one or two time-off requests:
most approved, about one in six denied (a busy week, or not enough hours), some cancelled,
and those filed in the last three days still waiting for a decision (some overdue). One in
thirty has an adjustment by HR. Notes are sealed on a minority of events only (the ones a
supervisor would write about: no-shows, sick calls), comments on a third of the requests:
about one sealed field per associate, as attendance is the largest area.

No balance falls below zero: the planned PTO is checked from a start shortly before the
first draw, which counts no more than the real ledger, whose history is longer (accruals
only raise a balance; a year-end forfeit or an expiry takes only what the longer history
carried) — by a quick sufficient test (`_surely_covered`), else by the pure ledger rules
(`attendance.pto.rules.ledger`). PTO that does not fit becomes what it would have been: a day taken
without pay (an excused absence), a request denied for want of hours, an adjustment not made.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar

from crmsup.demo import attendance_texts
from crmsup.demo.names import QUEUES, SENIOR_PREFIX, SPECIAL_TITLES
from crmsup.demo.people import YEARS_OF_HIRES, Owner, Person
from crmsup.demo.rows import Row, Staff, Tally, at_work, full_row, table_of
from crmsup.records.actor import Actor
from crmsup.records.attendance import settings as attendance_rules_service
from crmsup.records.attendance.models import (
    AccrualFrequency,
    AttendanceEvent,
    AttendanceKind,
    PtoAdjustment,
    PtoRequest,
    PtoRequestState,
)
from crmsup.records.attendance.pto import service as pto_service
from crmsup.records.attendance.pto.dto import AccrualRuleDetail, AccrualRuleSpec
from crmsup.records.attendance.pto.rules import AccrualRule, LineKind, Movement, ledger
from crmsup.records.database import Database
from crmsup.records.models import AssociateStatus, Base
from crmsup.records.sealed_fields import seal

KIND = "attendance"
TABLES: tuple[type[Base], ...] = (AttendanceEvent, PtoRequest, PtoAdjustment)
_EVENTS, _REQUESTS, _ADJUSTMENTS = (table_of(m) for m in TABLES)
#: Every column of an event row, version 1 (`full_row`), filled in per event.
_BLANK_EVENT = full_row(_EVENTS, {})
_K = AttendanceKind
T = TypeVar("T")
_S = PtoRequestState

#: HR's points settings: a rolling half-year, the usual contact-centre weights.
WINDOW_DAYS = 180
POINTS = {
    _K.ABSENCE_EXCUSED.value: "0",
    _K.ABSENCE_UNEXCUSED.value: "1",
    _K.LATE_ARRIVAL.value: "0.5",
    _K.EARLY_LEAVE.value: "0.5",
    _K.NO_CALL_NO_SHOW.value: "3",
    _K.PTO_TAKEN.value: "0",
}
THRESHOLDS = ("3", "5", "7")
#: Events are written over this many days up to the associate's last day.
HISTORY_DAYS = 180
#: Bookings reach this far ahead.
AHEAD_DAYS = 60
#: The balance check starts this long before the first draw (see the module's docstring).
LEDGER_LEAD = timedelta(days=120)


class _Weighted(Generic[T]):
    """Values drawn by weight, their running totals worked out once (the demo draws
    hundreds of thousands of times)."""

    def __init__(self, weighted: Sequence[tuple[T, int]]) -> None:
        self._values = [v for v, _ in weighted]
        self._totals = list(accumulate(w for _, w in weighted))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self._values, cum_weights=self._totals)[0]


#: Per attendance profile — clean, occasional, struggling, chronic — how many events over
#: the history (low, high), the weights of their kinds (in `_KINDS`' order) and the
#: profile's weight.
_KINDS = (
    _K.ABSENCE_EXCUSED,
    _K.LATE_ARRIVAL,
    _K.EARLY_LEAVE,
    _K.ABSENCE_UNEXCUSED,
    _K.NO_CALL_NO_SHOW,
)
_PROFILES = _Weighted(
    tuple(
        ((events, _Weighted(tuple(zip(_KINDS, kinds, strict=True)))), weight)
        for events, kinds, weight in (
            ((0, 0), (1, 0, 0, 0, 0), 45),
            ((1, 2), (35, 35, 15, 15, 0), 34),
            ((3, 5), (20, 35, 15, 27, 3), 14),
            ((5, 8), (15, 30, 10, 35, 10), 7),
        )
    )
)
#: The share of each kind's events a supervisor writes a note on.
_NOTED = {
    _K.ABSENCE_EXCUSED: 0.25,
    _K.ABSENCE_UNEXCUSED: 0.2,
    _K.LATE_ARRIVAL: 0.08,
    _K.EARLY_LEAVE: 0.15,
    _K.NO_CALL_NO_SHOW: 0.8,
    _K.PTO_TAKEN: 0.05,
}
#: How many days of unplanned PTO, and how many time-off requests, over the history.
_TAKEN = _Weighted(((0, 60), (1, 30), (2, 10)))
_REQUESTED = _Weighted(((0, 45), (1, 37), (2, 18)))
#: (days off, calendar days spanned) of a request.
_LENGTHS = _Weighted((((1, 1), 45), ((2, 2), 15), ((3, 3), 10), ((5, 7), 25), ((10, 14), 5)))
_PAST_STATES = _Weighted(((_S.APPROVED, 80), (_S.DENIED, 10), (_S.CANCELLED, 10)))
_FUTURE_STATES = _Weighted(
    ((_S.REQUESTED, 30), (_S.APPROVED, 50), (_S.DENIED, 8), (_S.CANCELLED, 12))
)
ADJUSTED_SHARE = 0.03
_LATE = _Weighted((((5, 15), 50), ((16, 30), 30), ((31, 90), 15), ((91, 240), 5)))
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Prepared:
    #: The accrual rules of each job title the demo gives, as the ledger rules take them.
    rules: dict[str, tuple[AccrualRule, ...]]


def _specs(today: date) -> list[AccrualRuleSpec]:
    """A queue's associates earn 15 days a year, 16 from this year on; seniors 20; specialists
    monthly, capped, all carried over. At most 40 hours carry into a year, gone by April."""
    since = date(today.year - YEARS_OF_HIRES - 1, 1, 1)
    hours, cap = Decimal(40), Decimal(160)
    biweekly, monthly = AccrualFrequency.BIWEEKLY, AccrualFrequency.MONTHLY
    specs: list[AccrualRuleSpec] = []
    for queue in QUEUES:
        title = queue.title
        specs.append(AccrualRuleSpec(title, since, biweekly, Decimal("4.62"), cap, hours, 3))
        this_year = date(today.year, 1, 1)
        specs.append(AccrualRuleSpec(title, this_year, biweekly, Decimal("4.93"), cap, hours, 3))
        senior = SENIOR_PREFIX + title
        specs.append(
            AccrualRuleSpec(senior, since, biweekly, Decimal("6.16"), Decimal(200), hours, 3)
        )
    for title in SPECIAL_TITLES:
        specs.append(AccrualRuleSpec(title, since, monthly, Decimal("13.33"), Decimal(200)))
    return specs


def _rule(spec: AccrualRuleSpec | AccrualRuleDetail) -> AccrualRule:
    return AccrualRule(
        spec.effective_from,
        spec.frequency,
        spec.hours_per_period,
        spec.cap,
        spec.carry_over_max,
        spec.carry_over_months,
        spec.anchor_on,
    )


def accrual_rules(today: date) -> dict[str, tuple[AccrualRule, ...]]:
    """The rules `prepare` sets, per job title, as the ledger takes them."""
    rules: dict[str, list[AccrualRule]] = {}
    for spec in _specs(today):
        rules.setdefault(spec.job_title, []).append(_rule(spec))
    return {title: tuple(found) for title, found in rules.items()}


def prepare(db: Database, hr: Actor, today: date) -> Prepared:
    """HR's points settings and every demo title's accrual rules, through the services."""
    attendance_rules_service.set_point_rules(db, hr, WINDOW_DAYS, POINTS, THRESHOLDS)
    rules: dict[str, list[AccrualRule]] = {}
    for spec in _specs(today):
        made = pto_service.set_accrual_rule(db, hr, spec)
        rules.setdefault(made.job_title, []).append(_rule(made))
    return Prepared({title: tuple(found) for title, found in rules.items()})


# ---- the plan of one associate ---------------------------------------------------------


@dataclass(slots=True)
class _Event:
    id: uuid.UUID
    kind: AttendanceKind
    on: date
    minutes: int | None = None
    hours: Decimal | None = None


@dataclass(slots=True)
class _Request:
    id: uuid.UUID
    start: date
    end: date
    hours: Decimal
    state: PtoRequestState
    filed: date
    #: Approved before it was cancelled.
    was_approved: bool = False
    short_of_hours: bool = False


@dataclass(slots=True)
class _Plan:
    events: list[_Event] = field(default_factory=list)
    requests: list[_Request] = field(default_factory=list)
    adjustments: list[tuple[uuid.UUID, date, Decimal, str]] = field(default_factory=list)


def _scaled(count: int, share: float, rng: random.Random) -> int:
    """`count` over the whole history, for an associate present `share` of it."""
    return int(count * share + rng.random()) if share < 1 else count


def _minutes(kind: AttendanceKind, rng: random.Random) -> int:
    if kind is _K.LATE_ARRIVAL:
        low, high = _LATE.draw(rng)
        return rng.randint(low, high)
    return rng.randint(3, 16) * 15


def _plan(person: Person, today: date, rng: random.Random) -> _Plan:
    plan = _Plan()
    active = person.status is AssociateStatus.ACTIVE
    end = min(person.last_day(today), today - DAY)
    if person.status is AssociateStatus.LEAVE:
        end = today - timedelta(days=30)
    first = max(person.hire_date, today - timedelta(days=HISTORY_DAYS))
    if end < first:
        return plan
    span = (end - first).days + 1
    share = span / HISTORY_DAYS
    (low, high), kinds = _PROFILES.draw(rng)
    count = min(_scaled(rng.randint(low, high), share, rng), span)
    taken = _scaled(_TAKEN.draw(rng), share, rng) if person.hire_date < first else 0
    offsets = rng.sample(range(span), min(span, count + taken))
    busy = {first + timedelta(days=o) for o in offsets}
    for number, offset in enumerate(offsets):
        on = first + timedelta(days=offset)
        if number < count:
            kind = kinds.draw(rng)
            minutes = _minutes(kind, rng) if kind in (_K.LATE_ARRIVAL, _K.EARLY_LEAVE) else None
            plan.events.append(_Event(uuid.uuid4(), kind, on, minutes))
        else:
            hours = Decimal(8) if rng.random() < 0.8 else Decimal(4)
            plan.events.append(_Event(uuid.uuid4(), _K.PTO_TAKEN, on, hours=hours))
    earliest = max(first, person.hire_date + timedelta(days=30))
    for _ in range(_scaled(_REQUESTED.draw(rng), share, rng)):
        ahead = active and rng.random() < 0.45
        request = _request(person, rng, today, earliest, end, ahead)
        if request is None:
            continue
        days = {
            request.start + timedelta(days=d) for d in range((request.end - request.start).days + 1)
        }
        if days & busy:
            continue
        busy |= days
        plan.requests.append(request)
    if rng.random() < ADJUSTED_SHARE and earliest <= end:
        hours, why = rng.choice(attendance_texts.ADJUSTMENT_REASONS)
        on = earliest + timedelta(days=rng.randint(0, (end - earliest).days))
        plan.adjustments.append((uuid.uuid4(), on, hours, why))
    return plan


def _request(
    person: Person, rng: random.Random, today: date, earliest: date, end: date, ahead: bool
) -> _Request | None:
    """A request, in the future (`ahead`) or drawn in the past, filed before its first day."""
    off, spanned = _LENGTHS.draw(rng)
    hours = Decimal(8 * off)
    if ahead:
        start = today + timedelta(days=rng.randint(1, AHEAD_DAYS))
        state = _FUTURE_STATES.draw(rng)
        back = rng.randint(1, 3) if state is _S.REQUESTED else rng.randint(2, 30)
        filed = max(today - timedelta(days=back), person.hire_date)
    else:
        last = min(end, today - DAY) - timedelta(days=spanned - 1)
        if last < earliest + timedelta(days=3):
            return None
        start = earliest + timedelta(days=rng.randint(3, (last - earliest).days))
        state = _PAST_STATES.draw(rng)
        filed = max(start - timedelta(days=rng.randint(3, 40)), person.hire_date)
    was_approved = state is _S.CANCELLED and rng.random() < 0.6
    end_on = start + timedelta(days=spanned - 1)
    return _Request(uuid.uuid4(), start, end_on, hours, state, filed, was_approved)


# ---- the balance ----------------------------------------------------------------------


def _movements(plan: _Plan) -> list[Movement]:
    """What draws on (or adds to) the balance: PTO taken, requests approved or waiting
    (so that approving one stays possible), HR's adjustments."""
    moves = [
        Movement(e.on, LineKind.TAKEN, -e.hours, "event", e.id)
        for e in plan.events
        if e.hours is not None
    ]
    moves += [
        Movement(r.start, LineKind.TAKEN, -r.hours, "request", r.id)
        for r in plan.requests
        if r.state in (_S.APPROVED, _S.REQUESTED)
    ]
    moves += [
        Movement(on, LineKind.ADJUSTMENT, h, "adjustment", i) for i, on, h, _ in plan.adjustments
    ]
    moves.sort(key=lambda m: (m.on, m.source_type or ""))
    return moves


def _surely_covered(moves: list[Movement], rules: tuple[AccrualRule, ...], start: date) -> bool:
    """A quick sufficient test, so that most associates need no ledger: within each calendar
    year from `start`, the fewest hours the year's pay days before a draw can credit cover
    the year's draws up to it (credits aside).

    Why it suffices: from `start` with nothing, a balance falls only on a draw (a forfeit or
    an expiry never takes it below zero); in `start`'s year it is exactly the accruals less
    the draws; from 1 January on it is at least the accruals of the year less its draws
    (carried hours that expire were over and above them) — as long as no cap clips an
    accrual, which is checked: the span could not reach the lowest cap."""
    if not rules or start < min(r.effective_from for r in rules):
        return False
    biweekly = any(r.frequency is AccrualFrequency.BIWEEKLY for r in rules)
    monthly = any(r.frequency is AccrualFrequency.MONTHLY for r in rules)
    period = 31 if monthly else 14
    most = max(r.hours_per_period for r in rules)
    pay_days = (moves[-1].on - start).days // (14 if biweekly else 28) + 1
    if any(r.cap is not None and r.cap <= most * pay_days for r in rules):
        return False
    least = min(r.hours_per_period for r in rules)
    year, used = 0, Decimal(0)
    for move in moves:
        if move.hours > 0:
            continue
        if move.on.year != year:
            year, used = move.on.year, Decimal(0)
        used -= move.hours
        since = max(start, date(year, 1, 1))
        if least * ((move.on - since).days // period) < used:
            return False
    return True


def _fit(plan: _Plan, person: Person, rules: tuple[AccrualRule, ...]) -> None:
    """Turn the draws that would take the balance below zero into what they would have been."""
    while True:
        moves = _movements(plan)
        if not any(m.hours < 0 for m in moves):
            return
        start = max(person.hire_date, moves[0].on - LEDGER_LEAD)
        if _surely_covered(moves, rules, start):
            return
        # After the last movement only accruals, forfeits and expiries follow: none of them
        # takes a balance below zero.
        lines = ledger(rules, start, moves, moves[-1].on, stop=person.termination_date)
        short = next((line for line in lines if line.balance < 0), None)
        if short is None:
            return
        if short.source_id is None:  # pragma: no cover - only a draw takes a balance below 0
            raise AssertionError("a balance fell below zero on a line of no draw")
        for event in plan.events:
            if event.id == short.source_id:
                event.kind, event.hours = _K.ABSENCE_EXCUSED, None
        for request in plan.requests:
            if request.id == short.source_id:
                request.state, request.short_of_hours = _S.DENIED, True
        plan.adjustments = [a for a in plan.adjustments if a[0] != short.source_id]


# ---- rows -----------------------------------------------------------------------------


def rows(
    owner: Owner,
    staff: Staff,
    prepared: object,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> dict[str, list[Row]]:
    """The associate's events, requests and adjustments (see the module's docstring)."""
    assert isinstance(prepared, Prepared)  # noqa: S101 - what `prepare` returned
    person, cipher = owner.person, owner.cipher
    plan = _plan(person, today, rng)
    _fit(plan, person, prepared.rules.get(person.job_title, ()))
    supervisor = staff.supervisors[person.team]
    manager = staff.managers[person.team]
    events: list[Row] = []
    for event in plan.events:
        recorded = min(event.on + timedelta(days=rng.randint(0, 1)), today - DAY)
        note = (
            rng.choice(attendance_texts.NOTES[event.kind])
            if rng.random() < _NOTED[event.kind]
            else None
        )
        events.append(
            {
                **_BLANK_EVENT,
                "id": event.id,
                "associate_id": owner.associate_id,
                "kind": event.kind,
                "occurred_on": event.on,
                "minutes": event.minutes,
                "hours": event.hours,
                "notes_enc": None
                if note is None
                else seal(cipher, _EVENTS.name, event.id, {"notes_enc": note})["notes_enc"],
                "created_by": supervisor,
                "created_at": at_work(recorded, rng),
            }
        )
        tally.add(KIND, event.kind.value, "event")
    requests = [_request_row(owner, r, supervisor, manager, rng) for r in plan.requests]
    for request in plan.requests:
        tally.add(KIND, request.state.value, "time_off_request")
    adjustments: list[Row] = []
    for adjustment_id, on, hours, why in plan.adjustments:
        made = min(on + timedelta(days=rng.randint(0, 3)), today - DAY)
        adjustments.append(
            full_row(
                _ADJUSTMENTS,
                {
                    "id": adjustment_id,
                    "associate_id": owner.associate_id,
                    "effective_on": on,
                    "hours": hours,
                    "reason_enc": cipher.encrypt(
                        _ADJUSTMENTS.name, "reason_enc", str(adjustment_id), why
                    ),
                    "created_by": staff.hr,
                    "created_at": at_work(made, rng),
                },
            )
        )
        tally.add(KIND, "adjusted", "pto_adjustment")
    return {_EVENTS.name: events, _REQUESTS.name: requests, _ADJUSTMENTS.name: adjustments}


def _request_row(
    owner: Owner,
    request: _Request,
    supervisor: uuid.UUID,
    manager: uuid.UUID,
    rng: random.Random,
) -> Row:
    """A request with what its state implies: a decision (who, when, why when denied) once
    approved or denied, its versions counted from filing."""
    created_at = at_work(request.filed, rng)
    comment = rng.choice(attendance_texts.COMMENTS) if rng.random() < 0.35 else None
    decided = request.state in (_S.APPROVED, _S.DENIED) or request.was_approved
    decision: str | None = None
    if request.short_of_hours:
        decision = attendance_texts.NO_HOURS
    elif request.state is _S.DENIED:
        decision = rng.choice(attendance_texts.DENIALS)
    elif request.state is _S.CANCELLED and rng.random() < 0.5:
        decision = rng.choice(attendance_texts.CANCELS)
    elif request.state is _S.APPROVED and rng.random() < 0.1:
        decision = rng.choice(attendance_texts.APPROVALS)
    steps = int(decided) + int(request.state is _S.CANCELLED)
    sealed = seal(
        owner.cipher,
        _REQUESTS.name,
        request.id,
        {"comment_enc": comment, "decision_comment_enc": decision},
    )
    return full_row(
        _REQUESTS,
        {
            "id": request.id,
            "associate_id": owner.associate_id,
            "start_on": request.start,
            "end_on": request.end,
            "hours": request.hours,
            "state": request.state,
            **sealed,
            "created_by": supervisor,
            "created_at": created_at,
            "decided_by": (supervisor if rng.random() < 0.7 else manager) if decided else None,
            "decided_at": created_at + timedelta(minutes=rng.randint(30, 360)) if decided else None,
            "version": 1 + steps,
        },
    )
