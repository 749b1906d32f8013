"""The life of a time-off request, as pure rules: requested → approved or denied (by a
keeper of the associate's file), or cancelled — while requested, or once approved until its
first day (after that, HR adjusts the balance). A decision is due within
`DECIDE_WITHIN_DAYS` of filing, and before the first day off at the latest.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from crmsup.records.attendance.models import PtoRequestState
from crmsup.records.attendance.pto.rules import check_hours
from crmsup.records.errors import ValidationFailed

DECIDE_WITHIN_DAYS = 2
#: The longest request: a quarter of a year.
MAX_DAYS = 92
_S = PtoRequestState


class RequestStep(StrEnum):
    APPROVE = "approve"
    DENY = "deny"
    CANCEL = "cancel"


_FROM: dict[RequestStep, frozenset[PtoRequestState]] = {
    RequestStep.APPROVE: frozenset({_S.REQUESTED}),
    RequestStep.DENY: frozenset({_S.REQUESTED}),
    RequestStep.CANCEL: frozenset({_S.REQUESTED, _S.APPROVED}),
}
_TO = {
    RequestStep.APPROVE: _S.APPROVED,
    RequestStep.DENY: _S.DENIED,
    RequestStep.CANCEL: _S.CANCELLED,
}
_PAST = {
    RequestStep.APPROVE: "approved",
    RequestStep.DENY: "denied",
    RequestStep.CANCEL: "cancelled",
}


def next_state(state: PtoRequestState, step: RequestStep) -> PtoRequestState:
    if state not in _FROM[step]:
        raise ValidationFailed(f"a {state.value} request cannot be {_PAST[step]}")
    return _TO[step]


def check_request(start_on: date, end_on: date, hours: Decimal, today: date) -> Decimal:
    """Dates in order, from today on, at most `MAX_DAYS` days; hours above 0 and at most
    24 per day requested."""
    if end_on < start_on:
        raise ValidationFailed("a request's last day cannot come before its first")
    if start_on < today:
        raise ValidationFailed("time off is requested before its first day; HR adjusts the past")
    days = (end_on - start_on).days + 1
    if days > MAX_DAYS:
        raise ValidationFailed(f"a request covers at most {MAX_DAYS} days")
    return check_hours(hours, "the hours requested", maximum=Decimal(24 * days))


def check_cancel(state: PtoRequestState, start_on: date, today: date) -> None:
    if state is _S.APPROVED and today >= start_on:
        raise ValidationFailed(
            "an approved request cannot be cancelled once its first day has come; "
            "HR adjusts the balance instead"
        )


def decision_due(filed_on: date, start_on: date) -> date:
    return min(start_on, filed_on + timedelta(days=DECIDE_WITHIN_DAYS))
