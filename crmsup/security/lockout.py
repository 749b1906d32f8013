"""Lock-out policy after failed logins: 5 failures lock for 15 minutes, doubling on repeat."""

from __future__ import annotations

from datetime import timedelta

MAX_FAILED_LOGINS = 5
FIRST_LOCKOUT = timedelta(minutes=15)
LONGEST_LOCKOUT = timedelta(days=1)


def lockout_duration(lockouts: int, first: timedelta = FIRST_LOCKOUT) -> timedelta:
    """Length of the `lockouts`-th lock-out in a row (1 is the first), capped at a day."""
    if lockouts < 1:
        raise ValueError("lockouts counts from 1")
    return min(first * (1 << min(lockouts - 1, 16)), LONGEST_LOCKOUT)
