"""Moves an insider would try — IT, a DBA, anyone who can write the database — played
against the raw tables, on SQLite and PostgreSQL: each yields no key.

(More of them join as the keys' hardening goes on: see README, "How the keys work".)
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from crmsup.records.errors import ValidationFailed
from crmsup.records.models import (
    AccountKeys,
    AuditEntry,
    ScopeKey,
    SealedKey,
    Team,
    TeamSupervisor,
    User,
)
from crmsup.records.people import associates as associate_service
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.people.auth import login
from crmsup.records.people.dto import NewAssociate
from crmsup.records.types import utcnow
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys
from tests.factories import (
    PASSWORD,
    SUPERVISOR_PASSWORD,
    Org,
    add_associate,
    add_enrolled_user,
)


def _sealed_to(org: Org, team_name: str) -> set[object]:
    with org.db.transaction() as session:
        return set(
            session.scalars(
                select(SealedKey.recipient_user_id)
                .join(ScopeKey, ScopeKey.id == SealedKey.scope_key_id)
                .join(Team, Team.id == ScopeKey.team_id)
                .where(Team.name == team_name)
            )
        )


def test_a_team_it_prepares_has_no_key_until_a_holder_makes_one(org: Org) -> None:
    """A client that kept the team key it generated would read every hire: IT's client
    never generates one."""
    org_service.add_team(org.db, org.admin, "Team C", "Lyon", ("sup-a",))
    with org.db.transaction() as session:
        team = session.scalars(select(Team).where(Team.name == "Team C")).one()
        assert session.scalars(select(ScopeKey).where(ScopeKey.team_id == team.id)).all() == []
    new = NewAssociate(employee_no="E300", first_name="Ada", last_name="Lovelace", team="Team C")
    with pytest.raises(ValidationFailed, match="no key yet"):
        associate_service.add_associate(org.db, org.hr, new)
    # HR's next login makes it, in HR's process: sealed to the keepers and the recovery key,
    # not to the supervisor IT named, whom no holder has vouched for on this team yet.
    hr = login(org.db, "hr", PASSWORD)
    assert _sealed_to(org, "Team C") == {org.hr.user_id, org.manager.user_id, None}
    assert "sup-a" in hr.waiting
    assert associate_service.add_associate(org.db, hr, new).last_name == "Lovelace"
    assert grant_service.grant(org.db, hr, "sup-a", "Team C")
    assert org.sup_a.user_id in _sealed_to(org, "Team C")


def test_a_disabled_account_keeps_no_key(org: Org) -> None:
    add_associate(org)
    user_service.set_disabled(org.db, org.admin, "sup-a", True)
    with org.db.transaction() as session:
        left = session.scalars(
            select(SealedKey).where(SealedKey.recipient_user_id == org.sup_a.user_id)
        ).all()
    assert left == []


def _keys_of(org: Org, user_id: object, team_name: str) -> bool:
    return user_id in _sealed_to(org, team_name)


def test_a_role_raised_in_the_database_gets_no_key_and_is_reported(org: Org) -> None:
    """sup-a made HR by a raw UPDATE would be owed every team's key."""
    with org.db.transaction() as session:
        session.execute(update(User).where(User.id == org.sup_a.user_id).values(role=Role.HR))
    hr = login(org.db, "hr", PASSWORD)
    assert not _keys_of(org, org.sup_a.user_id, "Team B")
    assert any(n.startswith("sup-a:") and "role" in n for n in hr.notices)
    with org.db.transaction() as session:
        reported = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "keys.withheld")
        ).all()
    assert len(reported) == 1
    assert str(org.sup_a.user_id) in json.loads(reported[0])["accounts"]


def test_a_confirmation_or_a_supervision_written_in_the_database_gets_no_key(org: Org) -> None:
    sup_c = add_enrolled_user(org.db, org.admin, "sup-c", Role.SUPERVISOR, SUPERVISOR_PASSWORD)
    with org.db.transaction() as session:
        team_a = session.scalars(select(Team).where(Team.name == "Team A")).one()
        session.add(TeamSupervisor(team_id=team_a.id, user_id=sup_c.user_id))
        session.execute(
            update(User)
            .where(User.id == sup_c.user_id)
            .values(confirmed_at=utcnow(), confirmed_by=org.hr.user_id)
        )
    hr = login(org.db, "hr", PASSWORD)
    assert not _keys_of(org, sup_c.user_id, "Team A")
    assert "sup-c" in hr.waiting


def test_a_public_key_swapped_in_the_database_gets_nothing_sealed_to_it(org: Org) -> None:
    """A DBA's own key in sup-b's row: the next team key sup-b is owed goes nowhere."""
    dba = UserKeys.generate()
    with org.db.transaction() as session:
        session.execute(
            update(AccountKeys)
            .where(AccountKeys.user_id == org.sup_b.user_id)
            .values(exchange_public=dba.public().exchange)
        )
    org_service.add_team(org.db, org.hr, "Team D", "Lyon", ("sup-b",))
    assert not _keys_of(org, org.sup_b.user_id, "Team D")
    hr = login(org.db, "hr", PASSWORD)
    assert any(n.startswith("sup-b:") and "public keys" in n for n in hr.notices)


def test_an_account_re_enabled_in_the_database_gets_no_key_back(org: Org) -> None:
    user_service.set_disabled(org.db, org.admin, "sup-a", True)
    with org.db.transaction() as session:
        session.execute(update(User).where(User.id == org.sup_a.user_id).values(disabled=False))
    hr = login(org.db, "hr", PASSWORD)
    assert not _keys_of(org, org.sup_a.user_id, "Team A")
    assert "sup-a" in hr.waiting


def test_a_revoked_supervision_restored_in_the_database_gets_no_key_back(org: Org) -> None:
    grant_service.revoke(org.db, org.hr, "sup-a", "Team A")
    with org.db.transaction() as session:
        team_a = session.scalars(select(Team).where(Team.name == "Team A")).one()
        session.add(TeamSupervisor(team_id=team_a.id, user_id=org.sup_a.user_id))
    hr = login(org.db, "hr", PASSWORD)
    assert not _keys_of(org, org.sup_a.user_id, "Team A")
    assert "sup-a" in hr.waiting
