"""Moves an insider would try — IT, a DBA, anyone who can write the database — played
against the raw tables, on SQLite and PostgreSQL: each yields no key.

(More of them join as the keys' hardening goes on: see README, "How the keys work".)
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmsup.records.errors import ValidationFailed
from crmsup.records.models import ScopeKey, SealedKey, Team
from crmsup.records.people import associates as associate_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.people.auth import login
from crmsup.records.people.dto import NewAssociate
from tests.factories import PASSWORD, Org, add_associate


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
    # HR's next login makes it, in HR's process: sealed to the keepers and the recovery key.
    hr = login(org.db, "hr", PASSWORD)
    holders = _sealed_to(org, "Team C")
    assert {org.hr.user_id, org.manager.user_id, org.sup_a.user_id, None} == holders
    assert org.admin.user_id not in holders
    assert associate_service.add_associate(org.db, hr, new).last_name == "Lovelace"


def test_a_disabled_account_keeps_no_key(org: Org) -> None:
    add_associate(org)
    user_service.set_disabled(org.db, org.admin, "sup-a", True)
    with org.db.transaction() as session:
        left = session.scalars(
            select(SealedKey).where(SealedKey.recipient_user_id == org.sup_a.user_id)
        ).all()
    assert left == []
