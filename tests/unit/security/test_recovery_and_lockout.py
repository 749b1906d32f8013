from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.security.lockout import FIRST_LOCKOUT, LONGEST_LOCKOUT, lockout_duration
from crmsup.security.recovery import (
    MalformedRecoverySheet,
    new_recovery_key,
    read_recovery_sheet,
    recovery_sheet,
)
from crmsup.security.wrapping import raw_public


def test_recovery_sheet_reads_back() -> None:
    key = new_recovery_key()
    sheet = recovery_sheet(key, "Acme")
    assert "Acme" in sheet
    assert raw_public(read_recovery_sheet(sheet).public_key()) == raw_public(key.public_key())


def test_retyped_sheet_in_lower_case_with_other_spacing_reads_back() -> None:
    key = new_recovery_key()
    sheet = recovery_sheet(key, "Acme").lower().replace(" ", "  ")
    assert raw_public(read_recovery_sheet(sheet).public_key()) == raw_public(key.public_key())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a sheet",
        "-----BEGIN CRMSUP RECOVERY KEY-----\nAAAA\n-----END CRMSUP RECOVERY KEY-----",
    ],
)
def test_damaged_sheets_are_refused(text: str) -> None:
    with pytest.raises(MalformedRecoverySheet):
        read_recovery_sheet(text)


def test_lockouts_start_at_fifteen_minutes_and_double() -> None:
    assert lockout_duration(1) == timedelta(minutes=15)
    assert lockout_duration(2) == timedelta(minutes=30)
    assert lockout_duration(3) == timedelta(hours=1)


@given(st.integers(min_value=1, max_value=10_000))
def test_lockouts_never_shrink_and_are_capped(n: int) -> None:
    assert FIRST_LOCKOUT <= lockout_duration(n) <= lockout_duration(n + 1) <= LONGEST_LOCKOUT
