"""The pure rules of access requests: the life cycle, what a request may ask for, due dates
and ageing. No database, no keys: `service` applies them, the tests call them directly.

Life cycle::

    requested ──approve──► approved ──provision (every line)──► provisioned ──close──► closed
        │  └─────deny────► denied ─────────────────────────────────────────close──┘
        └──cancel──► cancelled

A revocation opened by a termination starts approved: the termination itself was the
decision (`revocation`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from crmsup.records import validation
from crmsup.records.access.dto import LineSpec
from crmsup.records.access.models import AccessKind, AccessState, LineAction
from crmsup.records.dates import add_working_days
from crmsup.records.errors import ValidationFailed

#: Working days as `dates` counts them.
#: A filed request waits this many working days for a site manager or HR.
APPROVE_WITHIN_WORKING_DAYS = 2
#: An approved request waits this many working days for IT (a revocation: its effective day).
PROVISION_WITHIN_WORKING_DAYS = 1
MAX_LINES = 50
MAX_JUSTIFICATION = 4_000
MAX_NOTE = 4_000
#: A system or role name: letters, digits, blanks and the usual punctuation of product names.
_NAME = re.compile(r"[\w][\w .,&()/+#@-]{0,99}")


class AccessStep(StrEnum):
    EDIT = "update"
    CANCEL = "cancel"
    APPROVE = "approve"
    DENY = "deny"
    PROVISION = "provision"
    CLOSE = "close"


_S = AccessState
_NEXT = MappingProxyType(
    {
        (_S.REQUESTED, AccessStep.EDIT): _S.REQUESTED,
        (_S.REQUESTED, AccessStep.CANCEL): _S.CANCELLED,
        (_S.REQUESTED, AccessStep.APPROVE): _S.APPROVED,
        (_S.REQUESTED, AccessStep.DENY): _S.DENIED,
        # Provisioning line by line: the request stays approved until its last line is done.
        (_S.APPROVED, AccessStep.PROVISION): _S.PROVISIONED,
        (_S.PROVISIONED, AccessStep.CLOSE): _S.CLOSED,
        (_S.DENIED, AccessStep.CLOSE): _S.CLOSED,
    }
)
_WHY = MappingProxyType(
    {
        _S.REQUESTED: "it waits for a site manager or HR to approve or deny it",
        _S.APPROVED: "it is approved and waits for IT to provision it",
        _S.DENIED: "it was denied; IT may only close it",
        _S.PROVISIONED: "it is provisioned; IT may only close it",
        _S.CLOSED: "it is closed",
        _S.CANCELLED: "it was cancelled",
    }
)


def next_state(state: AccessState, step: AccessStep) -> AccessState:
    """The state `step` leads to from `state`; ValidationFailed when it may not be taken."""
    after = _NEXT.get((state, step))
    if after is None:
        raise ValidationFailed(f"a {state.value} request cannot be {_done(step)}: {_WHY[state]}")
    return after


def _done(step: AccessStep) -> str:
    return {
        AccessStep.EDIT: "changed",
        AccessStep.CANCEL: "cancelled",
        AccessStep.APPROVE: "approved",
        AccessStep.DENY: "denied",
        AccessStep.PROVISION: "provisioned",
        AccessStep.CLOSE: "closed",
    }[step]


def clean_name(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not _NAME.fullmatch(text):
        raise ValidationFailed(
            f"{what} {value!r} is not a name of up to 100 letters, digits, blanks or "
            "punctuation (.,&()/+#@-)"
        )
    return text


def parse_line(spec: str, action: LineAction = LineAction.GRANT) -> LineSpec:
    """ "SYSTEM:ROLE" as the command line gives it."""
    system, colon, role = spec.partition(":")
    if not colon:
        raise ValidationFailed(f"name a system and a role as SYSTEM:ROLE, not {spec!r}")
    return LineSpec(system, role, action)


def clean_lines(
    kind: AccessKind, lines: Sequence[LineSpec], *, automatic: bool = False
) -> tuple[LineSpec, ...]:
    """The lines of a request, cleaned: a new associate's request grants, a revocation
    revokes, a change does either; each asks for at least one line except equipment and other
    requests (and a termination's revocation, which may find nothing provisioned); no system
    and role twice."""
    cleaned = tuple(
        LineSpec(clean_name(s.system, "system"), clean_name(s.role, "role"), LineAction(s.action))
        for s in lines
    )
    if len(cleaned) > MAX_LINES:
        raise ValidationFailed(f"a request holds at most {MAX_LINES} systems")
    seen: set[tuple[str, str]] = set()
    for line in cleaned:
        key = (line.system.casefold(), line.role.casefold())
        if key in seen:
            raise ValidationFailed(f"{line.system}:{line.role} is asked for twice")
        seen.add(key)
    needs = {AccessKind.NEW: LineAction.GRANT, AccessKind.REVOKE: LineAction.REVOKE}.get(kind)
    if needs is not None and any(line.action is not needs for line in cleaned):
        raise ValidationFailed(f"every system of a {kind.value} request is to {needs.value}")
    optional = kind in (AccessKind.EQUIPMENT, AccessKind.OTHER) or (
        automatic and kind is AccessKind.REVOKE
    )
    if not cleaned and not optional:
        raise ValidationFailed(f"a {kind.value} request names at least one SYSTEM:ROLE")
    return cleaned


def clean_justification(value: str | None) -> str:
    """Why the access is needed: every request filed by a person says so."""
    text = validation.optional_text(value, "justification", max_length=MAX_JUSTIFICATION)
    if text is None:
        raise ValidationFailed("say why the access is needed (the justification is empty)")
    return text


def clean_note(value: str | None, what: str) -> str | None:
    return validation.optional_text(value, what, max_length=MAX_NOTE)


def approval_due(filed_on: date) -> date:
    return add_working_days(filed_on, APPROVE_WITHIN_WORKING_DAYS)


def provision_due(kind: AccessKind, approved_on: date, effective_on: date | None) -> date:
    """A revocation is due on the day it takes effect (the termination date: overdue at
    once when that has passed); anything else a working day after its approval."""
    if kind is AccessKind.REVOKE and effective_on is not None:
        return effective_on
    return add_working_days(approved_on, PROVISION_WITHIN_WORKING_DAYS)


def age_in_days(since: date | None, today: date) -> int | None:
    """Whole days from `since` to `today` (0 the same day), None when it has not happened."""
    return None if since is None else max((today - since).days, 0)
