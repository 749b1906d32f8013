"""Lock-out under a burst: guesses started together are checked no more than five times.

Each guess runs in its own thread, as it would on its own workstation, and they all start at
one barrier. How many passwords were actually checked is counted where they are checked
(`UserKeys.open_with_password`), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from sqlalchemy import select

from crmsup.records.audit_trail import service as audit_service
from crmsup.records.errors import AuthenticationFailed, LockedOut
from crmsup.records.models import AuditEntry, User
from crmsup.records.people.auth import change_password, login, reauthenticate
from crmsup.security.lockout import MAX_FAILED_LOGINS
from crmsup.security.user_keys import UserKeys
from tests.factories import SUPERVISOR_PASSWORD, Org

GUESSES = 40


class _Checks:
    """Counts every password derivation-and-check, whichever thread makes it."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.count += 1


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> _Checks:
    counter = _Checks()
    real = UserKeys.open_with_password.__func__  # type: ignore[attr-defined]

    def counted(cls: type[UserKeys], /, *args: object, **kwargs: object) -> UserKeys:
        counter.add()
        opened: UserKeys = real(cls, *args, **kwargs)
        return opened

    monkeypatch.setattr(UserKeys, "open_with_password", classmethod(counted))
    return counter


def _burst(attempts: Sequence[Callable[[], object]]) -> list[BaseException | None]:
    """Run every attempt at once (one thread each, released together); what each raised."""
    start = threading.Barrier(len(attempts))

    def run(attempt: Callable[[], object]) -> BaseException | None:
        start.wait()
        try:
            attempt()
        except (AuthenticationFailed, LockedOut) as refused:
            return refused
        return None

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def _kinds(outcomes: list[BaseException | None]) -> Counter[str]:
    return Counter("ok" if o is None else type(o).__name__ for o in outcomes)


def _user(org: Org, name: str) -> User:
    with org.db.transaction() as session:
        return session.scalars(select(User).where(User.username == name)).one()


def test_forty_wrong_guesses_at_once_are_checked_five_times_and_the_right_one_is_refused(
    org: Org, checks: _Checks
) -> None:
    def guess(n: int) -> Callable[[], object]:
        return lambda: login(org.db, "sup-a", f"wrong guess number {n}")

    right = GUESSES // 2
    attempts = [guess(n) for n in range(GUESSES)]
    attempts.insert(right, lambda: login(org.db, "sup-a", SUPERVISOR_PASSWORD))
    outcomes = _burst(attempts)

    assert checks.count <= MAX_FAILED_LOGINS
    assert outcomes[right] is not None, "the right password got in during the burst"
    kinds = _kinds(outcomes)
    assert kinds["ok"] == 0
    assert kinds["LockedOut"] >= GUESSES + 1 - MAX_FAILED_LOGINS
    user = _user(org, "sup-a")
    assert user.locked_until is not None
    assert user.lockouts == 1
    # Every attempt is in the trail, and the trail still verifies.
    with org.db.transaction() as session:
        logins = session.scalars(
            select(AuditEntry.outcome).where(
                AuditEntry.action == "login", AuditEntry.entity_id == str(user.id)
            )
        ).all()
    assert Counter(logins)["failed"] + Counter(logins)["locked"] >= GUESSES + 1
    assert audit_service.verify(org.db).ok
    # Even alone, after the burst, the right password waits for the lock-out to end.
    with pytest.raises(LockedOut):
        login(org.db, "sup-a", SUPERVISOR_PASSWORD)


def test_failed_re_authentications_count_and_lock(org: Org, checks: _Checks) -> None:
    """An open session is no way round the lock-out: re-authentication and the password
    change's current password are guesses too, burst or not."""
    half = GUESSES // 2
    reauths = [
        partial(reauthenticate, org.db, org.sup_a, f"wrong {n}", "hand on keys")
        for n in range(half)
    ]
    changes = [
        partial(change_password, org.db, org.sup_a, f"wrong {n}", "a fresh passphrase")
        for n in range(half)
    ]
    outcomes = _burst([*reauths, *changes])
    assert checks.count <= MAX_FAILED_LOGINS
    assert audit_service.verify(org.db).ok
    assert _kinds(outcomes)["LockedOut"] >= GUESSES - MAX_FAILED_LOGINS
    with pytest.raises(LockedOut):
        reauthenticate(org.db, org.sup_a, SUPERVISOR_PASSWORD, "hand on keys")
    with pytest.raises(LockedOut):
        login(org.db, "sup-a", SUPERVISOR_PASSWORD)


def test_five_attempts_in_a_row_still_allow_the_right_fifth(org: Org, checks: _Checks) -> None:
    """The burst rule takes nothing from a person who mistypes: four wrong, then right."""
    for n in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationFailed) as wrong:
            login(org.db, "sup-b", f"mistyped {n}")
        assert not isinstance(wrong.value, LockedOut)
    login(org.db, "sup-b", SUPERVISOR_PASSWORD)
    assert checks.count == MAX_FAILED_LOGINS
    user = _user(org, "sup-b")
    assert (user.failed_logins, user.lockouts, user.locked_until) == (0, 0, None)


def test_a_right_password_checked_while_a_burst_locks_is_refused_and_recorded(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second check, after the derivation: the account locked meanwhile wins."""
    real_open = UserKeys.open_with_password.__func__  # type: ignore[attr-defined]

    def locked_meanwhile(cls: type[UserKeys], /, *args: object, **kwargs: object) -> UserKeys:
        keys: UserKeys = real_open(cls, *args, **kwargs)
        monkeypatch.setattr(UserKeys, "open_with_password", classmethod(real_open))
        for n in range(MAX_FAILED_LOGINS):  # others' guesses, landing during this one
            with pytest.raises(AuthenticationFailed):
                login(org.db, "sup-a", f"someone else's guess {n}")
        return keys

    monkeypatch.setattr(UserKeys, "open_with_password", classmethod(locked_meanwhile))
    with pytest.raises(LockedOut):
        login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    with org.db.transaction() as session:
        last = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "login")
            .order_by(AuditEntry.sequence.desc())
        ).first()
    assert last is not None
    assert last.outcome == "locked"
