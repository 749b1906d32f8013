"""The pure rules of training: courses, scores, certificate expiry, urgency, compliance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.errors import ValidationFailed
from crmsup.records.training.dto import CourseSpec
from crmsup.records.training.models import CourseKind
from crmsup.records.training.rules import (
    DUE_SOON_DAYS,
    EXPIRING_DAYS,
    CourseStatus,
    DueKind,
    assignment_due,
    certificate_due,
    check_completed_on,
    check_due_on,
    clean_course,
    course_code,
    course_status,
    expires_on,
    hours_of,
    minutes_of,
    recertify_by,
    score,
    validity,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
MONTHS = st.integers(min_value=1, max_value=120)


def test_a_course_is_cleaned() -> None:
    spec = CourseSpec(
        " gdpr-1 ", " Data protection ", CourseKind.COMPLIANCE, Decimal("1.25"), 12, ("A", " A ")
    )
    assert clean_course(spec) == CourseSpec(
        "GDPR-1", "Data protection", CourseKind.COMPLIANCE, Decimal("1.25"), 12, ("A",)
    )


@pytest.mark.parametrize(
    ("code", "hours", "months", "message"),
    [
        ("bad code", Decimal(1), None, "course code"),
        ("OK", Decimal(0), None, "at least a minute"),
        ("OK", Decimal("0.008"), None, "at least a minute"),
        ("OK", Decimal(1001), None, "at most 1000"),
        ("OK", Decimal(1), 0, "1 to 120 months"),
        ("OK", Decimal(1), 121, "1 to 120 months"),
    ],
)
def test_a_bad_course_is_refused(
    code: str, hours: Decimal, months: int | None, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        clean_course(CourseSpec(code, "T", CourseKind.PRODUCT, hours, months))


@given(st.integers(min_value=1, max_value=60_000))
def test_minutes_survive_the_trip_through_hours(minutes: int) -> None:
    hours = hours_of(minutes)
    assert minutes_of(hours) == minutes
    assert abs(hours - Decimal(minutes) / 60) <= Decimal("0.005")


def test_codes_and_validity() -> None:
    assert course_code("a.b_c-1") == "A.B_C-1"
    assert validity(None) is None
    assert validity(36) == 36


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("100.01"), Decimal("50.125"), "x"])
def test_a_bad_score_is_refused(value: object) -> None:
    with pytest.raises(ValidationFailed, match="score"):
        score(value)  # type: ignore[arg-type]


def test_scores() -> None:
    assert score(None) is None
    assert score(0) == 0
    assert score(Decimal("99.95")) == Decimal("99.95")


def test_dates_are_checked_against_today() -> None:
    today = date(2026, 11, 23)
    check_completed_on(today, today)
    check_due_on(today, today)
    with pytest.raises(ValidationFailed, match="after today"):
        check_completed_on(today + timedelta(days=1), today)
    with pytest.raises(ValidationFailed, match="in the past"):
        check_due_on(today - timedelta(days=1), today)


def test_expiry_clamps_to_the_end_of_a_shorter_month() -> None:
    assert expires_on(date(2024, 1, 31), True, 1) == date(2024, 2, 29)
    assert expires_on(date(2024, 2, 29), True, 12) == date(2025, 2, 28)
    assert expires_on(date(2024, 2, 29), False, 12) is None
    assert expires_on(date(2024, 2, 29), True, None) is None


@given(DAYS, MONTHS)
def test_a_pass_counts_for_its_validity_and_not_a_day_more(done: date, months: int) -> None:
    expiry = expires_on(done, True, months)
    assert expiry is not None
    assert expiry > done
    # at least months × 28 days, at most months × 31 days
    assert months * 28 <= (expiry - done).days <= months * 31
    last = recertify_by(expiry)
    assert course_status(last, passed=True, expiry=expiry, open_due=None) in (
        CourseStatus.DONE,
        CourseStatus.EXPIRING,
    )
    assert course_status(expiry, passed=True, expiry=expiry, open_due=None) is (
        CourseStatus.OVERDUE
    )


@given(DAYS, st.integers(min_value=-400, max_value=400))
def test_urgency_follows_the_days_left(expiry: date, offset: int) -> None:
    today = expiry + timedelta(days=offset)
    kind = certificate_due(expiry, today)
    left = (recertify_by(expiry) - today).days
    if left < 0:
        assert kind is DueKind.OVERDUE
    elif left <= DUE_SOON_DAYS:
        assert kind is DueKind.DUE
    elif (expiry - today).days <= EXPIRING_DAYS:
        assert kind is DueKind.EXPIRING
    else:
        assert kind is None
    due = assignment_due(expiry, today)
    assert (due is DueKind.OVERDUE) == (today > expiry)
    assert (due is None) == ((expiry - today).days > DUE_SOON_DAYS)


def test_status_of_a_required_course() -> None:
    today = date(2026, 11, 23)
    later, soon = date(2027, 6, 1), date(2026, 12, 10)
    assert course_status(today, passed=True, expiry=None, open_due=None) is CourseStatus.DONE
    assert course_status(today, passed=True, expiry=later, open_due=None) is CourseStatus.DONE
    assert course_status(today, passed=True, expiry=soon, open_due=None) is CourseStatus.EXPIRING
    assert course_status(today, passed=True, expiry=today, open_due=None) is CourseStatus.OVERDUE
    assert course_status(today, passed=True, expiry=today, open_due=soon) is CourseStatus.DUE
    assert course_status(today, passed=False, expiry=None, open_due=today) is CourseStatus.DUE
    assert (
        course_status(today, passed=False, expiry=None, open_due=date(2026, 11, 22))
        is CourseStatus.OVERDUE
    )
    assert course_status(today, passed=False, expiry=None, open_due=None) is CourseStatus.MISSING
