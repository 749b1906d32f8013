"""Logging in, changing one's password, and locking a session.

The Argon2id derivation runs outside any transaction (it takes a quarter of a second by
design); the attempt counters are updated in their own short transaction so that concurrent
attempts on several workstations add up rather than overwrite each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import AuthenticationFailed, LockedOut, ValidationFailed
from crmsup.records.models import User
from crmsup.records.people.accounts import kdf_params_of, reseal
from crmsup.records.people.grants import deliver_pending_keys
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security.errors import WrongPassword
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams, derive_key, needs_upgrade, new_salt
from crmsup.security.lockout import MAX_FAILED_LOGINS, lockout_duration
from crmsup.security.permissions import Action, Role
from crmsup.security.user_keys import UserKeys

_WRONG = "wrong user name or password"


def _refused(db: Database, user: User | None, outcome: str, reason: str) -> None:
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
    same burst is refused when it is checked again (`_admit`)."""
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


def _open_keys(
    db: Database,
    user: User,
    password: str,
    now: datetime,
    reason: str,
    wrong: str = _WRONG,
    action: str = "login",
    actor: Actor | None = None,
) -> UserKeys:
    """The user's keys, unless the account is disabled or locked out or the password is wrong;
    every refusal is recorded, and every attempt counts towards the lock-out before its
    password is derived. The caller admits the user (`_admit`) in the transaction that
    records the success."""
    if user.disabled:
        _refused(db, user, "failed", "account disabled")
        raise AuthenticationFailed("this account is disabled; ask IT to re-enable it")
    _reserve_attempt(db, user, now, action, actor)
    try:
        return UserKeys.open_with_password(
            user.sealed_private, password, user.kdf_salt, kdf_params_of(user), str(user.id)
        )
    except WrongPassword:
        until = _record_failure(db, user, now, action, reason, actor)
        if until is not None:
            raise LockedOut(until) from None
        raise AuthenticationFailed(wrong) from None


@contextmanager
def _admitted(
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


def login(
    db: Database,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    kdf_defaults: KdfParams = DEFAULT_PARAMS,
) -> Actor:
    """Open the user's keys with their password; raise AuthenticationFailed or LockedOut."""
    now = now or utcnow()
    with db.transaction() as session:
        user = session.scalars(
            select(User).where(User.username == username.strip().lower())
        ).one_or_none()
    if user is None:
        # Spend the same effort as a real attempt, so timing does not reveal who exists.
        derive_key(password, new_salt(), kdf_defaults)
        _refused(db, None, "failed", "unknown account")
        raise AuthenticationFailed(_WRONG)
    keys = _open_keys(db, user, password, now, "wrong password")
    actor = Actor(user.id, user.username, user.role, user.site_id, keys)
    with _admitted(db, user, now, "login") as (session, fresh):
        audit.append(session, "login", actor=actor, entity_type="user", entity_id=user.id)
        if needs_upgrade(kdf_params_of(fresh), kdf_defaults):
            reseal(fresh, keys, password, kdf_defaults)
            audit.append(
                session,
                "password.rehash",
                actor=actor,
                entity_type="user",
                entity_id=user.id,
                details={"fields": ["kdf_memory_kib", "kdf_iterations", "kdf_lanes"]},
            )
    if actor.role in (Role.HR, Role.SITE_MANAGER):
        deliver_pending_keys(db, actor)
    return actor


def change_password(
    db: Database,
    actor: Actor,
    current: str,
    new: str,
    *,
    kdf_defaults: KdfParams = DEFAULT_PARAMS,
) -> None:
    """Re-seal the actor's own private keys under a new password; nothing else changes."""
    with audit.denials_recorded(db, actor, "password.change", "user", actor.user_id):
        require(actor, Action.USER_PASSWORD)
    validation.password(new)
    if current == new:
        raise ValidationFailed("the new password must differ from the current one")
    now = utcnow()
    with db.transaction() as session:
        user = session.get_one(User, actor.user_id)
    keys = _open_keys(
        db,
        user,
        current,
        now,
        "wrong current password",
        "the current password is wrong",
        "password.change",
        actor,
    )
    with _admitted(db, user, now, "password.change", actor) as (session, fresh):
        reseal(fresh, keys, new, kdf_defaults)
        audit.append(session, "password.change", actor=actor, entity_type="user", entity_id=user.id)


def reauthenticate(db: Database, actor: Actor, password: str, purpose: str) -> None:
    """Ask for the password again before a grave step (export of a site, grants and role
    changes, recovery, restore, erasure). A wrong password is recorded, refused, and counts
    towards the lock-out like a failed login: an open session is no way round the five."""
    now = utcnow()
    with db.transaction() as session:
        user = session.get_one(User, actor.user_id)
    wrong = f"the password is needed again to {purpose}"
    _open_keys(db, user, password, now, purpose, wrong, "reauth", actor)
    with _admitted(db, user, now, "reauth", actor):
        pass


def lock(db: Database, actor: Actor) -> None:
    """Lock the session (manual lock or idle timeout): record it, then forget every key."""
    _record_session(db, actor, "session.lock")
    actor.lock()


def logout(db: Database, actor: Actor) -> None:
    """End the session: record it, then forget every key. A locked session ends unrecorded
    beyond its lock entry, since nothing can sign for it."""
    if not actor.locked:
        _record_session(db, actor, "logout")
    actor.lock()


def unlock(db: Database, actor: Actor, password: str, *, now: datetime | None = None) -> None:
    """Reopen a locked session with the user's password. A wrong password counts towards the
    lock-out like a failed login; a changed role or a disabled account needs a fresh login."""
    now = now or utcnow()
    with db.transaction() as session:
        user = session.get_one(User, actor.user_id)
    if user.role != actor.role or user.site_id != actor.site_id:
        _refused(db, user, "failed", "role changed while locked")
        raise AuthenticationFailed("your role has changed since you logged in; log in again")
    keys = _open_keys(db, user, password, now, "wrong password at unlock", "wrong password")
    with _admitted(db, user, now) as (session, _):
        actor.unlock(keys)
        audit.append(session, "session.unlock", actor=actor, entity_type="user", entity_id=user.id)


def _record_session(db: Database, actor: Actor, action: str) -> None:
    with db.transaction() as session:
        audit.append(session, action, actor=actor, entity_type="user", entity_id=actor.user_id)
