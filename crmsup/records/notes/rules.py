"""Pure rules of notes and client claims: texts, dates, the claim's life cycle and its
30-minute first-response deadline. No database.

A claim is open when logged, responded once a first response is recorded (due 30 minutes
after the claim was received: the call centre's service level, in real time, not business
time, since claims arrive while the lines are open), closed with an outcome after that.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from crmsup.records.errors import ValidationFailed
from crmsup.records.notes.models import ClaimState

FIRST_RESPONSE_WITHIN = timedelta(minutes=30)
MAX_TEXT = 20_000


class ClaimStep(StrEnum):
    RESPOND = "respond"
    CLOSE = "close"


_STEPS: dict[ClaimStep, tuple[tuple[ClaimState, ...], ClaimState]] = {
    ClaimStep.RESPOND: ((ClaimState.OPEN,), ClaimState.RESPONDED),
    ClaimStep.CLOSE: ((ClaimState.RESPONDED,), ClaimState.CLOSED),
}


def next_claim_state(state: ClaimState, step: ClaimStep) -> ClaimState:
    """The state `step` leads to from `state`; ValidationFailed when it is not allowed."""
    allowed, after = _STEPS[step]
    if state not in allowed:
        need = " or ".join(s.value for s in allowed)
        verb = "responded to" if step is ClaimStep.RESPOND else "closed"
        raise ValidationFailed(f"a claim is {verb} only when {need}; this one is {state.value}")
    return after


def first_response_due(received_at: datetime) -> datetime:
    return received_at + FIRST_RESPONSE_WITHIN


def responded_late(received_at: datetime, responded_at: datetime | None, now: datetime) -> bool:
    """Whether the first response came (or, still missing, is) after its deadline."""
    return (responded_at or now) > first_response_due(received_at)


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """The text to store (None for blank), at most `MAX_TEXT` characters."""
    text = None if value is None or not value.strip() else value.strip()
    if text is None and required:
        raise ValidationFailed(f"the {what} must not be empty")
    if text is not None and len(text) > MAX_TEXT:
        raise ValidationFailed(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def check_noted_on(noted_on: date, today: date) -> None:
    if noted_on > today:
        raise ValidationFailed(f"a note cannot be dated {noted_on:%Y-%m-%d}, after today")


def check_claim_times(
    received_at: datetime, now: datetime, *, after: datetime | None = None, what: str = "claim"
) -> None:
    """`received_at` (or a response or closing time) is aware, not in the future, and not
    before `after` (the claim's receipt, or its response)."""
    if received_at.tzinfo is None:
        raise ValidationFailed(f"the {what}'s time needs its time zone")
    if received_at > now + timedelta(minutes=1):
        raise ValidationFailed(f"the {what}'s time {received_at:%Y-%m-%d %H:%M} is in the future")
    if after is not None and received_at < after:
        raise ValidationFailed(
            f"the {what}'s time {received_at:%Y-%m-%d %H:%M} is before the claim's previous step"
        )
