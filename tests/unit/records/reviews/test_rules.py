"""The pure rules of reviews: the weighted score, the annual due date, the life cycle and
what makes a template."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.errors import ValidationFailed
from crmsup.records.reviews.dto import CompetencySpec, Rating, TemplateSpec
from crmsup.records.reviews.models import ReviewState
from crmsup.records.reviews.rules import (
    ReviewStep,
    allowed_steps,
    annual_review_due,
    check_acknowledgement,
    check_period,
    clean_ratings,
    clean_template,
    days_overdue,
    due_soon,
    next_state,
    one_year_after,
    overall_score,
)

RATINGS = st.integers(min_value=1, max_value=5)
WEIGHTS = st.integers(min_value=1, max_value=1000)
#: A review: (rating, weight) per competency, one to twelve competencies.
LINES = st.lists(st.tuples(RATINGS, WEIGHTS), min_size=1, max_size=12)


def _score(lines: list[tuple[int, int]]) -> Decimal | None:
    ratings = {i: r for i, (r, _) in enumerate(lines)}
    weights = {i: w for i, (_, w) in enumerate(lines)}
    return overall_score(ratings, weights)


# ---- score -------------------------------------------------------------------------------


def test_the_score_weighs_each_rating_and_rounds_half_up() -> None:
    assert overall_score({"a": 4, "b": 2}, {"a": 3, "b": 1}) == Decimal("3.50")
    assert overall_score({"a": 5, "b": 4, "c": 4}, {"a": 1, "b": 1, "c": 1}) == Decimal("4.33")
    # 2.675 exactly: half up is 2.68 (a float would give 2.67).
    ratings = {"a": 3, "b": 2, "c": 3, "d": 3}
    assert overall_score(ratings, {"a": 135, "b": 65, "c": 100, "d": 100}) == Decimal("2.84")
    assert overall_score({"a": 3, "b": 2}, {"a": 27, "b": 13}) == Decimal("2.68")  # 2.675
    assert str(overall_score({"a": 3}, {"a": 7})) == "3.00"


def test_no_score_until_every_competency_is_rated() -> None:
    assert overall_score({"a": 4}, {"a": 1, "b": 2}) is None
    # A rating of a competency not on the template does not count.
    assert overall_score({"a": 4, "z": 1}, {"a": 1}) == Decimal("4.00")


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5, "3"])
def test_a_rating_is_a_whole_number_from_one_to_five(bad: object) -> None:
    with pytest.raises(ValidationFailed, match="rating"):
        overall_score({"a": bad}, {"a": 1})  # type: ignore[dict-item]


def test_a_template_without_competencies_has_no_score() -> None:
    with pytest.raises(ValidationFailed, match="at least one competency"):
        overall_score({}, {})


@given(LINES)
def test_the_score_lies_between_the_lowest_and_highest_rating(lines: list[tuple[int, int]]) -> None:
    score = _score(lines)
    assert score is not None
    assert min(r for r, _ in lines) <= score <= max(r for r, _ in lines)
    assert score == score.quantize(Decimal("0.01"))


@given(st.lists(RATINGS, min_size=1, max_size=12), WEIGHTS)
def test_equal_weights_give_the_mean(ratings: list[int], weight: int) -> None:
    mean = (Decimal(sum(ratings)) / Decimal(len(ratings))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert _score([(r, weight) for r in ratings]) == mean


@given(LINES, st.integers(min_value=2, max_value=50))
def test_scaling_every_weight_changes_nothing(lines: list[tuple[int, int]], factor: int) -> None:
    assert _score([(r, w * factor) for r, w in lines]) == _score(lines)


@given(LINES)
def test_the_score_is_the_exact_weighted_mean_rounded_half_up(lines: list[tuple[int, int]]) -> None:
    exact = Decimal(sum(r * w for r, w in lines)) / Decimal(sum(w for _, w in lines))
    assert _score(lines) == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- due dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "after"),
    [
        (date(2023, 3, 15), date(2024, 3, 15)),
        (date(2024, 2, 29), date(2025, 2, 28)),  # leap day into a common year
        (date(2023, 2, 28), date(2024, 2, 28)),  # not moved to the 29th of a leap year
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2099, 12, 31), date(2100, 12, 31)),
    ],
)
def test_one_year_after(day: date, after: date) -> None:
    assert one_year_after(day) == after


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31)))
def test_one_year_after_is_always_365_or_366_days_later(day: date) -> None:
    later = one_year_after(day)
    assert (later - day).days in (365, 366)
    assert later.year == day.year + 1
    assert later.month == day.month


def test_the_annual_review_counts_from_the_last_finalised_then_hire_then_added() -> None:
    added = date(2020, 6, 1)
    assert annual_review_due(date(2024, 2, 29), date(2010, 1, 1), added) == date(2025, 2, 28)
    assert annual_review_due(None, date(2024, 2, 29), added) == date(2025, 2, 28)
    assert annual_review_due(None, date(2023, 5, 10), added) == date(2024, 5, 10)
    assert annual_review_due(None, None, date(2028, 2, 29)) == date(2029, 2, 28)
    assert annual_review_due(None, None, added) == date(2021, 6, 1)


def test_overdue_days_and_the_thirty_day_window() -> None:
    due = date(2025, 3, 1)
    assert days_overdue(due, date(2025, 3, 1)) == 0
    assert days_overdue(due, date(2025, 2, 1)) == 0
    assert days_overdue(due, date(2025, 3, 31)) == 30
    assert due_soon(due, date(2025, 1, 30))  # 30 days before
    assert not due_soon(due, date(2025, 1, 29))
    assert due_soon(due, date(2026, 1, 1))  # long overdue


# ---- life cycle --------------------------------------------------------------------------

S = ReviewState
LIFE = [
    (S.DRAFT, ReviewStep.EDIT, S.DRAFT),
    (S.DRAFT, ReviewStep.SUBMIT, S.SUBMITTED),
    (S.SUBMITTED, ReviewStep.REOPEN, S.DRAFT),
    (S.SUBMITTED, ReviewStep.ACKNOWLEDGE, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, ReviewStep.FINALISE, S.FINALISED),
]


@pytest.mark.parametrize(("state", "step", "after"), LIFE)
def test_allowed_steps(state: ReviewState, step: ReviewStep, after: ReviewState) -> None:
    assert next_state(state, step) is after
    assert step in allowed_steps(state)


REFUSED = [
    (state, step)
    for state in ReviewState
    for step in ReviewStep
    if (state, step) not in {(s, st_) for s, st_, _ in LIFE}
]


@pytest.mark.parametrize(("state", "step"), REFUSED)
def test_every_other_step_is_refused_with_a_reason(state: ReviewState, step: ReviewStep) -> None:
    with pytest.raises(ValidationFailed) as refused:
        next_state(state, step)
    message = str(refused.value)
    assert state.value in message
    if state is ReviewState.FINALISED:
        assert "locked" in message
    else:
        assert "only a" in message or "only an" in message
    assert step not in allowed_steps(state)


def test_a_finalised_review_allows_nothing() -> None:
    assert allowed_steps(ReviewState.FINALISED) == ()
    with pytest.raises(ValidationFailed, match="only a draft review can be edited"):
        next_state(ReviewState.SUBMITTED, ReviewStep.EDIT)
    with pytest.raises(ValidationFailed, match="only an acknowledged review can be finalised"):
        next_state(ReviewState.SUBMITTED, ReviewStep.FINALISE)


# ---- review input ------------------------------------------------------------------------


def test_the_period_is_ordered_and_the_acknowledgement_dated_sensibly() -> None:
    check_period(date(2024, 1, 1), date(2024, 1, 1))
    with pytest.raises(ValidationFailed, match=r"ends .* before it starts"):
        check_period(date(2024, 2, 1), date(2024, 1, 31))
    check_acknowledgement(date(2024, 3, 2), date(2024, 3, 1), date(2024, 3, 2))
    with pytest.raises(ValidationFailed, match="to come"):
        check_acknowledgement(date(2024, 3, 3), date(2024, 3, 1), date(2024, 3, 2))
    with pytest.raises(ValidationFailed, match="before the review was submitted"):
        check_acknowledgement(date(2024, 2, 28), date(2024, 3, 1), date(2024, 3, 2))


def test_ratings_are_checked_against_the_template() -> None:
    names = {"q": "Quality", "t": "Teamwork"}
    cleaned = clean_ratings({"q": Rating(4, "  good  "), "t": Rating(2, "")}, names)
    assert cleaned == {"q": (4, "good"), "t": (2, None)}
    with pytest.raises(ValidationFailed, match="not on this review's template"):
        clean_ratings({"x": Rating(3)}, names)
    with pytest.raises(ValidationFailed, match="Quality: a rating is from 1 to 5, not 7"):
        clean_ratings({"q": Rating(7)}, names)
    with pytest.raises(ValidationFailed, match="comment on Teamwork is longer"):
        clean_ratings({"t": Rating(3, "x" * 5000)}, names)


# ---- templates ---------------------------------------------------------------------------

SCALE = ("Poor", "Below", "Meets", "Exceeds", "Outstanding")


def test_a_valid_template_is_cleaned() -> None:
    spec = TemplateSpec(
        "  Agent annual ",
        SCALE,
        (CompetencySpec(" Quality ", 3, " Calls  "), CompetencySpec("Teamwork", 1, "  ")),
    )
    cleaned = clean_template(spec)
    assert cleaned.name == "Agent annual"
    assert cleaned.competencies == (
        CompetencySpec("Quality", 3, "Calls"),
        CompetencySpec("Teamwork", 1, None),
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (TemplateSpec(" ", SCALE, (CompetencySpec("Q", 1),)), "template name must not be empty"),
        (TemplateSpec("T", SCALE[:4], (CompetencySpec("Q", 1),)), "exactly 5 descriptions"),
        (TemplateSpec("T", (*SCALE[:4], " "), (CompetencySpec("Q", 1),)), "rating 5"),
        (TemplateSpec("T", SCALE, ()), "at least one competency"),
        (TemplateSpec("T", SCALE, (CompetencySpec("Q", 0),)), "at least 1"),
        (TemplateSpec("T", SCALE, (CompetencySpec("Q", True),)), "whole number"),
        (TemplateSpec("T", SCALE, (CompetencySpec("Q", 1001),)), "at most 1000"),
        (
            TemplateSpec("T", SCALE, (CompetencySpec("Q", 1), CompetencySpec("q ", 2))),
            "appears twice",
        ),
        (TemplateSpec("T", SCALE, (CompetencySpec("", 1),)), "name of competency 1"),
    ],
)
def test_an_invalid_template_is_refused_with_a_clear_message(
    spec: TemplateSpec, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        clean_template(spec)
