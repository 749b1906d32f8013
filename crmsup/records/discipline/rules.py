"""The rules of progressive discipline, as pure functions: no database, no keys, no clock.

- A record *counts* (is live) on day d iff it was issued (issued or acknowledged, not
  rescinded) and issued_on <= d < live_until; live_until is issued_on plus the level's live
  period in calendar months (clamped to the month's end), None for a level that never expires.
  So a warning whose live period ended yesterday does not count today.
- The *suggested* level: the next active level above the highest level among the associate's
  live records of the same category; the lowest active level when none is live; the highest
  active level stays the highest. The suggestion never skips an active level.
- The life cycle: which step is allowed in which stored state, and what it leads to.
  "expired" is never stored: it is an issued or acknowledged record past its live period.

The services feed these rules from plain columns; the tests hold the rules to their promises
directly (tests/unit/records/test_discipline_rules.py, with hypothesis).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from crmsup.records.dates import add_months
from crmsup.records.discipline.models import DisciplineCategory, DisciplineState
from crmsup.records.errors import ValidationFailed

#: Stored states in which an issued record is on the associate's file.
ISSUED_STATES = frozenset({DisciplineState.ISSUED, DisciplineState.ACKNOWLEDGED})
#: The computed state of an issued or acknowledged record past its live period.
EXPIRED = "expired"
#: Days before the end of a live period from which the inbox shows it.
EXPIRY_NOTICE_DAYS = 30


@dataclass(frozen=True, slots=True)
class LevelRule:
    """What the rules need to know of a level."""

    id: uuid.UUID
    rank: int
    live_months: int | None
    needs_approval: bool
    active: bool


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """What the rules need to know of a record already on the associate's file."""

    category: DisciplineCategory
    level_rank: int
    state: DisciplineState
    issued_on: date | None
    live_until: date | None
    #: Only for looking back (`counted_on`): the day a rescinded record stopped counting.
    rescinded_on: date | None = None


def live_until(issued_on: date, live_months: int | None) -> date | None:
    """The first day a record issued on `issued_on` no longer counts (None: it always does)."""
    return None if live_months is None else add_months(issued_on, live_months)


def counts_on(entry: HistoryEntry, day: date) -> bool:
    """True iff the record is live on `day`: issued or acknowledged (never a draft, a record
    waiting for approval, nor a rescinded one) and issued_on <= day < live_until."""
    if entry.state not in ISSUED_STATES or entry.issued_on is None:
        return False
    if day < entry.issued_on:
        return False
    return entry.live_until is None or day < entry.live_until


def counted_on(entry: HistoryEntry, day: date) -> bool:
    """Whether the record counted on `day` as the file stood then: as `counts_on`, except
    that a record rescinded after `day` still counted on it. For looking back (what history
    an issuer faced); the suggestion, made today, uses `counts_on`."""
    if entry.state is DisciplineState.RESCINDED:
        if entry.rescinded_on is None or entry.rescinded_on <= day:
            return False
        entry = replace(entry, state=DisciplineState.ISSUED)
    return counts_on(entry, day)


def effective_state(state: DisciplineState, until: date | None, day: date) -> str:
    """The state to show on `day`: the stored one, or "expired" for an issued or acknowledged
    record whose live period has ended by then."""
    if state in ISSUED_STATES and until is not None and day >= until:
        return EXPIRED
    return state.value


def highest_live_rank(
    history: Iterable[HistoryEntry], category: DisciplineCategory, day: date
) -> int | None:
    """The highest rank among the records of `category` live on `day`; None when none is."""
    ranks = [e.level_rank for e in history if e.category is category and counts_on(e, day)]
    return max(ranks) if ranks else None


def next_level(levels: Sequence[LevelRule], above: int | None) -> LevelRule:
    """The lowest active level ranked above `above` (any, when None); when there is none,
    the highest active level. ValidationFailed when no level is active at all."""
    active = sorted((lv for lv in levels if lv.active), key=lambda lv: lv.rank)
    if not active:
        raise ValidationFailed("no discipline level is active: HR must restore one first")
    if above is None:
        return active[0]
    higher = [lv for lv in active if lv.rank > above]
    return higher[0] if higher else active[-1]


def suggest(
    levels: Sequence[LevelRule],
    history: Iterable[HistoryEntry],
    category: DisciplineCategory,
    day: date,
) -> LevelRule:
    """The level to propose for a new record of `category` on `day`."""
    return next_level(levels, highest_live_rank(history, category, day))


class Step(StrEnum):
    """What can be done to a record; each step is one audit action `discipline.<step>`."""

    UPDATE = "update"
    DELETE = "delete"
    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    ISSUE = "issue"
    ACKNOWLEDGE = "acknowledge"
    ANNOTATE = "annotate"
    RESCIND = "rescind"


_S = DisciplineState
#: Step → {state it may start from: state it leads to}. A record that needs approval cannot
#: be issued from a draft, and one that needs none is never submitted (see `next_state`).
_MOVES: dict[Step, dict[DisciplineState, DisciplineState]] = {
    Step.UPDATE: {_S.DRAFT: _S.DRAFT},
    Step.DELETE: {_S.DRAFT: _S.DRAFT},
    Step.SUBMIT: {_S.DRAFT: _S.PENDING_APPROVAL},
    Step.APPROVE: {_S.PENDING_APPROVAL: _S.APPROVED},
    Step.SEND_BACK: {_S.PENDING_APPROVAL: _S.DRAFT},
    Step.ISSUE: {_S.DRAFT: _S.ISSUED, _S.APPROVED: _S.ISSUED},
    Step.ACKNOWLEDGE: {_S.ISSUED: _S.ACKNOWLEDGED},
    Step.ANNOTATE: {_S.ISSUED: _S.ISSUED, _S.ACKNOWLEDGED: _S.ACKNOWLEDGED},
    Step.RESCIND: {_S.ISSUED: _S.RESCINDED, _S.ACKNOWLEDGED: _S.RESCINDED},
}

_WHY_NOT = {
    Step.UPDATE: "only a draft can be edited; an issued record is annotated or rescinded",
    Step.DELETE: "only a draft can be deleted; an issued record is rescinded",
    Step.SUBMIT: "only a draft is submitted for approval",
    Step.APPROVE: "only a record waiting for approval is approved",
    Step.SEND_BACK: "only a record waiting for approval is sent back",
    Step.ISSUE: "only a draft, or an approved record, is issued",
    Step.ACKNOWLEDGE: "only an issued record is acknowledged (once)",
    Step.ANNOTATE: "only an issued or acknowledged record is annotated; a draft is edited",
    Step.RESCIND: "only an issued or acknowledged record is rescinded",
}


def allowed_steps(state: DisciplineState, needs_approval: bool) -> tuple[Step, ...]:
    """Every step that `next_state` accepts from `state`, in declaration order."""
    out = []
    for step in Step:
        try:
            next_state(step, state, needs_approval)
        except ValidationFailed:
            continue
        out.append(step)
    return tuple(out)


def next_state(step: Step, state: DisciplineState, needs_approval: bool) -> DisciplineState:
    """The state `step` leads to from `state`; ValidationFailed, saying why, when it may not
    be taken. `needs_approval` is the record's level's, as it is now."""
    moves = _MOVES[step]
    if state not in moves:
        raise ValidationFailed(f"the record is {state.value}: {_WHY_NOT[step]}")
    if step is Step.SUBMIT and not needs_approval:
        raise ValidationFailed("this level needs no approval: issue the draft directly")
    if step is Step.ISSUE and state is _S.DRAFT and needs_approval:
        raise ValidationFailed(
            "this level needs the approval of a site manager or HR: submit the draft first"
        )
    return moves[state]


def check_incident_dates(dates: Sequence[date], today: date) -> tuple[date, ...]:
    """At least one incident date, none in the future; sorted, without repeats."""
    if not dates:
        raise ValidationFailed("a discipline record needs at least one incident date")
    if any(d > today for d in dates):
        raise ValidationFailed(f"an incident date is in the future (today is {today:%Y-%m-%d})")
    return tuple(sorted(set(dates)))
