"""DESIGN.md "Keys" 3: the keys, not only the services, enforce who reads what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.keyring import TEAM_KEY_PURPOSE, data_cipher, unseal_scope_key
from crmsup.records.models import (
    Associate,
    RecipientKind,
    ScopeKey,
    SealedKey,
    Team,
    TeamSupervisor,
    User,
)
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.people.associates import get_associate, list_roster
from crmsup.records.people.auth import enrol, login
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Role
from crmsup.security.recovery import new_recovery_key, read_recovery_sheet, recovery_sheet
from crmsup.security.wrapping import unseal
from tests.factories import (
    FIRST_PASSWORD,
    PASSWORD,
    SUPERVISOR_PASSWORD,
    Org,
    add_associate,
    add_enrolled_user,
)


def _team_key_row(org: Org, team: str) -> ScopeKey:
    with org.db.transaction() as session:
        return session.scalars(
            select(ScopeKey).join(Team, Team.id == ScopeKey.team_id).where(Team.name == team)
        ).one()


def test_another_teams_supervisor_cannot_unseal_its_key_from_the_raw_tables(org: Org) -> None:
    scope_key = _team_key_row(org, "Team A")
    with org.db.transaction() as session:
        every_copy = list(
            session.scalars(select(SealedKey).where(SealedKey.scope_key_id == scope_key.id))
        )
    assert every_copy, "team A's key is sealed to someone"
    assert all(c.recipient_user_id != org.sup_b.user_id for c in every_copy)
    for copy in every_copy:
        for recipient in (f"user:{copy.recipient_user_id}", f"user:{org.sup_b.user_id}"):
            with pytest.raises(IntegrityFailure):
                unseal(
                    org.sup_b.keys.exchange,
                    copy.sealed,
                    TEAM_KEY_PURPOSE,
                    str(scope_key.id),
                    recipient,
                )


def test_an_admin_holds_no_team_key_and_cannot_read(org: Org) -> None:
    detail = add_associate(org)
    with org.db.transaction() as session:
        held = session.scalars(
            select(ScopeKey.access)
            .join(SealedKey, SealedKey.scope_key_id == ScopeKey.id)
            .where(SealedKey.recipient_user_id == org.admin.user_id)
        ).all()
        assert held == [True]  # the access key (access requests) and no team's key
        with pytest.raises(PermissionDenied, match="do not hold"):
            data_cipher(session, org.admin, detail.id)


def test_an_admin_can_never_grant_keys(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        grant_service.grant(org.db, org.admin, "root", "Team A")
    with pytest.raises(PermissionDenied):
        grant_service.grant(org.db, org.admin, "sup-b", "Team A")


def test_hr_cannot_grant_a_team_key_to_an_admin(org: Org) -> None:
    with pytest.raises(ValidationFailed, match="never holds team keys"):
        grant_service.grant(org.db, org.hr, "root", "Team A")


def test_new_team_key_is_sealed_to_entitled_users_and_recovery(org: Org) -> None:
    scope_key = _team_key_row(org, "Team A")
    with org.db.transaction() as session:
        copies = session.scalars(
            select(SealedKey).where(SealedKey.scope_key_id == scope_key.id)
        ).all()
        names = {
            session.get_one(User, c.recipient_user_id).username
            for c in copies
            if c.recipient_user_id
        }
    assert names == {"hr", "manager", "sup-a"}
    assert [c.recipient_kind for c in copies].count(RecipientKind.RECOVERY) == 1


def test_the_recovery_key_opens_a_team_key_and_nothing_else_does(db: Database) -> None:
    recovery = new_recovery_key()
    org_service.initialise(
        db,
        organisation="Acme",
        site="Lyon",
        admin="root",
        hr="hr",
        password=PASSWORD,
        recovery=recovery,
    )
    hr = login(db, "hr", PASSWORD)
    org_service.add_team(db, hr, "Team A", "Lyon")
    with db.transaction() as session:
        scope_key = session.scalars(select(ScopeKey).where(ScopeKey.team_id.is_not(None))).one()
        recovery_copy = session.scalars(
            select(SealedKey).where(
                SealedKey.recipient_kind == RecipientKind.RECOVERY,
                SealedKey.scope_key_id == scope_key.id,
            )
        ).one()
    sheet = read_recovery_sheet(recovery_sheet(recovery, "Acme"))
    team_key = unseal(sheet, recovery_copy.sealed, TEAM_KEY_PURPOSE, str(scope_key.id), "recovery")
    with db.transaction() as session:
        assert team_key == unseal_scope_key(session, hr, scope_key.id)
    with pytest.raises(IntegrityFailure):
        unseal(
            new_recovery_key(),
            recovery_copy.sealed,
            TEAM_KEY_PURPOSE,
            str(scope_key.id),
            "recovery",
        )


def test_a_user_added_later_waits_until_a_holder_grants(org: Org) -> None:
    row = user_service.add_user(
        org.db,
        org.admin,
        "sup-c",
        Role.SUPERVISOR,
        FIRST_PASSWORD,
        teams=("Team A",),
    )
    assert row.pending_teams == ("Team A",)
    add_associate(org)
    sup_c = enrol(org.db, "sup-c", FIRST_PASSWORD, SUPERVISOR_PASSWORD)
    roster = list_roster(org.db, sup_c)
    assert roster.rows == ()
    assert roster.pending_teams == ("Team A",)
    with pytest.raises(PermissionDenied, match="pending"):
        get_associate(org.db, sup_c, "E100")
    assert grant_service.grant(org.db, org.hr, "sup-c", "Team A")
    assert not grant_service.grant(org.db, org.hr, "sup-c", "Team A")
    sup_c = login(org.db, "sup-c", SUPERVISOR_PASSWORD)
    assert get_associate(org.db, sup_c, "E100").last_name == "Bøe"


def _pending(org: Org, username: str) -> tuple[str, ...]:
    return {r.username: r for r in user_service.list_users(org.db, org.admin)}[
        username
    ].pending_teams


def test_an_account_made_by_it_gets_no_key_until_a_holder_vouches_for_it(org: Org) -> None:
    """IT knows the first password of every account it makes: were keys delivered to such
    accounts automatically, IT could give itself access by making one."""
    add_enrolled_user(org.db, org.admin, "hr-2", Role.HR, SUPERVISOR_PASSWORD)
    add_enrolled_user(
        org.db, org.admin, "sup-c", Role.SUPERVISOR, SUPERVISOR_PASSWORD, teams=("Team B",)
    )
    org_service.add_team(org.db, org.admin, "Team C", "Lyon", ("sup-c",))
    login(org.db, "hr", PASSWORD)  # a holder's login hands on nothing to unconfirmed accounts
    assert _pending(org, "hr-2") == ("Team A", "Team B", "Team C")
    assert _pending(org, "sup-c") == ("Team B", "Team C")
    assert grant_service.grant(org.db, org.hr, "hr-2")
    assert _pending(org, "hr-2") == ()
    assert grant_service.grant(org.db, org.hr, "sup-c", "Team B")
    assert _pending(org, "sup-c") == ("Team C",)


def test_a_supervisor_it_puts_on_another_team_waits_for_a_holder_to_vouch(org: Org) -> None:
    """The database's word that sup-a leads Team B hands nothing on: a holder's login lists
    sup-a as waiting, and the key follows once the holder vouches for the new scope."""
    with org.db.transaction() as session:
        team_b = session.scalars(select(Team).where(Team.name == "Team B")).one()
        session.add(TeamSupervisor(team_id=team_b.id, user_id=org.sup_a.user_id))
    assert _pending(org, "sup-a") == ("Team B",)
    hr = login(org.db, "hr", PASSWORD)
    assert _pending(org, "sup-a") == ("Team B",)
    assert "sup-a" in hr.waiting
    assert grant_service.grant(org.db, hr, "sup-a")
    assert _pending(org, "sup-a") == ()


def test_a_holder_naming_a_supervisor_vouches_for_them(org: Org) -> None:
    add_enrolled_user(org.db, org.admin, "sup-c", Role.SUPERVISOR, SUPERVISOR_PASSWORD)
    org_service.add_team(org.db, org.hr, "Team C", "Lyon", ("sup-c",))
    assert _pending(org, "sup-c") == ()


def test_revoke_removes_the_key_and_the_scope(org: Org) -> None:
    add_associate(org)
    grant_service.revoke(org.db, org.hr, "sup-a", "Team A")
    sup_a = login(org.db, "sup-a", SUPERVISOR_PASSWORD)
    with pytest.raises(PermissionDenied):
        get_associate(org.db, sup_a, "E100")
    with org.db.transaction() as session:
        assert (
            session.scalars(
                select(SealedKey)
                .join(ScopeKey, ScopeKey.id == SealedKey.scope_key_id)
                .where(SealedKey.recipient_user_id == sup_a.user_id, ScopeKey.team_id.is_not(None))
            ).all()
            == []
        )
        assert session.scalar(select(Associate.employee_no)) == "E100"
