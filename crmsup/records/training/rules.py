"""The pure rules of training: what makes a course, a score, a valid date; when a certificate
lapses; how urgent an assignment or a certificate is on a given day; where an associate
stands on a required course.

No database here: the services and the due lists call these with plain values, and the tests
hold them to their promises directly (tests/unit/records/test_training_rules.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from crmsup.records import validation
from crmsup.records.dates import add_months
from crmsup.records.errors import ValidationFailed
from crmsup.records.training.dto import CourseSpec

#: An assignment, or a certificate's recertification, is "due" this many days ahead.
DUE_SOON_DAYS = 14
#: A certificate is "expiring" this many days before it lapses.
EXPIRING_DAYS = 30
MAX_SCORE = Decimal(100)
MAX_MINUTES = 1000 * 60
MAX_VALIDITY_MONTHS = 120
MAX_TEXT = 20_000
_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")


class DueKind(StrEnum):
    """An inbox item's kind, most urgent first."""

    OVERDUE = "training.overdue"
    DUE = "training.due"
    EXPIRING = "training.expiring"


#: Lower is more urgent: one item per associate and course keeps the most urgent.
URGENCY = {DueKind.OVERDUE: 0, DueKind.DUE: 1, DueKind.EXPIRING: 2}


class CourseStatus(StrEnum):
    """Where an associate stands on a course required for their job title."""

    #: Passed, and the pass counts today (for at least `EXPIRING_DAYS` more days).
    DONE = "done"
    #: Passed, but the certificate lapses within `EXPIRING_DAYS`.
    EXPIRING = "expiring"
    #: Assigned, due today or later.
    DUE = "due"
    #: Assigned and past its due date, or the certificate has lapsed.
    OVERDUE = "overdue"
    #: Never passed, and not assigned: nothing dates it yet.
    MISSING = "missing"


# ---- the catalogue -------------------------------------------------------------------------


def course_code(value: str) -> str:
    """A course's code, upper-cased: 1 to 32 letters, digits, '.', '_' or '-'."""
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        raise ValidationFailed(
            "a course code is 1 to 32 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return code


def minutes_of(hours: Decimal) -> int:
    """A course's length in minutes, to the nearest minute (1.25 h is 75 minutes, 0.33 h is
    20); refused unless at least a minute and at most 1000 hours. `hours_of` gives it back
    as hours to two decimals, which this turns into the same minutes again."""
    try:
        minutes = (Decimal(hours) * 60).to_integral_value(ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed("a course's length is a number of hours, such as 1.5") from None
    if not 0 < minutes <= MAX_MINUTES:
        raise ValidationFailed("a course lasts at least a minute and at most 1000 hours")
    return int(minutes)


def hours_of(minutes: int) -> Decimal:
    """`minutes` as hours to two decimals (75 → 1.25; 20 → 0.33)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def validity(months: int | None) -> int | None:
    if months is None:
        return None
    if not 0 < months <= MAX_VALIDITY_MONTHS:
        raise ValidationFailed(
            f"a certificate is valid for 1 to {MAX_VALIDITY_MONTHS} months (or never expires)"
        )
    return months


def job_titles(values: tuple[str, ...]) -> tuple[str, ...]:
    """The job titles a course is required for: trimmed, without repeats, in order given."""
    cleaned = (validation.name(v, "job title", max_length=200) for v in values)
    return tuple(dict.fromkeys(cleaned))


def clean_course(spec: CourseSpec) -> CourseSpec:
    return CourseSpec(
        code=course_code(spec.code),
        title=validation.name(spec.title, "course title"),
        kind=spec.kind,
        hours=hours_of(minutes_of(spec.hours)),
        validity_months=validity(spec.validity_months),
        job_titles=job_titles(spec.job_titles),
    )


# ---- completions -----------------------------------------------------------------------------


def score(value: Decimal | int | None) -> Decimal | None:
    """A score from 0 to 100 with at most two decimals (None: the course gives none)."""
    if value is None:
        return None
    try:
        given = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed("a score is a number from 0 to 100") from None
    if not given.is_finite() or not 0 <= given <= MAX_SCORE:
        raise ValidationFailed("a score is a number from 0 to 100")
    if given != given.quantize(Decimal("0.01")):
        raise ValidationFailed("a score has at most two decimals")
    return given


def text(value: str | None, what: str) -> str | None:
    """A free text: None or blank gives None; longer than `MAX_TEXT` is refused."""
    return validation.optional_text(value, what, max_length=MAX_TEXT)


def check_completed_on(completed_on: date, today: date) -> None:
    if completed_on > today:
        raise ValidationFailed(
            f"a course cannot be completed on {completed_on:%Y-%m-%d}, after today"
        )


def check_due_on(due_on: date, today: date) -> None:
    if due_on < today:
        raise ValidationFailed(f"a due date ({due_on:%Y-%m-%d}) cannot lie in the past")


def expires_on(completed_on: date, passed: bool, validity_months: int | None) -> date | None:
    """The first day a pass no longer counts: completion + validity. None for a fail (no
    certificate at all) or a course whose pass never lapses."""
    if not passed or validity_months is None:
        return None
    return add_months(completed_on, validity_months)


def recertify_by(expiry: date) -> date:
    """The last day a certificate lapsing on `expiry` still counts: the course is due again
    by then."""
    return expiry - timedelta(days=1)


# ---- how urgent ------------------------------------------------------------------------------


def assignment_due(due_on: date, today: date) -> DueKind | None:
    """An open assignment is overdue after its due date, due within `DUE_SOON_DAYS`."""
    if today > due_on:
        return DueKind.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DueKind.DUE
    return None


def certificate_due(expiry: date, today: date) -> DueKind | None:
    """A certificate lapsing on `expiry` is overdue from that day, due for recertification
    within `DUE_SOON_DAYS` of its last valid day, expiring within `EXPIRING_DAYS`."""
    last = recertify_by(expiry)
    if today > last:
        return DueKind.OVERDUE
    if (last - today).days <= DUE_SOON_DAYS:
        return DueKind.DUE
    if (expiry - today).days <= EXPIRING_DAYS:
        return DueKind.EXPIRING
    return None


def course_status(
    today: date, *, passed: bool, expiry: date | None, open_due: date | None
) -> CourseStatus:
    """Where an associate stands on a required course, from their passes (`passed`: any;
    `expiry`: when the latest lapses, None if it never does) and the earliest due date of
    an open assignment of it."""
    if passed and (expiry is None or today < expiry):
        if expiry is not None and (expiry - today).days <= EXPIRING_DAYS:
            return CourseStatus.EXPIRING
        return CourseStatus.DONE
    if open_due is not None:
        return CourseStatus.OVERDUE if today > open_due else CourseStatus.DUE
    return CourseStatus.OVERDUE if passed else CourseStatus.MISSING
