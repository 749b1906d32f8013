"""Enrolment: an account IT creates has no key pair until its owner makes one.

Played as IT would: it set the first password and can read every row, and keeps whatever it
could; none of it opens the account's keys or anything sealed to them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.audit_trail.service import verify
from crmsup.records.errors import (
    AuthenticationFailed,
    EnrolmentRequired,
    LockedOut,
    ValidationFailed,
)
from crmsup.records.keyring import TEAM_KEY_PURPOSE
from crmsup.records.models import AccountKeys, Enrolment, Organisation, SealedKey
from crmsup.records.people import grants as grant_service
from crmsup.records.people import users as user_service
from crmsup.records.people.accounts import ENROLMENT_VALID_FOR, enrolment_details, kdf_params_of
from crmsup.records.people.associates import get_associate
from crmsup.records.people.auth import enrol, login
from crmsup.records.types import utcnow
from crmsup.security import wrapping
from crmsup.security.audit_chain import USER_ENROL
from crmsup.security.errors import IntegrityFailure, WrongPassword
from crmsup.security.lockout import MAX_FAILED_LOGINS
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys
from tests.factories import FIRST_PASSWORD, SUPERVISOR_PASSWORD, Org, add_associate

OWN = "sup-c's very own passphrase"


def _new_supervisor(org: Org) -> None:
    user_service.add_user(
        org.db, org.admin, "sup-c", Role.SUPERVISOR, FIRST_PASSWORD, teams=("Team A",)
    )


def _user_id(org: Org) -> object:
    return next(r.id for r in user_service.list_users(org.db, org.admin) if r.username == "sup-c")


def test_what_it_keeps_at_creation_opens_nothing_after_enrolment_and_grant(org: Org) -> None:
    add_associate(org)
    _new_supervisor(org)
    user_id = _user_id(org)
    with org.db.transaction() as session:
        # Everything IT could copy once the account exists: no key pair at all.
        assert session.get(AccountKeys, user_id) is None
        kept = session.get_one(Enrolment, user_id)
        kept_verifier = bytes(kept.verifier)
    sup_c = enrol(org.db, "sup-c", FIRST_PASSWORD, OWN)
    assert grant_service.grant(org.db, org.hr, "sup-c", "Team A")
    assert get_associate(org.db, sup_c, "E100").last_name == "Bøe"
    with org.db.transaction() as session:
        row = session.get_one(AccountKeys, user_id)
        assert session.get(Enrolment, user_id) is None  # the first password opens nothing now
        sealed = session.scalars(
            select(SealedKey).where(SealedKey.recipient_user_id == user_id)
        ).all()
    assert sealed, "the grant sealed Team A's key to sup-c"
    # The first password does not open the pair the owner made, nor does the kept verifier.
    for guess in (FIRST_PASSWORD, kept_verifier.hex()):
        with pytest.raises(WrongPassword):
            UserKeys.open_with_password(
                row.sealed_private, guess, row.kdf_salt, kdf_params_of(row), str(user_id)
            )
    # And no key IT could make opens what was sealed to the owner's public key.
    for copy in sealed:
        with pytest.raises(IntegrityFailure):
            wrapping.unseal(
                UserKeys.generate().exchange,
                copy.sealed,
                TEAM_KEY_PURPOSE,
                str(copy.scope_key_id),
                f"user:{user_id}",
            )


def test_the_first_password_only_leads_to_choosing_ones_own(org: Org) -> None:
    _new_supervisor(org)
    with pytest.raises(EnrolmentRequired, match="choose a password of your own"):
        login(org.db, "sup-c", FIRST_PASSWORD)
    with pytest.raises(ValidationFailed, match="of your own"):
        enrol(org.db, "sup-c", FIRST_PASSWORD, FIRST_PASSWORD)
    with pytest.raises(ValidationFailed, match="at least"):
        enrol(org.db, "sup-c", FIRST_PASSWORD, "short")
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        enrol(org.db, "sup-c", "not the first password", OWN)
    actor = enrol(org.db, "sup-c", FIRST_PASSWORD, OWN)
    assert (actor.username, actor.role) == ("sup-c", Role.SUPERVISOR)
    # Once: the first password is spent, and the own one logs in.
    with pytest.raises(AuthenticationFailed):
        enrol(org.db, "sup-c", FIRST_PASSWORD, "yet another passphrase")
    with pytest.raises(AuthenticationFailed):
        login(org.db, "sup-c", FIRST_PASSWORD)
    assert login(org.db, "sup-c", OWN).user_id == actor.user_id
    assert verify(org.db).ok


def test_a_first_password_expires(org: Org) -> None:
    _new_supervisor(org)
    later = utcnow() + ENROLMENT_VALID_FOR + timedelta(minutes=1)
    with pytest.raises(AuthenticationFailed, match="expired"):
        login(org.db, "sup-c", FIRST_PASSWORD, now=later)
    with pytest.raises(AuthenticationFailed, match="expired"):
        enrol(org.db, "sup-c", FIRST_PASSWORD, OWN, now=later)


def test_guessing_a_first_password_locks_like_any_other(org: Org) -> None:
    _new_supervisor(org)
    for n in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationFailed):
            login(org.db, "sup-c", f"guess {n}")
    with pytest.raises(LockedOut):
        enrol(org.db, "sup-c", "one guess too many", OWN)
    with pytest.raises(LockedOut):
        enrol(org.db, "sup-c", FIRST_PASSWORD, OWN)


def test_an_enrolment_written_into_the_trail_by_someone_else_is_caught(org: Org) -> None:
    """A key of one's own for an enrolled account, recorded as an enrolment: the chain knows
    that this account's creation never provided for one."""
    forger = Actor(org.hr.user_id, "hr", Role.HR, None, UserKeys.generate())
    public = forger.keys.public()
    with org.db.transaction() as session:
        fake = AccountKeys(
            user_id=org.hr.user_id,
            exchange_public=public.exchange,
            signing_public=public.signing,
        )
        sequence = audit.append(
            session,
            USER_ENROL,
            actor=forger,
            entity_type="user",
            entity_id=org.hr.user_id,
            details=enrolment_details(fake),
        )
    verdict = verify(org.db)
    assert (verdict.ok, verdict.first_bad) == (False, sequence)
    assert verdict.reason is not None
    assert "did not provide" in verdict.reason


def test_a_root_key_changed_in_the_database_stops_every_pinned_login(org: Org) -> None:
    with org.db.transaction() as session:
        session.execute(update(Organisation).values(root_public=bytes(32)))
    for name, password in (("hr", "correct horse battery staple"), ("sup-a", SUPERVISOR_PASSWORD)):
        with pytest.raises(IntegrityFailure, match="tampered"):
            login(org.db, name, password)
