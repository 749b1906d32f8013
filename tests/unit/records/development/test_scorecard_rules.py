"""The score of a call evaluation: a weighted percentage, zero on a failed auto-fail item
(hypothesis for the promises that must hold for every scorecard)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.development.scorecard_rules import (
    Answer,
    ItemRule,
    ItemSpec,
    clean_answers,
    clean_items,
    evaluation_score,
)
from crmsup.records.errors import ValidationFailed

RULES = st.dictionaries(
    st.integers(0, 30),
    st.builds(ItemRule, st.integers(0, 1000), st.booleans()),
    min_size=1,
    max_size=12,
)


@st.composite
def scored(draw: st.DrawFn) -> tuple[dict[int, ItemRule], dict[int, Answer]]:
    rules = draw(RULES)
    answers = {key: draw(st.sampled_from(Answer)) for key in rules}
    return rules, answers


def test_the_score_is_the_weighted_share_of_applicable_items_passed() -> None:
    rules = {"greet": ItemRule(2), "solve": ItemRule(3), "statement": ItemRule(1, auto_fail=True)}
    answers = {"greet": Answer.PASS, "solve": Answer.FAIL, "statement": Answer.PASS}
    assert evaluation_score(answers, rules) == Decimal("50.00")
    answers["solve"] = Answer.NA
    assert evaluation_score(answers, rules) == Decimal("100.00")
    answers["greet"] = Answer.FAIL
    assert evaluation_score(answers, rules) == Decimal("33.33")
    answers["statement"] = Answer.FAIL
    assert evaluation_score(answers, rules) == Decimal("0.00")
    # 2 of 3: 66.666… rounds half up to 66.67.
    assert evaluation_score(
        {1: Answer.PASS, 2: Answer.FAIL}, {1: ItemRule(2), 2: ItemRule(1)}
    ) == Decimal("66.67")
    assert evaluation_score({1: Answer.NA}, {1: ItemRule(5)}) is None
    with pytest.raises(ValidationFailed, match="1 unanswered"):
        evaluation_score({}, {1: ItemRule(5)})


@given(scored())
def test_a_score_is_a_percentage_and_zero_on_a_failed_auto_fail_item(
    case: tuple[dict[int, ItemRule], dict[int, Answer]],
) -> None:
    rules, answers = case
    score = evaluation_score(answers, rules)
    failed_auto = any(answers[k] is Answer.FAIL and r.auto_fail for k, r in rules.items())
    if failed_auto:
        assert score == 0
    elif score is not None:
        assert Decimal(0) <= score <= Decimal(100)
        assert score == score.quantize(Decimal("0.01"))
    else:
        assert all(answers[k] is Answer.NA or r.weight == 0 for k, r in rules.items())


@given(scored(), st.data())
def test_passing_one_more_item_never_lowers_the_score(
    case: tuple[dict[int, ItemRule], dict[int, Answer]], data: st.DataObject
) -> None:
    rules, answers = case
    failed = [k for k in rules if answers[k] is Answer.FAIL]
    if not failed:
        return
    key = data.draw(st.sampled_from(failed))
    before = evaluation_score(answers, rules)
    after = evaluation_score({**answers, key: Answer.PASS}, rules)
    if before is not None and after is not None:
        assert after >= before


@given(RULES)
def test_every_item_passed_scores_one_hundred(rules: dict[int, ItemRule]) -> None:
    score = evaluation_score(dict.fromkeys(rules, Answer.PASS), rules)
    assert score == (Decimal("100.00") if any(r.weight for r in rules.values()) else None)


def test_answers_and_items_are_checked() -> None:
    assert clean_answers({1: " PASS", 2: "na"}, [1, 2]) == {1: Answer.PASS, 2: Answer.NA}
    with pytest.raises(ValidationFailed, match="answer every item"):
        clean_answers({1: "pass"}, [1, 2])
    with pytest.raises(ValidationFailed, match="pass, fail or na"):
        clean_answers({1: "maybe"}, [1])
    with pytest.raises(ValidationFailed, match="name no item"):
        clean_answers({3: "pass"}, [1])
    assert clean_items([ItemSpec(" Greet ", 1, auto_fail=True)]) == (ItemSpec("Greet", 1, True),)
    for items, message in (
        ([], "at least one item"),
        ([ItemSpec("Greet", 0)], "carries weight"),
        ([ItemSpec("Greet", -1)], "from 0 to 1000"),
        ([ItemSpec("Greet", 1), ItemSpec("greet", 2)], "same text"),
        ([ItemSpec(" ", 1)], "must not be empty"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            clean_items(items)
