"""Accounts: IT creates and disables them; keys reach them from holders, never from IT."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation, vouching
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import SealedKey, Site, Team, TeamGrant, TeamSupervisor, User
from crmsup.records.people.accounts import creation_details, new_account, new_enrolment
from crmsup.records.people.dto import UserRow
from crmsup.records.people.grants import pending_team_names
from crmsup.records.people.org import site_by_name, team_by_name, user_by_name
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import USER_CREATE
from crmsup.security.permissions import Action, Role


def add_user(
    db: Database,
    actor: Actor,
    username: str,
    role: Role,
    password: str,
    *,
    teams: tuple[str, ...] = (),
    site: str | None = None,
) -> UserRow:
    """Create an account with a one-time first password and no key pair: its owner chooses
    their own password and makes the pair at the first login (`auth.enrol`), within
    ENROLMENT_VALID_FOR. Its team keys stay pending until then, and until a holder hands them
    on (`grant`, or the holder's next login)."""
    with audit.denials_recorded(db, actor, USER_CREATE, "user"):
        require(actor, Action.USER_ADD)
    username = validation.username(username)
    validation.password(password)
    if teams and role not in (Role.SUPERVISOR, Role.SITE_MANAGER):
        raise ValidationFailed("only supervisors and site managers lead teams")
    if role is Role.SITE_MANAGER and site is None:
        raise ValidationFailed("a site manager needs --site")
    enrolment = new_enrolment(uuid.uuid4(), password, actor.user_id, utcnow())
    with db.transaction() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise ValidationFailed(f"a user named {username!r} already exists")
        team_rows = [team_by_name(session, name) for name in teams]
        home: Site | None = site_by_name(session, site) if site else None
        if home is None and role is Role.SUPERVISOR and team_rows:
            home = session.get_one(Site, team_rows[0].site_id)
        user = new_account(username, role, home, enrolment.user_id)
        session.add(user)
        session.flush()
        session.add(enrolment)
        for team in team_rows:
            session.add(TeamSupervisor(team_id=team.id, user_id=user.id))
        session.flush()
        details = creation_details(user) | {"teams": [str(t.id) for t in team_rows]}
        audit.append(
            session,
            USER_CREATE,
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details=details,
        )
        return _row(session, user)


def _row(session: Session, user: User) -> UserRow:
    site = session.get(Site, user.site_id) if user.site_id else None
    teams = session.scalars(
        select(Team.name)
        .join(TeamSupervisor, TeamSupervisor.team_id == Team.id)
        .where(TeamSupervisor.user_id == user.id)
        .order_by(Team.name)
    )
    return UserRow(
        id=user.id,
        username=user.username,
        role=user.role,
        site=site.name if site else None,
        teams=tuple(teams),
        disabled=user.disabled,
        pending_teams=tuple(pending_team_names(session, user)),
    )


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    with audit.denials_recorded(db, actor, "user.list", "user"):
        require(actor, Action.USER_LIST)
    with db.transaction() as session:
        users = session.scalars(select(User).order_by(User.username))
        return [_row(session, user) for user in users]


def my_account(db: Database, actor: Actor) -> UserRow:
    with db.transaction() as session:
        return _row(session, session.get_one(User, actor.user_id))


def change_role(
    db: Database, actor: Actor, username: str, role: Role, *, site: str | None = None
) -> UserRow:
    """Give an account another role. Its team keys, grants and supervision are dropped and it
    is unconfirmed again: its new scope's keys come from a holder, never from the admin."""
    with audit.denials_recorded(db, actor, "user.role", "user"):
        require(actor, Action.USER_ROLE)
    if role is Role.SITE_MANAGER and site is None:
        raise ValidationFailed("a site manager needs --site")
    with db.transaction() as session:
        user = user_by_name(session, validation.username(username))
        if user.id == actor.user_id:
            raise ValidationFailed("you cannot change your own role")
        before = user.role
        if site is not None:
            user.site_id = site_by_name(session, site).id
        user.role = role
        user.confirmed_by = None
        user.confirmed_at = None
        for table in (TeamGrant, TeamSupervisor):
            session.execute(delete(table).where(table.user_id == user.id))
        session.execute(delete(SealedKey).where(SealedKey.recipient_user_id == user.id))
        session.flush()
        audit.append(
            session,
            "user.role",
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details={"from": before.value, "to": role.value, "fields": ["role", "site_id"]},
        )
        return _row(session, user)


def set_disabled(db: Database, actor: Actor, username: str, disabled: bool) -> UserRow:
    action = "user.disable" if disabled else "user.enable"
    with audit.denials_recorded(db, actor, action, "user"):
        require(actor, Action.USER_DISABLE)
    with db.transaction() as session:
        user = user_by_name(session, validation.username(username))
        if user.id == actor.user_id and disabled:
            raise ValidationFailed("you cannot disable your own account")
        user.disabled = disabled
        removed = 0
        if disabled:
            # Leaving takes the trust and the keys away: the account's standing ends in a
            # signed statement, and no copy of any scope key stays sealed to it.
            vouching.void(session, actor, user)
            removed = (
                session.connection()
                .execute(delete(SealedKey).where(SealedKey.recipient_user_id == user.id))
                .rowcount
            )
        session.flush()
        audit.append(
            session,
            action,
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details={"keys_removed": removed} if disabled else None,
        )
        return _row(session, user)
