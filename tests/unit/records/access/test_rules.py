"""The pure rules of access requests: life cycle, lines, working days, due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.records.access.dto import LineSpec
from crmsup.records.access.models import AccessKind, AccessState, LineAction
from crmsup.records.access.rules import (
    AccessStep,
    age_in_days,
    approval_due,
    clean_lines,
    next_state,
    parse_line,
    provision_due,
)
from crmsup.records.dates import add_working_days
from crmsup.records.errors import ValidationFailed

S = AccessState


def test_the_life_cycle() -> None:
    assert next_state(S.REQUESTED, AccessStep.APPROVE) is S.APPROVED
    assert next_state(S.REQUESTED, AccessStep.DENY) is S.DENIED
    assert next_state(S.APPROVED, AccessStep.PROVISION) is S.PROVISIONED
    assert next_state(S.PROVISIONED, AccessStep.CLOSE) is S.CLOSED
    assert next_state(S.DENIED, AccessStep.CLOSE) is S.CLOSED
    with pytest.raises(ValidationFailed, match="approved request cannot be closed"):
        next_state(S.APPROVED, AccessStep.CLOSE)
    with pytest.raises(ValidationFailed, match="closed request cannot be changed"):
        next_state(S.CLOSED, AccessStep.EDIT)


def test_lines_are_parsed_and_checked() -> None:
    assert parse_line("Genesys:agent") == LineSpec("Genesys", "agent", LineAction.GRANT)
    with pytest.raises(ValidationFailed, match="SYSTEM:ROLE"):
        parse_line("Genesys")
    spaced = clean_lines(AccessKind.NEW, (LineSpec("  Genesys ", "team  lead"),))
    assert spaced == (LineSpec("Genesys", "team lead"),)
    assert clean_lines(AccessKind.REVOKE, (), automatic=True) == ()
    with pytest.raises(ValidationFailed, match="at least one"):
        clean_lines(AccessKind.REVOKE, ())
    with pytest.raises(ValidationFailed, match="is to grant"):
        clean_lines(AccessKind.NEW, (LineSpec("A", "b", LineAction.REVOKE),))


def test_due_dates_skip_the_weekend() -> None:
    friday, saturday = date(2026, 11, 20), date(2026, 11, 21)
    assert approval_due(friday) == date(2026, 11, 24)
    assert approval_due(saturday) == date(2026, 11, 24)
    assert provision_due(AccessKind.NEW, friday, None) == date(2026, 11, 23)
    assert provision_due(AccessKind.REVOKE, friday, date(2026, 12, 4)) == date(2026, 12, 4)
    assert age_in_days(friday, date(2026, 11, 23)) == 3
    assert age_in_days(None, friday) is None


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 30))
def test_working_days_land_on_a_weekday_after_counting_that_many(start: date, count: int) -> None:
    due = add_working_days(start, count)
    days = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(d.weekday() < 5 for d in days) == count
    assert count == 0 or due.weekday() < 5
