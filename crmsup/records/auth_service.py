"""Logging in, changing one's password, and locking a session.

The Argon2id derivation runs outside any transaction (it takes a quarter of a second by
design); the attempt counters are updated in their own short transaction so that concurrent
attempts on several workstations add up rather than overwrite each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from crmsup.records import validation
from crmsup.records.accounts import kdf_params_of, reseal
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import AuthenticationFailed, LockedOut, ValidationFailed
from crmsup.records.grant_service import deliver_pending_keys
from crmsup.records.models import User
from crmsup.records.types import utcnow
from crmsup.security.errors import WrongPassword
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams, derive_key, needs_upgrade, new_salt
from crmsup.security.lockout import MAX_FAILED_LOGINS, lockout_duration
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys

_WRONG = "wrong user name or password"


def _record_failure(db: Database, user: User, now: datetime) -> datetime | None:
    """Count one failed attempt; return the lock-out end when this attempt locked the account."""
    with db.transaction() as session:
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        fresh = session.get_one(User, user.id, populate_existing=True, with_for_update=True)
        if fresh.failed_logins < MAX_FAILED_LOGINS:
            return None
        fresh.lockouts += 1
        fresh.failed_logins = 0
        fresh.locked_until = now + lockout_duration(fresh.lockouts)
        return fresh.locked_until


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
        raise AuthenticationFailed(_WRONG)
    if user.disabled:
        raise AuthenticationFailed("this account is disabled; ask IT to re-enable it")
    if user.locked_until is not None and user.locked_until > now:
        raise LockedOut(user.locked_until)
    try:
        keys = UserKeys.open_with_password(
            user.sealed_private, password, user.kdf_salt, kdf_params_of(user), str(user.id)
        )
    except WrongPassword:
        until = _record_failure(db, user, now)
        if until is not None:
            raise LockedOut(until) from None
        raise AuthenticationFailed(_WRONG) from None
    with db.transaction() as session:
        fresh = session.get_one(User, user.id)
        fresh.failed_logins = 0
        fresh.lockouts = 0
        fresh.locked_until = None
        if needs_upgrade(kdf_params_of(fresh), kdf_defaults):
            reseal(fresh, keys, password, kdf_defaults)
    actor = Actor(user.id, user.username, user.role, user.site_id, keys)
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
            raise AuthenticationFailed("the current password is wrong") from None
        reseal(user, keys, new, kdf_defaults)
