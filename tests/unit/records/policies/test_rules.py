"""The pure rules of policies and claims: business time (property-tested), the
acknowledgement deadline, the current version, what a publication holds, the claim's steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.errors import ValidationFailed
from crmsup.records.notes.models import ClaimState
from crmsup.records.notes.rules import (
    ClaimStep,
    check_claim_times,
    clean_text,
    next_claim_state,
    responded_late,
)
from crmsup.records.policies.rules import (
    BusinessHours,
    acknowledge_by,
    add_business_minutes,
    business_minutes_between,
    check_hours,
    clean_publication,
    current_versions,
)

PARIS = ZoneInfo("Europe/Paris")
HOURS = BusinessHours()


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# Whole minutes over 2025-2027, across both DST changes of each year.
instants = st.integers(min_value=0, max_value=3 * 366 * 24 * 60).map(
    lambda m: datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=m)
)
spans = st.integers(min_value=1, max_value=3000)
zones = st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"])


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (paris(2026, 3, 2, 9, 0), 120, paris(2026, 3, 2, 11, 0)),  # Monday morning
        (paris(2026, 3, 6, 17, 30), 120, paris(2026, 3, 9, 9, 30)),  # Friday evening
        (paris(2026, 3, 7, 12, 0), 120, paris(2026, 3, 9, 10, 0)),  # Saturday
        (paris(2026, 3, 2, 6, 0), 120, paris(2026, 3, 2, 10, 0)),  # before opening
        (paris(2026, 3, 2, 19, 0), 60, paris(2026, 3, 3, 9, 0)),  # after closing
        (paris(2026, 3, 2, 16, 0), 120, paris(2026, 3, 2, 18, 0)),  # to closing exactly
        (paris(2026, 3, 27, 17, 0), 120, paris(2026, 3, 30, 9, 0)),  # over the spring change
    ],
)
def test_business_minutes_by_hand(start: datetime, minutes: int, due: datetime) -> None:
    assert add_business_minutes(start, minutes, HOURS) == due
    assert add_business_minutes(start, minutes, HOURS).tzinfo is UTC
    assert business_minutes_between(start, due, HOURS) == minutes


@given(instants, spans, zones)
def test_the_deadline_lies_in_business_hours_after_exactly_that_much_business_time(
    start: datetime, minutes: int, zone: str
) -> None:
    hours = BusinessHours(zone, 8 * 60, 18 * 60)
    due = add_business_minutes(start, minutes, hours)
    local = due.astimezone(ZoneInfo(zone))
    assert due > start
    assert local.weekday() < 5
    assert 8 * 60 < local.hour * 60 + local.minute <= 18 * 60
    assert business_minutes_between(start, due, hours) == minutes
    assert business_minutes_between(start, due - timedelta(minutes=1), hours) == minutes - 1


@given(instants, spans, spans)
def test_adding_twice_is_adding_the_sum(start: datetime, a: int, b: int) -> None:
    once = add_business_minutes(start, a + b, HOURS)
    assert add_business_minutes(add_business_minutes(start, a, HOURS), b, HOURS) == once


@given(instants, spans, spans)
def test_more_business_time_is_never_earlier(start: datetime, a: int, b: int) -> None:
    assert add_business_minutes(start, a, HOURS) <= add_business_minutes(start, a + b, HOURS)


def test_naive_times_and_empty_spans_are_bugs() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(datetime(2026, 3, 2, 9), 10, HOURS)
    with pytest.raises(ValueError, match="at least one"):
        add_business_minutes(paris(2026, 3, 2, 9, 0), 0, HOURS)


def test_the_deadline_counts_from_the_first_day_in_force() -> None:
    published = paris(2026, 3, 2, 9, 0)
    assert acknowledge_by(published, date(2026, 3, 1), 120, HOURS) == paris(2026, 3, 2, 11, 0)
    # Published on Monday to come into force on Thursday: due Thursday 10:00.
    assert acknowledge_by(published, date(2026, 3, 5), 120, HOURS) == paris(2026, 3, 5, 10, 0)


def test_settings_are_checked() -> None:
    assert check_hours(HOURS, 120) == HOURS
    for hours, minutes, message in (
        (BusinessHours("Mars/Olympus"), 120, "not a time zone"),
        (BusinessHours(opens=600, closes=600), 120, "open before they close"),
        (BusinessHours(closes=24 * 60 + 1), 120, "open before they close"),
        (HOURS, 0, "window"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            check_hours(hours, minutes)


def test_the_current_version_is_the_newest_in_force() -> None:
    rows = [
        ("a", 1, date(2026, 1, 1), "a1"),
        ("a", 2, date(2026, 2, 1), "a2"),
        ("a", 3, date(2026, 4, 1), "a3"),  # not yet
        ("b", 1, date(2026, 5, 1), "b1"),  # no version of b in force yet
        ("c", 1, date(2026, 1, 1), "c1"),
        ("c", 2, date(2026, 1, 1), "c2"),  # same day: the higher number
    ]
    assert current_versions(rows, date(2026, 3, 2)) == {"a": "a2", "c": "c2"}
    assert current_versions(rows, date(2026, 4, 1))["a"] == "a3"


def test_a_publication_needs_text_or_a_document() -> None:
    assert clean_publication(" Dress code ", " Casual ", None, None) == ("Dress code", "Casual")
    assert clean_publication("Dress code", None, b"%PDF", "code.pdf") == ("Dress code", None)
    for args, message in (
        (("Dress code", "  ", None, None), "text or an attached document"),
        (("", "Casual", None, None), "title must not be empty"),
        (("Dress code", None, b"", "code.pdf"), "document is empty"),
        (("Dress code", None, b"%PDF", None), "file name must not be empty"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            clean_publication(*args)


def test_a_claim_goes_open_responded_closed_and_no_other_way() -> None:
    assert next_claim_state(ClaimState.OPEN, ClaimStep.RESPOND) is ClaimState.RESPONDED
    assert next_claim_state(ClaimState.RESPONDED, ClaimStep.CLOSE) is ClaimState.CLOSED
    with pytest.raises(ValidationFailed, match="closed only when responded; this one is open"):
        next_claim_state(ClaimState.OPEN, ClaimStep.CLOSE)
    with pytest.raises(ValidationFailed, match="responded to only when open"):
        next_claim_state(ClaimState.CLOSED, ClaimStep.RESPOND)


def test_the_first_response_is_due_in_30_minutes() -> None:
    received = paris(2026, 3, 2, 9, 0)
    assert not responded_late(received, received + timedelta(minutes=30), received)
    assert responded_late(received, received + timedelta(minutes=31), received)
    assert responded_late(received, None, received + timedelta(minutes=31))
    assert not responded_late(received, None, received + timedelta(minutes=29))


def test_claim_times_and_texts_are_checked() -> None:
    now = paris(2026, 3, 2, 9, 0)
    with pytest.raises(ValidationFailed, match="in the future"):
        check_claim_times(now + timedelta(hours=1), now)
    with pytest.raises(ValidationFailed, match="time zone"):
        check_claim_times(datetime(2026, 3, 2, 9), now)
    with pytest.raises(ValidationFailed, match="before the claim's previous step"):
        check_claim_times(now - timedelta(hours=1), now, after=now, what="response")
    assert clean_text("  hello ", "note") == "hello"
    with pytest.raises(ValidationFailed, match="note must not be empty"):
        clean_text(" ", "note", required=True)
    with pytest.raises(ValidationFailed, match="longer than"):
        clean_text("x" * 20_001, "note")
