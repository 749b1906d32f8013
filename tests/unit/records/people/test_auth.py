from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from crmsup.records.errors import AuthenticationFailed, LockedOut, ValidationFailed
from crmsup.records.models import AccountKeys, SealedKey, User
from crmsup.records.people import users as user_service
from crmsup.records.people.accounts import kdf_params_of
from crmsup.records.people.auth import change_password, login
from crmsup.records.types import utcnow
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, Org


def _user(org: Org, name: str) -> User:
    with org.db.transaction() as session:
        return session.scalars(select(User).where(User.username == name)).one()


def _keys(org: Org, name: str) -> AccountKeys:
    with org.db.transaction() as session:
        return session.get_one(AccountKeys, _user(org, name).id)


def test_login_opens_the_users_keys(org: Org) -> None:
    actor = login(org.db, "SUP-A ", SUPERVISOR_PASSWORD)
    assert actor.username == "sup-a"
    assert actor.keys.public().exchange == _keys(org, "sup-a").exchange_public


def test_wrong_password_and_unknown_user_say_the_same(org: Org) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        login(org.db, "sup-a", "not the password")
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        login(org.db, "nobody", "not the password")
    assert _user(org, "sup-a").failed_logins == 1


def test_five_failures_lock_for_fifteen_minutes_then_double(org: Org) -> None:
    now = utcnow()
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as caught:
            login(org.db, "sup-b", "wrong password!", now=now)
        assert not isinstance(caught.value, LockedOut)
    with pytest.raises(LockedOut) as locked:
        login(org.db, "sup-b", "wrong password!", now=now)
    assert locked.value.until == pytest.approx(
        now + timedelta(minutes=15), abs=timedelta(seconds=1)
    )
    assert "until" in str(locked.value)
    # Even the right password is refused while locked, and says until when.
    with pytest.raises(LockedOut, match="UTC"):
        login(org.db, "sup-b", SUPERVISOR_PASSWORD, now=now + timedelta(minutes=14))
    later = now + timedelta(minutes=16)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            login(org.db, "sup-b", "wrong password!", now=later)
    with pytest.raises(LockedOut) as second:
        login(org.db, "sup-b", "wrong password!", now=later)
    assert second.value.until - later == pytest.approx(
        timedelta(minutes=30), abs=timedelta(seconds=1)
    )
    # After the lock-out, the right password opens and resets the counters.
    login(org.db, "sup-b", SUPERVISOR_PASSWORD, now=later + timedelta(minutes=31))
    user = _user(org, "sup-b")
    assert (user.failed_logins, user.lockouts, user.locked_until) == (0, 0, None)


def test_a_disabled_account_cannot_log_in(org: Org) -> None:
    user_service.set_disabled(org.db, org.admin, "sup-a", True)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        login(org.db, "sup-a", SUPERVISOR_PASSWORD)


def test_stronger_defaults_are_applied_at_the_next_login(org: Org) -> None:
    stronger = KdfParams(iterations=DEFAULT_PARAMS.iterations + 1)
    before = _keys(org, "sup-a")
    login(org.db, "sup-a", SUPERVISOR_PASSWORD, kdf_defaults=stronger)
    after = _keys(org, "sup-a")
    assert kdf_params_of(after) == stronger
    assert after.kdf_salt != before.kdf_salt
    assert after.exchange_public == before.exchange_public
    login(org.db, "sup-a", SUPERVISOR_PASSWORD, kdf_defaults=stronger)


def test_password_change_reseals_only_the_users_own_keys(org: Org) -> None:
    def snapshot() -> tuple[dict[str, bytes], list[bytes]]:
        with org.db.transaction() as session:
            users = dict(
                session.execute(
                    select(User.username, AccountKeys.sealed_private).join(
                        AccountKeys, AccountKeys.user_id == User.id
                    )
                ).all()
            )
            sealed = sorted(session.scalars(select(SealedKey.sealed)))
        return users, sealed

    users_before, sealed_before = snapshot()
    change_password(org.db, org.sup_a, SUPERVISOR_PASSWORD, "a brand new passphrase")
    users_after, sealed_after = snapshot()
    assert sealed_after == sealed_before
    changed = {name for name in users_before if users_before[name] != users_after[name]}
    assert changed == {"sup-a"}
    with pytest.raises(AuthenticationFailed):
        login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    login(org.db, "sup-a", "a brand new passphrase")


def test_password_change_needs_the_current_password_and_a_good_new_one(org: Org) -> None:
    with pytest.raises(AuthenticationFailed, match="current password"):
        change_password(org.db, org.sup_a, "not my password", "a brand new passphrase")
    with pytest.raises(ValidationFailed, match="at least"):
        change_password(org.db, org.sup_a, SUPERVISOR_PASSWORD, "short")
    login(org.db, "sup-a", SUPERVISOR_PASSWORD)


def test_lock_drops_every_key(org: Org) -> None:
    actor = login(org.db, "hr", PASSWORD)
    actor.lock()
    assert actor.locked
    with pytest.raises(AuthenticationFailed, match="locked"):
        _ = actor.keys
