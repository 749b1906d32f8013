"""Locking, unlocking and ending a session: each is in the trail, signed by the user, and a
wrong password at the lock screen counts towards the lock-out like a failed login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmsup.records.audit_trail.service import verify
from crmsup.records.errors import AuthenticationFailed, LockedOut
from crmsup.records.models import AuditEntry
from crmsup.records.people import users as user_service
from crmsup.records.people.auth import lock, login, logout, unlock
from crmsup.security.lockout import MAX_FAILED_LOGINS
from crmsup.security.permissions import Role
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, Org


def _trail(org: Org) -> list[tuple[str, str, bool]]:
    """(action, outcome, signed) of every session entry, oldest first."""
    with org.db.transaction() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.outcome, AuditEntry.signature)
            .where(AuditEntry.action.in_(["login", "logout", "session.lock", "session.unlock"]))
            .order_by(AuditEntry.sequence)
        )
        return [(action, outcome, signature is not None) for action, outcome, signature in rows]


def test_lock_unlock_and_logout_are_signed_entries(org: Org) -> None:
    actor = login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    before = len(_trail(org))
    lock(org.db, actor)
    assert actor.locked
    unlock(org.db, actor, SUPERVISOR_PASSWORD)
    assert not actor.locked
    logout(org.db, actor)
    assert actor.locked
    assert _trail(org)[before:] == [
        ("session.lock", "ok", True),
        ("session.unlock", "ok", True),
        ("logout", "ok", True),
    ]
    assert verify(org.db).ok


def test_a_locked_session_decrypts_nothing_until_unlocked(org: Org) -> None:
    actor = login(org.db, "hr", PASSWORD)
    lock(org.db, actor)
    with pytest.raises(AuthenticationFailed, match="locked"):
        _ = actor.keys
    unlock(org.db, actor, PASSWORD)
    assert actor.keys.public().exchange


def test_wrong_unlock_passwords_lock_the_account_out(org: Org) -> None:
    actor = login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    lock(org.db, actor)
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationFailed, match=r"^wrong password$"):
            unlock(org.db, actor, "not the password")
    with pytest.raises(LockedOut):
        unlock(org.db, actor, "not the password")
    assert actor.locked
    with pytest.raises(LockedOut):
        unlock(org.db, actor, SUPERVISOR_PASSWORD)
    outcomes = [outcome for action, outcome, _ in _trail(org) if action == "login"][
        -MAX_FAILED_LOGINS - 1 :
    ]
    assert outcomes == ["failed"] * (MAX_FAILED_LOGINS - 1) + ["locked", "locked"]
    assert verify(org.db).ok


def test_a_role_changed_while_locked_needs_a_fresh_login(org: Org) -> None:
    actor = login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    lock(org.db, actor)
    user_service.change_role(org.db, org.admin, "sup-a", Role.AUDITOR)
    with pytest.raises(AuthenticationFailed, match="role has changed"):
        unlock(org.db, actor, SUPERVISOR_PASSWORD)
    assert actor.locked


def test_logging_out_a_locked_session_adds_nothing_unsigned(org: Org) -> None:
    actor = login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    lock(org.db, actor)
    before = len(_trail(org))
    logout(org.db, actor)
    assert len(_trail(org)) == before
