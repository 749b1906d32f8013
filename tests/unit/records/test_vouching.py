"""Statements of who an account is: signed by holders, checked back to the root pin."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import select, update

from crmsup.records.models import AccountStatement, Team, User
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.vouching import Untrusted, standing, vouch
from crmsup.security import statements
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys
from tests.factories import FIRST_PASSWORD, SUPERVISOR_PASSWORD, Org, add_enrolled_user


def _pin(org: Org) -> bytes:
    pin = org.hr.keys.root_pin
    assert pin is not None
    return pin


def _check(org: Org, user_id: uuid.UUID) -> statements.Statement:
    with org.db.transaction() as session:
        return standing(session, user_id, _pin(org))


def test_every_vouched_account_stands_back_to_the_root(org: Org) -> None:
    hr = _check(org, org.hr.user_id)
    assert (hr.signer, hr.role) == (statements.ROOT, "hr")
    for actor in (org.admin, org.manager, org.sup_a, org.sup_b):
        found = _check(org, actor.user_id)
        assert found.signer == str(org.hr.user_id)
        assert found.exchange_public == actor.keys.public().exchange
    with org.db.transaction() as session:
        team_a = session.scalars(select(Team.id).where(Team.name == "Team A")).one()
    assert _check(org, org.sup_a.user_id).teams == (str(team_a),)
    # The auditor was never vouched for: it holds nothing, and stands nowhere.
    with pytest.raises(Untrusted, match="no holder"):
        _check(org, org.auditor.user_id)


def test_a_grant_signs_a_successor_naming_the_new_team(org: Org) -> None:
    before = _check(org, org.sup_a.user_id)
    assert grant_service.grant(org.db, org.hr, "sup-a", "Team B")
    after = _check(org, org.sup_a.user_id)
    assert (after.serial, after.previous) == (before.serial + 1, before.digest())
    assert len(after.teams) == 2
    # Vouching again for the same standing signs nothing new.
    with org.db.transaction() as session:
        user = session.get_one(User, org.sup_a.user_id)
        assert vouch(session, org.hr, user)
    assert _check(org, org.sup_a.user_id).serial == after.serial


def test_another_root_pin_trusts_nothing(org: Org) -> None:
    with org.db.transaction() as session, pytest.raises(Untrusted, match="signature"):
        standing(session, org.sup_a.user_id, UserKeys.generate().public().signing)


def _tamper(org: Org, user_id: uuid.UUID, **changes: object) -> None:
    with org.db.transaction() as session:
        row = session.scalars(
            select(AccountStatement)
            .where(AccountStatement.user_id == user_id)
            .order_by(AccountStatement.serial.desc())
        ).first()
        assert row is not None
        changed = dataclasses.replace(statements.decode(bytes(row.body)), **changes)  # type: ignore[arg-type]
        session.execute(
            update(AccountStatement)
            .where(AccountStatement.id == row.id)
            .values(body=changed.encode())
        )


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "hr"},
        {"teams": ()},
        {"exchange_public": b"\x07" * 32},
        {"username": "someone-else"},
    ],
)
def test_a_statement_edited_in_the_database_does_not_stand(
    org: Org, changes: dict[str, object]
) -> None:
    _tamper(org, org.sup_a.user_id, **changes)
    with pytest.raises(Untrusted, match="signature"):
        _check(org, org.sup_a.user_id)


def test_a_forged_signers_standing_breaks_everything_it_signed(org: Org) -> None:
    _tamper(org, org.manager.user_id, signing_public=b"\x05" * 32)
    with pytest.raises(Untrusted):
        _check(org, org.manager.user_id)


def test_only_holders_vouch_and_a_site_manager_only_within_the_site(org: Org) -> None:
    # A supervisor's signature vouches for nobody, whatever it signs.
    sup_c = add_enrolled_user(org.db, org.admin, "sup-c", Role.SUPERVISOR, SUPERVISOR_PASSWORD)
    with org.db.transaction() as session:
        vouch(session, org.sup_a, session.get_one(User, sup_c.user_id))
    with pytest.raises(Untrusted, match="may not vouch"):
        _check(org, sup_c.user_id)
    # The site manager vouches for a supervisor of their own site's teams...
    with org.db.transaction() as session:
        vouch(session, org.manager, session.get_one(User, sup_c.user_id))
    assert _check(org, sup_c.user_id).signer == str(org.manager.user_id)
    # ...but not for one of another site's team, nor for an HR account.
    org_service.add_site(org.db, org.admin, "Porto")
    org_service.add_team(org.db, org.hr, "Team P", "Porto", ("sup-c",))
    with org.db.transaction() as session:
        vouch(session, org.manager, session.get_one(User, sup_c.user_id))
    with pytest.raises(Untrusted, match="own site"):
        _check(org, sup_c.user_id)
    hr_2 = add_enrolled_user(org.db, org.admin, "hr-2", Role.HR, SUPERVISOR_PASSWORD)
    with org.db.transaction() as session:
        vouch(session, org.manager, session.get_one(User, hr_2.user_id))
    with pytest.raises(Untrusted, match="own site"):
        _check(org, hr_2.user_id)


def test_an_account_not_enrolled_cannot_be_vouched_for(org: Org) -> None:
    user_service.add_user(org.db, org.admin, "sup-d", Role.SUPERVISOR, FIRST_PASSWORD)
    with org.db.transaction() as session:
        user = session.scalars(select(User).where(User.username == "sup-d")).one()
        assert not vouch(session, org.hr, user)
    with pytest.raises(Untrusted, match="no holder"):
        _check(org, user.id)
