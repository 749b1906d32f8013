"""Counting password attempts, so that five wrong ones lock an account whatever the burst.

Every check of a password — login, unlock, re-authentication, a password change's current
password, an enrolment's first password — goes through `checked`: its place in the count is
taken (one atomic UPDATE) before the password is derived, and the account is checked again
after a right one (`admitted`). The Argon2id derivation runs outside any transaction; the
counters move in short transactions of their own, so attempts from several workstations add
up rather than overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import AuthenticationFailed, LockedOut
from crmsup.records.models import User
from crmsup.security.errors import WrongPassword
from crmsup.security.lockout import MAX_FAILED_LOGINS, lockout_duration

WRONG = "wrong user name or password"
T = TypeVar("T")


def refused(db: Database, user: User | None, outcome: str, reason: str) -> None:
    """Record a refused login (unsigned: nobody's keys are open)."""
    with db.transaction() as session:
        audit.append(
            session,
            "login",
            actor_id=None if user is None else user.id,
            actor_name=None if user is None else user.username,
            entity_type="user",
            entity_id=None if user is None else user.id,
            outcome=outcome,
            details={"reason": reason},
        )


def _reserve_attempt(
    db: Database, user: User, now: datetime, action: str, actor: Actor | None
) -> None:
    """Take one of the account's attempts before the password is derived, or refuse.

    The count goes up first, by one conditional UPDATE that the database applies atomically
    (SQLite's write lock, PostgreSQL's row lock): however many attempts start together, at most
    MAX_FAILED_LOGINS pass here until a success resets the count or a lock-out ends. The first
    attempt beyond them locks the account at once, so that a right password derived in the
    same burst is refused when it is checked again (`admitted`)."""
    with db.transaction() as session:
        taken = (
            session.connection()
            .execute(
                update(User)
                .where(
                    User.id == user.id,
                    User.failed_logins < MAX_FAILED_LOGINS,
                    or_(User.locked_until.is_(None), User.locked_until <= now),
                )
                .values(failed_logins=User.failed_logins + 1)
            )
            .rowcount
        )
        if taken:
            return
        fresh = session.get_one(User, user.id, populate_existing=True, with_for_update=True)
        if fresh.locked_until is not None and fresh.locked_until > now:
            until, reason = fresh.locked_until, "account locked"
        else:
            # Every attempt is taken and none has come back right: this one is one too many.
            until, reason = _lock(fresh, now), "too many attempts"
        _failure_entry(session, user, action, "locked", reason, actor)
    raise LockedOut(until)


def _lock(user: User, now: datetime) -> datetime:
    user.lockouts += 1
    user.failed_logins = 0
    user.locked_until = now + lockout_duration(user.lockouts)
    return user.locked_until


def _failure_entry(
    session: Session, user: User, action: str, outcome: str, reason: str, actor: Actor | None
) -> None:
    """Unsigned when it records a login (no key is open); a re-authentication or a password
    change happens in an open session, whose key signs it."""
    audit.append(
        session,
        action,
        actor=actor,
        actor_id=user.id,
        actor_name=user.username,
        entity_type="user",
        entity_id=user.id,
        outcome=outcome,
        details={"purpose" if action == "reauth" else "reason": reason},
    )


def _record_failure(
    db: Database, user: User, now: datetime, action: str, reason: str, actor: Actor | None
) -> datetime | None:
    """A reserved attempt came back wrong (it is counted already); return the lock-out end
    when the account has now used every attempt. The lock and its audit entry commit together."""
    with db.transaction() as session:
        fresh = session.get_one(User, user.id, populate_existing=True, with_for_update=True)
        locked_now = fresh.locked_until is not None and fresh.locked_until > now
        locks = not locked_now and fresh.failed_logins >= MAX_FAILED_LOGINS
        until = _lock(fresh, now) if locks else None
        _failure_entry(session, user, action, "locked" if locks else "failed", reason, actor)
        return until


def _admit(session: Session, user: User, now: datetime) -> User:
    """Check again, after a right password, that no burst locked the account meanwhile; then
    reset its counters. Returns the fresh row, locked for the rest of the transaction."""
    fresh = session.get_one(User, user.id, populate_existing=True, with_for_update=True)
    if fresh.locked_until is not None and fresh.locked_until > now:
        raise LockedOut(fresh.locked_until)
    fresh.failed_logins = 0
    fresh.lockouts = 0
    fresh.locked_until = None
    return fresh


def checked(
    db: Database,
    user: User,
    check: Callable[[], T],
    now: datetime,
    reason: str,
    wrong: str = WRONG,
    action: str = "login",
    actor: Actor | None = None,
) -> T:
    """What `check` returns (it derives and checks a password, raising WrongPassword), unless
    the account is disabled or locked out or the password is wrong; every refusal is
    recorded, and every attempt counts towards the lock-out before its password is derived.
    The caller admits the user (`admitted`) in the transaction that records the success."""
    if user.disabled:
        refused(db, user, "failed", "account disabled")
        raise AuthenticationFailed("this account is disabled; ask IT to re-enable it")
    _reserve_attempt(db, user, now, action, actor)
    try:
        return check()
    except WrongPassword:
        until = _record_failure(db, user, now, action, reason, actor)
        if until is not None:
            raise LockedOut(until) from None
        raise AuthenticationFailed(wrong) from None


def admit(
    db: Database, user: User, now: datetime, action: str = "login", actor: Actor | None = None
) -> None:
    """`admitted` for a check that records nothing more of its own (a re-authentication)."""
    with admitted(db, user, now, action, actor):
        pass


@contextmanager
def admitted(
    db: Database, user: User, now: datetime, action: str = "login", actor: Actor | None = None
) -> Iterator[tuple[Session, User]]:
    """A transaction in which a right password is admitted (`_admit`) and its success
    recorded; if a burst locked the account meanwhile, the refusal is recorded instead."""
    try:
        with db.transaction() as session:
            yield session, _admit(session, user, now)
    except LockedOut:
        with db.transaction() as session:
            _failure_entry(session, user, action, "locked", "locked while checking", actor)
        raise
