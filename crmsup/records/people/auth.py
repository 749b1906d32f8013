"""Logging in, enrolling, changing one's password, and locking a session.

An account IT created has a one-time first password and no key pair. Logging in with it
raises EnrolmentRequired; `enrol` then takes the first password and one the owner chooses,
and makes the owner's key pair in this process, sealed under their own password, so that
nothing IT knew opens it. Every password check counts towards the lock-out (`attempts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import AuthenticationFailed, EnrolmentRequired, ValidationFailed
from crmsup.records.models import AccountKeys, Enrolment, Organisation, User
from crmsup.records.people.accounts import (
    enrolment_details,
    enrolment_matches,
    kdf_params_of,
    new_keys,
    reseal,
)
from crmsup.records.people.attempts import WRONG, admit, admitted, checked, refused
from crmsup.records.people.grants import deliver_pending_keys
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import USER_ENROL
from crmsup.security.errors import IntegrityFailure, WrongPassword
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams, derive_key, needs_upgrade, new_salt
from crmsup.security.permissions import Action, Role
from crmsup.security.user_keys import UserKeys


@dataclass(frozen=True, slots=True)
class _Account:
    user: User
    keys: AccountKeys | None
    enrolment: Enrolment | None
    root_public: bytes | None


def _account(db: Database, username: str) -> _Account | None:
    with db.transaction() as session:
        user = session.scalars(
            select(User).where(User.username == username.strip().lower())
        ).one_or_none()
        if user is None:
            return None
        return _Account(
            user,
            session.get(AccountKeys, user.id),
            session.get(Enrolment, user.id),
            session.scalar(select(Organisation.root_public).limit(1)),
        )


def _own_account(db: Database, actor: Actor) -> tuple[User, AccountKeys]:
    with db.transaction() as session:
        return session.get_one(User, actor.user_id), session.get_one(AccountKeys, actor.user_id)


def _opener(row: AccountKeys, password: str) -> UserKeys:
    return UserKeys.open_with_password(
        row.sealed_private, password, row.kdf_salt, kdf_params_of(row), str(row.user_id)
    )


def _check_pin(db: Database, account: _Account, keys: UserKeys) -> None:
    """The root key in the database must be the one the account enrolled under. (An empty
    one, as after a downgrade and upgrade, changes nothing: the account's client checks
    statements against its own pin, never against the database's copy.)"""
    if (
        keys.root_pin is not None
        and account.root_public is not None
        and keys.root_pin != account.root_public
    ):
        refused(db, account.user, "failed", "root key changed")
        raise IntegrityFailure(
            "the organisation's root key in the database is not the one this account enrolled "
            "under: the database may have been tampered with; tell HR and IT before going on"
        )


def login(
    db: Database,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    kdf_defaults: KdfParams = DEFAULT_PARAMS,
) -> Actor:
    """Open the user's keys with their password; raise AuthenticationFailed or LockedOut, or
    EnrolmentRequired for a right first password (then `enrol`)."""
    now = now or utcnow()
    account = _account(db, username)
    if account is None:
        derive_key(password, new_salt(), kdf_defaults)
        refused(db, None, "failed", "unknown account")
        raise AuthenticationFailed(WRONG)
    user = account.user
    if account.keys is None:
        _check_first_password(db, account, password, now)
        admit(db, user, now)
        raise EnrolmentRequired(
            "this is the account's first password: choose a password of your own to finish "
            "setting it up"
        )
    row = account.keys
    keys = checked(db, user, lambda: _opener(row, password), now, "wrong password")
    _check_pin(db, account, keys)
    actor = Actor(user.id, user.username, user.role, user.site_id, keys)
    with admitted(db, user, now) as (session, _):
        audit.append(session, "login", actor=actor, entity_type="user", entity_id=user.id)
        fresh = session.get_one(AccountKeys, user.id)
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
        delivery = deliver_pending_keys(db, actor)
        actor.notices.extend(delivery.withheld)
        actor.waiting.extend(delivery.waiting)
    return actor


def _check_first_password(db: Database, account: _Account, password: str, now: datetime) -> None:
    enrolment = account.enrolment
    if enrolment is None:
        refused(db, account.user, "failed", "no key pair and no enrolment")
        raise AuthenticationFailed(WRONG)
    if enrolment.expires_at <= now:
        refused(db, account.user, "failed", "first password expired")
        raise AuthenticationFailed(
            "this account's first password has expired: ask IT for a new one"
        )

    def check() -> None:
        if not enrolment_matches(enrolment, password):
            raise WrongPassword("the first password does not match")

    checked(db, account.user, check, now, "wrong first password")


def enrol(
    db: Database,
    username: str,
    first_password: str,
    password: str,
    *,
    now: datetime | None = None,
    kdf_defaults: KdfParams = DEFAULT_PARAMS,
) -> Actor:
    """Finish setting up a new account: check the first password IT gave, make the owner's
    key pair here, seal it under `password` (which must differ from the first), and log in.
    The pair's public halves are recorded in the audit trail, signed by the new key."""
    now = now or utcnow()
    validation.password(password)
    if password == first_password:
        raise ValidationFailed(
            "choose a password of your own: IT knows the first one, so it cannot be kept"
        )
    account = _account(db, username)
    if account is None or account.keys is not None:
        derive_key(first_password, new_salt(), kdf_defaults)
        refused(db, None if account is None else account.user, "failed", "enrol: no enrolment")
        raise AuthenticationFailed(WRONG)
    user = account.user
    _check_first_password(db, account, first_password, now)
    row, keys = new_keys(user.id, password, account.root_public, kdf_defaults)
    actor = Actor(user.id, user.username, user.role, user.site_id, keys)
    with admitted(db, user, now) as (session, _):
        pending = session.get(Enrolment, user.id)
        if pending is None or session.get(AccountKeys, user.id) is not None:
            raise ValidationFailed("this account was set up meanwhile: log in with its password")
        session.delete(pending)
        session.add(row)
        session.flush()
        audit.append(
            session,
            USER_ENROL,
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details=enrolment_details(row),
        )
        audit.append(session, "login", actor=actor, entity_type="user", entity_id=user.id)
    if actor.role in (Role.HR, Role.SITE_MANAGER):
        delivery = deliver_pending_keys(db, actor)
        actor.notices.extend(delivery.withheld)
        actor.waiting.extend(delivery.waiting)
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
    user, row = _own_account(db, actor)
    keys = checked(
        db,
        user,
        lambda: _opener(row, current),
        now,
        "wrong current password",
        "the current password is wrong",
        "password.change",
        actor,
    )
    with admitted(db, user, now, "password.change", actor) as (session, _):
        reseal(session.get_one(AccountKeys, user.id), keys, new, kdf_defaults)
        audit.append(session, "password.change", actor=actor, entity_type="user", entity_id=user.id)


def reauthenticate(db: Database, actor: Actor, password: str, purpose: str) -> None:
    """Ask for the password again before a grave step (export of a site, grants and role
    changes, recovery, restore, erasure). A wrong password is recorded, refused, and counts
    towards the lock-out like a failed login: an open session is no way round the five."""
    now = utcnow()
    user, row = _own_account(db, actor)
    wrong = f"the password is needed again to {purpose}"
    checked(db, user, lambda: _opener(row, password), now, purpose, wrong, "reauth", actor)
    admit(db, user, now, "reauth", actor)


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
    user, row = _own_account(db, actor)
    if user.role != actor.role or user.site_id != actor.site_id:
        refused(db, user, "failed", "role changed while locked")
        raise AuthenticationFailed("your role has changed since you logged in; log in again")
    keys = checked(
        db, user, lambda: _opener(row, password), now, "wrong password at unlock", "wrong password"
    )
    with admitted(db, user, now) as (session, _):
        actor.unlock(keys)
        audit.append(session, "session.unlock", actor=actor, entity_type="user", entity_id=user.id)


def _record_session(db: Database, actor: Actor, action: str) -> None:
    with db.transaction() as session:
        audit.append(session, action, actor=actor, entity_type="user", entity_id=actor.user_id)
