"""Logging in, changing one's password, and locking a session.

The Argon2id derivation runs outside any transaction (it takes a quarter of a second by
design); the attempt counters are updated in their own short transaction so that concurrent
attempts on several workstations add up rather than overwrite each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

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


def _record_failure(db: Database, user: User, now: datetime, reason: str) -> datetime | None:
    """Count one failed attempt; return the lock-out end when this attempt locked the account.

    The count and its audit entry commit together."""
    with db.transaction() as session:
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        fresh = session.get_one(User, user.id, populate_existing=True, with_for_update=True)
        locks = fresh.failed_logins >= MAX_FAILED_LOGINS
        if locks:
            fresh.lockouts += 1
            fresh.failed_logins = 0
            fresh.locked_until = now + lockout_duration(fresh.lockouts)
        audit.append(
            session,
            "login",
            actor_id=user.id,
            actor_name=user.username,
            entity_type="user",
            entity_id=user.id,
            outcome="locked" if locks else "failed",
            details={"reason": reason},
        )
        return fresh.locked_until if locks else None


def _open_keys(
    db: Database, user: User, password: str, now: datetime, reason: str, wrong: str = _WRONG
) -> UserKeys:
    """The user's keys, unless the account is disabled or locked out or the password is wrong;
    every refusal is recorded, and a wrong password counts towards the lock-out."""
    if user.disabled:
        _refused(db, user, "failed", "account disabled")
        raise AuthenticationFailed("this account is disabled; ask IT to re-enable it")
    if user.locked_until is not None and user.locked_until > now:
        _refused(db, user, "locked", "account locked")
        raise LockedOut(user.locked_until)
    try:
        return UserKeys.open_with_password(
            user.sealed_private, password, user.kdf_salt, kdf_params_of(user), str(user.id)
        )
    except WrongPassword:
        until = _record_failure(db, user, now, reason)
        if until is not None:
            raise LockedOut(until) from None
        raise AuthenticationFailed(wrong) from None


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
    with db.transaction() as session:
        fresh = session.get_one(User, user.id)
        fresh.failed_logins = 0
        fresh.lockouts = 0
        fresh.locked_until = None
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
    with db.transaction() as session:
        user = session.get_one(User, actor.user_id)
        try:
            keys = UserKeys.open_with_password(
                user.sealed_private, current, user.kdf_salt, kdf_params_of(user), str(user.id)
            )
        except WrongPassword:
            keys = None
        if keys is not None:
            reseal(user, keys, new, kdf_defaults)
        audit.append(
            session,
            "password.change",
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            outcome="ok" if keys else "failed",
            details=None if keys else {"reason": "wrong current password"},
        )
    if keys is None:
        raise AuthenticationFailed("the current password is wrong")


def reauthenticate(db: Database, actor: Actor, password: str, purpose: str) -> None:
    """Ask for the password again before a grave step (export of a site, grants and role
    changes, recovery, restore, erasure). A wrong password is recorded and refused."""
    with db.transaction() as session:
        user = session.get_one(User, actor.user_id)
    try:
        UserKeys.open_with_password(
            user.sealed_private, password, user.kdf_salt, kdf_params_of(user), str(user.id)
        )
    except WrongPassword:
        with db.transaction() as session:
            audit.append(
                session,
                "reauth",
                actor=actor,
                entity_type="user",
                entity_id=user.id,
                outcome="failed",
                details={"purpose": purpose},
            )
        raise AuthenticationFailed(f"the password is needed again to {purpose}") from None


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
    actor.unlock(keys)
    with db.transaction() as session:
        fresh = session.get_one(User, user.id)
        fresh.failed_logins = 0
        fresh.lockouts = 0
        fresh.locked_until = None
        audit.append(session, "session.unlock", actor=actor, entity_type="user", entity_id=user.id)


def _record_session(db: Database, actor: Actor, action: str) -> None:
    with db.transaction() as session:
        audit.append(session, action, actor=actor, entity_type="user", entity_id=actor.user_id)
