"""The rules of call-monitoring scorecards, as pure functions: no database, no keys.

An evaluation answers each item of a scorecard "pass", "fail" or "na" (not applicable to
this call). Its score is the weighted percentage of the applicable items passed, to two
decimals rounded half up; a failed auto-fail item makes it 0 whatever else was passed. When
no weighted item applies, there is nothing to score: None.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from crmsup.records import validation
from crmsup.records.errors import ValidationFailed

K = TypeVar("K", bound=Hashable)

MAX_ITEMS = 100
MAX_WEIGHT = 1000
MAX_ITEM_TEXT = 500


class Answer(StrEnum):
    PASS = "pass"  # noqa: S105 - an answer, not a password
    FAIL = "fail"
    NA = "na"


@dataclass(frozen=True, slots=True)
class ItemRule:
    """What the score needs to know of an item."""

    weight: int
    auto_fail: bool = False


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One item as HR writes it into a scorecard."""

    text: str
    weight: int
    auto_fail: bool = False


def evaluation_score(answers: Mapping[K, Answer], items: Mapping[K, ItemRule]) -> Decimal | None:
    """The weighted percentage of `answers` on `items` (every item must be answered).

    Exact: worked in whole numbers, so 66.665 is 66.67 and never 66.66 by a binary accident.
    """
    missing = [key for key in items if key not in answers]
    if missing:
        raise ValidationFailed(f"answer every item of the scorecard ({len(missing)} unanswered)")
    if any(answers[k] is Answer.FAIL and rule.auto_fail for k, rule in items.items()):
        return Decimal("0.00")
    applicable = [
        (answers[k], rule.weight) for k, rule in items.items() if answers[k] is not Answer.NA
    ]
    denominator = sum(weight for _, weight in applicable)
    if denominator == 0:
        return None
    numerator = sum(weight for answer, weight in applicable if answer is Answer.PASS)
    # round(100 × 100 × n / d) half up, for d > 0: floor((20000 n + d) / 2d) hundredths.
    hundredths = (20_000 * numerator + denominator) // (2 * denominator)
    return Decimal(hundredths).scaleb(-2)


def clean_answers(given: Mapping[K, str], keys: Sequence[K]) -> dict[K, Answer]:
    """Every item of `keys` answered, and nothing else; answers as `Answer`."""
    unknown = [k for k in given if k not in keys]
    if unknown:
        raise ValidationFailed(f"{len(unknown)} answer(s) name no item of this scorecard")
    out: dict[K, Answer] = {}
    for key in keys:
        if key not in given:
            raise ValidationFailed("answer every item of the scorecard (pass, fail or na)")
        try:
            out[key] = Answer(str(given[key]).strip().lower())
        except ValueError:
            raise ValidationFailed("an item is answered pass, fail or na") from None
    return out


def clean_items(items: Sequence[ItemSpec]) -> tuple[ItemSpec, ...]:
    """One to `MAX_ITEMS` items with distinct texts; weights are whole numbers 0 to
    `MAX_WEIGHT` (0: an auto-fail check that does not count in the percentage), and at least
    one item carries weight."""
    if not items:
        raise ValidationFailed("a scorecard has at least one item")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(f"a scorecard has at most {MAX_ITEMS} items")
    cleaned = []
    for item in items:
        text = validation.name(item.text, "item text", max_length=MAX_ITEM_TEXT)
        weight = item.weight
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise ValidationFailed(f"{text}: a weight is a whole number")
        if not 0 <= weight <= MAX_WEIGHT:
            raise ValidationFailed(f"{text}: a weight is from 0 to {MAX_WEIGHT}, not {weight}")
        cleaned.append(ItemSpec(text, weight, bool(item.auto_fail)))
    texts = [c.text.casefold() for c in cleaned]
    if len(set(texts)) != len(texts):
        raise ValidationFailed("two items of a scorecard have the same text")
    if not any(c.weight for c in cleaned):
        raise ValidationFailed("at least one item of a scorecard carries weight")
    return tuple(cleaned)
