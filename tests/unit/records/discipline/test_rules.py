"""The pure rules of progressive discipline: live periods, the suggested level, the life cycle."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.discipline.models import DisciplineCategory, DisciplineState
from crmsup.records.discipline.rules import (
    HistoryEntry,
    LevelRule,
    Step,
    allowed_steps,
    check_incident_dates,
    counted_on,
    counts_on,
    effective_state,
    highest_live_rank,
    live_until,
    next_state,
    suggest,
)
from crmsup.records.errors import ValidationFailed

S = DisciplineState
CONDUCT = DisciplineCategory.CONDUCT
ATTENDANCE = DisciplineCategory.ATTENDANCE
DEFAULTS = (
    LevelRule(uuid.UUID(int=1), 1, 6, False, True),
    LevelRule(uuid.UUID(int=2), 2, 9, False, True),
    LevelRule(uuid.UUID(int=3), 3, 12, False, True),
    LevelRule(uuid.UUID(int=4), 4, 12, True, True),
    LevelRule(uuid.UUID(int=5), 5, None, True, True),
)


def _issued(rank: int, on: date, category: DisciplineCategory = CONDUCT) -> HistoryEntry:
    return HistoryEntry(
        category, rank, S.ISSUED, on, live_until(on, DEFAULTS[rank - 1].live_months)
    )


def test_live_until_adds_calendar_months_clamped_to_the_month_end() -> None:
    assert live_until(date(2025, 1, 15), 6) == date(2025, 7, 15)
    assert live_until(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert live_until(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert live_until(date(2025, 3, 1), None) is None


def test_a_warning_counts_up_to_the_day_before_live_until() -> None:
    warning = _issued(2, date(2024, 1, 10))  # live until 2024-10-10
    assert warning.live_until == date(2024, 10, 10)
    assert not counts_on(warning, date(2024, 1, 9))
    assert counts_on(warning, date(2024, 1, 10))
    assert counts_on(warning, date(2024, 10, 9))
    assert not counts_on(warning, date(2024, 10, 10))  # ended yesterday: no longer counts
    assert effective_state(S.ISSUED, warning.live_until, date(2024, 10, 9)) == "issued"
    assert effective_state(S.ACKNOWLEDGED, warning.live_until, date(2024, 10, 10)) == "expired"
    assert effective_state(S.RESCINDED, warning.live_until, date(2030, 1, 1)) == "rescinded"
    assert effective_state(S.ISSUED, None, date(2999, 1, 1)) == "issued"


def test_the_suggestion_climbs_one_level_and_stops_at_the_top() -> None:
    day = date(2025, 6, 1)
    assert suggest(DEFAULTS, [], CONDUCT, day).rank == 1
    assert suggest(DEFAULTS, [_issued(1, date(2025, 5, 1))], CONDUCT, day).rank == 2
    # Another category does not count.
    assert suggest(DEFAULTS, [_issued(3, date(2025, 5, 1), ATTENDANCE)], CONDUCT, day).rank == 1
    assert suggest(DEFAULTS, [_issued(5, date(2020, 5, 1))], CONDUCT, day).rank == 5
    # The coaching of 2024-11-01 ended on 2025-05-01: it no longer counts.
    assert suggest(DEFAULTS, [_issued(1, date(2024, 11, 1))], CONDUCT, date(2025, 5, 1)).rank == 1
    assert suggest(DEFAULTS, [_issued(1, date(2024, 11, 1))], CONDUCT, date(2025, 4, 30)).rank == 2


def test_retired_levels_are_skipped_and_a_file_without_active_levels_is_refused() -> None:
    levels = [lv if lv.rank != 2 else LevelRule(lv.id, 2, 9, False, False) for lv in DEFAULTS]
    assert suggest(levels, [_issued(1, date(2025, 5, 1))], CONDUCT, date(2025, 6, 1)).rank == 3
    # A live record at a retired level still counts: the next active one above it.
    assert suggest(levels, [_issued(2, date(2025, 5, 1))], CONDUCT, date(2025, 6, 1)).rank == 3
    retired = [LevelRule(lv.id, lv.rank, lv.live_months, False, False) for lv in DEFAULTS]
    with pytest.raises(ValidationFailed, match="no discipline level is active"):
        suggest(retired, [], CONDUCT, date(2025, 6, 1))


def test_a_record_rescinded_later_counted_until_its_rescission() -> None:
    warning = HistoryEntry(CONDUCT, 2, S.RESCINDED, date(2025, 1, 1), date(2025, 10, 1), None)
    later = HistoryEntry(
        CONDUCT, 2, S.RESCINDED, date(2025, 1, 1), date(2025, 10, 1), date(2025, 3, 1)
    )
    assert not counts_on(later, date(2025, 2, 1))
    assert counted_on(later, date(2025, 2, 28))
    assert not counted_on(later, date(2025, 3, 1))
    assert not counted_on(warning, date(2025, 2, 1))
    assert counted_on(_issued(2, date(2025, 1, 1)), date(2025, 2, 1))


def test_every_step_of_the_life_cycle() -> None:
    assert next_state(Step.SUBMIT, S.DRAFT, needs_approval=True) is S.PENDING_APPROVAL
    assert next_state(Step.APPROVE, S.PENDING_APPROVAL, needs_approval=True) is S.APPROVED
    assert next_state(Step.SEND_BACK, S.PENDING_APPROVAL, needs_approval=True) is S.DRAFT
    assert next_state(Step.ISSUE, S.APPROVED, needs_approval=True) is S.ISSUED
    assert next_state(Step.ISSUE, S.DRAFT, needs_approval=False) is S.ISSUED
    assert next_state(Step.ACKNOWLEDGE, S.ISSUED, needs_approval=False) is S.ACKNOWLEDGED
    assert next_state(Step.RESCIND, S.ACKNOWLEDGED, needs_approval=False) is S.RESCINDED
    assert allowed_steps(S.DRAFT, needs_approval=False) == (Step.UPDATE, Step.DELETE, Step.ISSUE)
    assert allowed_steps(S.DRAFT, needs_approval=True) == (Step.UPDATE, Step.DELETE, Step.SUBMIT)
    assert allowed_steps(S.ISSUED, needs_approval=True) == (
        Step.ACKNOWLEDGE,
        Step.ANNOTATE,
        Step.RESCIND,
    )
    assert allowed_steps(S.RESCINDED, needs_approval=False) == ()


@pytest.mark.parametrize(
    ("step", "state", "needs", "message"),
    [
        (Step.ISSUE, S.DRAFT, True, "submit the draft first"),
        (Step.SUBMIT, S.DRAFT, False, "needs no approval"),
        (Step.UPDATE, S.ISSUED, False, "only a draft can be edited"),
        (Step.DELETE, S.ACKNOWLEDGED, False, "only a draft can be deleted"),
        (Step.APPROVE, S.DRAFT, True, "only a record waiting for approval"),
        (Step.ISSUE, S.PENDING_APPROVAL, True, "only a draft, or an approved record"),
        (Step.ACKNOWLEDGE, S.ACKNOWLEDGED, False, "acknowledged \\(once\\)"),
        (Step.RESCIND, S.DRAFT, False, "only an issued or acknowledged"),
        (Step.ANNOTATE, S.RESCINDED, False, "only an issued or acknowledged"),
    ],
)
def test_refused_steps_say_why(step: Step, state: S, needs: bool, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        next_state(step, state, needs)


def test_incident_dates_are_required_and_never_in_the_future() -> None:
    today = date(2025, 6, 1)
    assert check_incident_dates([today, date(2025, 5, 1), today], today) == (
        date(2025, 5, 1),
        today,
    )
    with pytest.raises(ValidationFailed, match="at least one incident date"):
        check_incident_dates([], today)
    with pytest.raises(ValidationFailed, match="in the future"):
        check_incident_dates([today + timedelta(days=1)], today)


# ---- property tests over random histories ------------------------------------------------

DAY0 = date(2024, 1, 1)
_states = st.sampled_from(list(DisciplineState))


@st.composite
def _levels(draw: st.DrawFn) -> list[LevelRule]:
    count = draw(st.integers(1, 7))
    ranks = sorted(draw(st.sets(st.integers(1, 30), min_size=count, max_size=count)))
    months = st.one_of(st.none(), st.integers(1, 24))
    levels = [
        LevelRule(uuid.uuid4(), rank, draw(months), draw(st.booleans()), draw(st.booleans()))
        for rank in ranks
    ]
    if not any(lv.active for lv in levels):
        first = levels[0]
        levels[0] = LevelRule(first.id, first.rank, first.live_months, first.needs_approval, True)
    return levels


@st.composite
def _history(draw: st.DrawFn, levels: list[LevelRule]) -> list[HistoryEntry]:
    out = []
    for _ in range(draw(st.integers(0, 12))):
        level = draw(st.sampled_from(levels))
        state = draw(_states)
        issued = state in (S.ISSUED, S.ACKNOWLEDGED, S.RESCINDED)
        on = DAY0 + timedelta(days=draw(st.integers(0, 900))) if issued else None
        until = None if on is None else live_until(on, level.live_months)
        category = draw(st.sampled_from([CONDUCT, ATTENDANCE]))
        out.append(HistoryEntry(category, level.rank, state, on, until))
    return out


@st.composite
def _case(draw: st.DrawFn) -> tuple[list[LevelRule], list[HistoryEntry], date]:
    levels = draw(_levels())
    return levels, draw(_history(levels)), DAY0 + timedelta(days=draw(st.integers(0, 1300)))


@given(_case())
def test_the_suggestion_never_skips_an_active_level(
    case: tuple[list[LevelRule], list[HistoryEntry], date],
) -> None:
    levels, history, day = case
    proposed = suggest(levels, history, CONDUCT, day)
    active = sorted(lv.rank for lv in levels if lv.active)
    assert proposed.active
    top = highest_live_rank(history, CONDUCT, day)
    if top is None:
        assert proposed.rank == active[0]
    else:
        # No active level lies strictly between the highest live one and the suggestion,
        # and the suggestion is above it unless nothing active is.
        assert not [r for r in active if top < r < proposed.rank]
        assert proposed.rank > top or proposed.rank == active[-1]


@given(_case())
def test_only_issued_records_within_their_live_period_count(
    case: tuple[list[LevelRule], list[HistoryEntry], date],
) -> None:
    levels, history, day = case
    live = [
        e
        for e in history
        if e.category is CONDUCT
        and e.state in (S.ISSUED, S.ACKNOWLEDGED)
        and e.issued_on is not None
        and e.issued_on <= day
        and (e.live_until is None or day < e.live_until)
    ]
    # Dropping every record that does not count changes nothing.
    assert suggest(levels, live, CONDUCT, day) == suggest(levels, history, CONDUCT, day)
    for entry in history:
        if entry.state in (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.RESCINDED):
            assert not counts_on(entry, day)


@given(_case())
def test_each_record_stops_counting_exactly_on_live_until(
    case: tuple[list[LevelRule], list[HistoryEntry], date],
) -> None:
    _, history, _ = case
    for entry in history:
        if entry.state in (S.ISSUED, S.ACKNOWLEDGED) and entry.live_until is not None:
            assert counts_on(entry, entry.live_until - timedelta(days=1))
            assert not counts_on(entry, entry.live_until)
            assert effective_state(entry.state, entry.live_until, entry.live_until) == "expired"
        if entry.issued_on is not None:
            assert not counts_on(entry, entry.issued_on - timedelta(days=1))
