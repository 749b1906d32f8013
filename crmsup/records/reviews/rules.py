"""The rules of performance reviews, as pure functions: no database, no clock, no keys.

The services, the CLI and the dialogs share them, and the tests hold them to their promises
directly (hypothesis for the score): the weighted overall score, when the next annual review
is due, which step a review in a given state may take, and what makes a template valid.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from crmsup.records import validation
from crmsup.records.errors import ValidationFailed
from crmsup.records.reviews.dto import CompetencySpec, Rating, TemplateSpec
from crmsup.records.reviews.models import ReviewState

K = TypeVar("K", bound=Hashable)

MIN_RATING = 1
MAX_RATING = 5
SCALE_POINTS = MAX_RATING - MIN_RATING + 1
#: A weight is a whole number; above this it is a typing error, not a judgement.
MAX_WEIGHT = 1000
MAX_COMPETENCIES = 50
#: Narrative fields (strengths, goals, …) and one rating's comment.
MAX_TEXT = 20_000
MAX_COMMENT = 4_000
#: The inbox shows an annual review from this many days before it is due.
DUE_SOON_DAYS = 30
#: A submitted review waits this long for the associate's acknowledgement, and an
#: acknowledged one this long for HR to finalise it, before the inbox calls it overdue:
#: a fortnight lets the associate read and answer, and HR batch its finalisations.
ACKNOWLEDGE_WITHIN_DAYS = 14
FINALISE_WITHIN_DAYS = 14


# ---- the overall score -------------------------------------------------------------------


def check_rating(value: object) -> int:
    """A rating is a whole number from 1 to 5."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"a rating is a whole number from {MIN_RATING} to {MAX_RATING}")
    if not MIN_RATING <= value <= MAX_RATING:
        raise ValidationFailed(f"a rating is from {MIN_RATING} to {MAX_RATING}, not {value}")
    return value


def overall_score(ratings: Mapping[K, int], weights: Mapping[K, int]) -> Decimal | None:
    """Σ rating × weight / Σ weight over the competencies of `weights`, to two decimals
    rounded half up; None while a competency is unrated.

    Exact: worked in whole numbers, so 2.675 is 2.68 and never 2.67 by a binary accident.
    Ratings of competencies that are not in `weights` are ignored.
    """
    if not weights:
        raise ValidationFailed("a review template has at least one competency")
    if any(key not in ratings for key in weights):
        return None
    numerator = sum(check_rating(ratings[key]) * weight for key, weight in weights.items())
    denominator = sum(weights.values())
    # round(100 × n / d) half up, for n, d > 0: floor((200 n + d) / 2d).
    hundredths = (200 * numerator + denominator) // (2 * denominator)
    return Decimal(hundredths).scaleb(-2)


# ---- when the next annual review is due --------------------------------------------------


def one_year_after(day: date) -> date:
    """The same day a year later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def annual_review_due(last_finalised: date | None, hire_date: date | None, added_on: date) -> date:
    """A year after the last finalised annual review; without one, a year after the hire
    date; without that either, a year after the associate was added to crmsup."""
    if last_finalised is not None:
        return one_year_after(last_finalised)
    return one_year_after(hire_date if hire_date is not None else added_on)


def days_overdue(due_on: date, today: date) -> int:
    """Whole days since `due_on` (0 on the day itself or before)."""
    return max(0, (today - due_on).days)


def due_soon(due_on: date, today: date) -> bool:
    """Whether the inbox shows it: overdue, or due within `DUE_SOON_DAYS`."""
    return due_on <= today + timedelta(days=DUE_SOON_DAYS)


# ---- the life cycle ----------------------------------------------------------------------


class ReviewStep(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    REOPEN = "reopen"
    ACKNOWLEDGE = "acknowledge"
    FINALISE = "finalise"


_S = ReviewState
#: Each step: the state it starts from, and the state it leads to.
STEPS: MappingProxyType[ReviewStep, tuple[ReviewState, ReviewState]] = MappingProxyType(
    {
        ReviewStep.EDIT: (_S.DRAFT, _S.DRAFT),
        ReviewStep.SUBMIT: (_S.DRAFT, _S.SUBMITTED),
        ReviewStep.REOPEN: (_S.SUBMITTED, _S.DRAFT),
        ReviewStep.ACKNOWLEDGE: (_S.SUBMITTED, _S.ACKNOWLEDGED),
        ReviewStep.FINALISE: (_S.ACKNOWLEDGED, _S.FINALISED),
    }
)
#: What a user can do about a review in each state, said where a step is refused.
_HINTS = MappingProxyType(
    {
        _S.DRAFT: "submit it first",
        _S.SUBMITTED: "its reviewer may reopen it to draft until the associate acknowledges it",
        _S.ACKNOWLEDGED: "HR may finalise it",
        _S.FINALISED: "it is locked",
    }
)

_DONE = MappingProxyType(
    {
        ReviewStep.EDIT: "edited",
        ReviewStep.SUBMIT: "submitted",
        ReviewStep.REOPEN: "reopened",
        ReviewStep.ACKNOWLEDGE: "acknowledged",
        ReviewStep.FINALISE: "finalised",
    }
)


def allowed_steps(state: ReviewState) -> tuple[ReviewStep, ...]:
    """The steps a review in `state` may take (for screens that offer only those)."""
    return tuple(step for step, (start, _) in STEPS.items() if start is state)


def next_state(state: ReviewState, step: ReviewStep) -> ReviewState:
    """The state after `step`; ValidationFailed, saying why and what can be done, when a
    review in `state` cannot take it."""
    start, end = STEPS[step]
    if state is start:
        return end
    if state is ReviewState.FINALISED:
        raise ValidationFailed(
            f"the review is finalised and locked: it can no longer be {_DONE[step]}, nor "
            "changed in any way"
        )
    article = "an" if start.value[0] in "aeiou" else "a"
    raise ValidationFailed(
        f"only {article} {start.value} review can be {_DONE[step]}; this one is "
        f"{state.value} ({_HINTS[state]})"
    )


# ---- what a review holds -----------------------------------------------------------------


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(
            f"the review period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})"
        )


def clean_text(value: str | None, what: str, max_length: int = MAX_TEXT) -> str | None:
    """A narrative field: surrounding blanks dropped, an empty one is no text (None)."""
    return validation.optional_text(value, what, max_length=max_length)


def clean_ratings(
    given: Mapping[K, Rating], competencies: Mapping[K, str]
) -> dict[K, tuple[int, str | None]]:
    """Ratings checked against the template's competencies ({key: name}): each competency
    must be on the template, each rating 1–5, each comment a reasonable length."""
    cleaned: dict[K, tuple[int, str | None]] = {}
    for key, rating in given.items():
        if key not in competencies:
            raise ValidationFailed(f"competency {key} is not on this review's template")
        name = competencies[key]
        try:
            value = check_rating(rating.rating)
        except ValidationFailed as exc:
            raise ValidationFailed(f"{name}: {exc}") from None
        comment = clean_text(rating.comment, f"comment on {name}", MAX_COMMENT)
        cleaned[key] = (value, comment)
    return cleaned


def check_acknowledgement(acknowledged_on: date, submitted_on: date, today: date) -> None:
    """The associate acknowledges a submitted review on a day between its submission and
    today."""
    if acknowledged_on > today:
        raise ValidationFailed(f"the acknowledgement date {acknowledged_on:%Y-%m-%d} is to come")
    if acknowledged_on < submitted_on:
        raise ValidationFailed(
            f"the acknowledgement date {acknowledged_on:%Y-%m-%d} is before the review was "
            f"submitted ({submitted_on:%Y-%m-%d})"
        )


# ---- templates ---------------------------------------------------------------------------


def clean_template(spec: TemplateSpec) -> TemplateSpec:
    """A template with a name, five scale descriptions (for 1 to 5, in order) and at least
    one competency; competency names unique (ignoring case), weights whole numbers ≥ 1."""
    name = validation.name(spec.name, "template name")
    if len(spec.scale) != SCALE_POINTS:
        raise ValidationFailed(
            f"the scale has exactly {SCALE_POINTS} descriptions, one for each rating from "
            f"{MIN_RATING} to {MAX_RATING}; {len(spec.scale)} were given"
        )
    scale = tuple(
        validation.name(text, f"description of rating {point}", max_length=500)
        for point, text in enumerate(spec.scale, start=MIN_RATING)
    )
    if not spec.competencies:
        raise ValidationFailed("a template has at least one competency")
    if len(spec.competencies) > MAX_COMPETENCIES:
        raise ValidationFailed(f"a template has at most {MAX_COMPETENCIES} competencies")
    competencies: list[CompetencySpec] = []
    seen: set[str] = set()
    for number, competency in enumerate(spec.competencies, start=1):
        label = validation.name(competency.name, f"name of competency {number}")
        if label.casefold() in seen:
            raise ValidationFailed(f"competency {label!r} appears twice")
        seen.add(label.casefold())
        weight = competency.weight
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise ValidationFailed(f"the weight of {label!r} is a whole number of at least 1")
        if weight > MAX_WEIGHT:
            raise ValidationFailed(f"the weight of {label!r} is at most {MAX_WEIGHT}")
        description = validation.optional_text(
            competency.description, f"description of {label!r}", max_length=2000
        )
        competencies.append(CompetencySpec(label, weight, description))
    return TemplateSpec(name, scale, tuple(competencies))
