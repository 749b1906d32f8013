"""Granting and revoking teams, and handing keys to users who are owed them.

Only a holder of a team's key can grant it: HR and site managers, never an admin (who holds
none), so IT cannot give itself or anyone else access to a file. The access key (access
requests, `keyring.access_scope_key`) travels the same way: HR or a site manager hands it to
an account they vouch for — an admin included, since IT works those requests — and never IT.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation, vouching
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.keyring import (
    ACCESS_KEY_ROLES,
    Withheld,
    access_key_entitled,
    create_team_key,
    ensure_access_key,
    hand_access_key,
    holds_key,
    recipients,
    seal_to_user,
    team_scope_key_or_none,
)
from crmsup.records.models import ScopeKey, SealedKey, Team, TeamGrant, TeamSupervisor, User
from crmsup.records.people.org import team_by_name, user_by_name
from crmsup.records.scope import actor_team_ids, confirm, entitled_users, require, team_ids_in_scope
from crmsup.security.permissions import Action, Role, Scope, scope_of


def pending_team_names(session: Session, user: User) -> list[str]:
    """Teams the user's role reaches but whose key no holder has handed them yet."""
    team_ids = team_ids_in_scope(session, user.id, user.role, user.site_id)
    if not team_ids:
        return []
    held = select(SealedKey.scope_key_id).where(SealedKey.recipient_user_id == user.id)
    query = (
        select(Team.name)
        .outerjoin(ScopeKey, ScopeKey.team_id == Team.id)
        .where(Team.id.in_(team_ids), or_(ScopeKey.id.is_(None), ScopeKey.id.not_in(held)))
        .order_by(Team.name)
    )
    return list(session.scalars(query))


def make_team_key(
    session: Session, actor: Actor, team: Team, withheld: Withheld | None = None
) -> ScopeKey:
    """Make the key of a team IT prepared, here in the holder's process, sealed to everyone
    whose statement stands and reaches it (the holder among them) and to the recovery key."""
    reach = vouching.reaches_team(team)
    holders = recipients(session, actor, entitled_users(session, team), reach, withheld)
    scope_key = create_team_key(session, team, holders, actor.user_id)
    session.flush()
    audit.append(
        session,
        "team.key",
        actor=actor,
        entity_type="team",
        entity_id=team.id,
        details={"key_sealed_to": [*sorted(str(r.user_id) for r in holders), "recovery"]},
    )
    return scope_key


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a holder's login handed on, and to whom it withheld keys, and why."""

    handed: int
    #: "user name: reason" for each account that looks tampered with (its statement does not
    #: verify, or the database says otherwise): recorded in the audit trail too.
    withheld: tuple[str, ...]
    #: User names the database says are owed a key, but whom no holder has vouched for in
    #: that scope yet: the holder's to-do (`grant`).
    waiting: tuple[str, ...]


def deliver_pending_keys(db: Database, actor: Actor) -> Delivery:
    """Seal every team key the actor holds to each user still waiting for it whose signed
    statement stands and reaches the team; make the keys of teams IT prepared.

    Runs when HR or a site manager logs in. Accounts the database says are owed a key but
    whose statement does not stand, or says otherwise, get nothing; they are recorded in the
    audit trail and listed for the holder.
    """
    delivered = 0
    withheld: Withheld = []
    with db.transaction() as session:
        for team in session.scalars(
            select(Team).where(Team.id.in_(actor_team_ids(session, actor)))
        ):
            scope_key = team_scope_key_or_none(session, team.id) or make_team_key(
                session, actor, team, withheld
            )
            if not holds_key(session, actor.user_id, scope_key.id):
                continue
            for user in entitled_users(session, team):
                if seal_to_user(session, actor, scope_key, user, withheld):
                    delivered += 1
                    audit.append(
                        session,
                        "grant",
                        actor=actor,
                        entity_type="user",
                        entity_id=user.id,
                        details={"teams": [str(team.id)], "automatic": True},
                    )
        ensure_access_key(session, actor)
        entitled = access_key_entitled(session)
        for user_id in hand_access_key(session, actor, entitled, withheld):
            delivered += 1
            audit.append(
                session,
                "grant",
                actor=actor,
                entity_type="user",
                entity_id=user_id,
                details={"teams": [], "access_key": True, "automatic": True},
            )
        reasons = {user_id: (name, why) for user_id, name, why, bad in withheld if bad}
        if reasons:
            audit.append(
                session,
                "keys.withheld",
                actor=actor,
                entity_type="user",
                details={"accounts": sorted(str(u) for u in reasons)},
            )
    notes = sorted(f"{name}: {why}" for name, why in reasons.values())
    waiting = sorted({name for _, name, _, bad in withheld if not bad})
    return Delivery(delivered, tuple(notes), tuple(waiting))


def grant(db: Database, actor: Actor, username: str, team_name: str | None = None) -> bool:
    """Vouch for `username` and hand them keys: of `team_name` (granting it if their role
    does not already reach it), or, without a team, of every team their role reaches that
    the actor holds. False when nothing changed."""
    with audit.denials_recorded(db, actor, "grant", "user"):
        require(actor, Action.GRANT)
        if team_name is not None:
            with db.transaction() as session:
                team = team_by_name(session, team_name)
                if team.id not in actor_team_ids(session, actor):
                    raise PermissionDenied(f"team {team.name} is outside your scope")
    with db.transaction() as session:
        user = user_by_name(session, validation.username(username))
        if user.disabled:
            raise ValidationFailed(f"{user.username}'s account is disabled")
        if user.role not in ACCESS_KEY_ROLES or (user.role is Role.ADMIN and team_name):
            raise ValidationFailed(
                f"a {user.role.value} account never holds team keys: it cannot read records"
            )
        confirmed = confirm(user, actor)
        in_scope = team_ids_in_scope(session, user.id, user.role, user.site_id)
        if team_name is not None:
            teams = [team_by_name(session, team_name)]
            if teams[0].id not in in_scope:
                session.add(
                    TeamGrant(team_id=teams[0].id, user_id=user.id, granted_by=actor.user_id)
                )
        session.flush()
        # Vouching first: every key below is sealed to what this statement says.
        if not vouching.vouch(session, actor, user):
            raise ValidationFailed(
                f"{user.username} has not set up their account yet (their first login, with "
                "the first password from IT): vouch for them once they have"
            )
        access_key = bool(hand_access_key(session, actor, [user]))
        if team_name is None:
            mine = actor_team_ids(session, actor)
            teams = list(session.scalars(select(Team).where(Team.id.in_(in_scope & mine))))
        handed: list[str] = []
        for team in teams:
            scope_key = team_scope_key_or_none(session, team.id) or make_team_key(
                session, actor, team
            )
            if team_name is None and not holds_key(session, actor.user_id, scope_key.id):
                continue  # another holder will hand this one on
            if seal_to_user(session, actor, scope_key, user):
                handed.append(str(team.id))
        if confirmed or handed or access_key:
            audit.append(
                session,
                "grant",
                actor=actor,
                entity_type="user",
                entity_id=user.id,
                details={
                    "teams": sorted(handed),
                    "confirmed": confirmed,
                    "automatic": False,
                    **({"access_key": True} if access_key else {}),
                },
            )
        return confirmed or bool(handed) or access_key


def revoke(db: Database, actor: Actor, username: str, team_name: str) -> None:
    """Take a team from a supervisor or a site manager of another site.

    Deletes their grant, supervision and sealed key. What they read before cannot be unread;
    re-keying a team after a revocation belongs with erasure and retention.
    """
    with audit.denials_recorded(db, actor, "revoke", "user"):
        scope = require(actor, Action.REVOKE)
        with db.transaction() as session:
            team = team_by_name(session, team_name)
            if scope is not Scope.ORG and team.id not in actor_team_ids(session, actor):
                raise PermissionDenied(f"team {team.name} is outside your scope")
    with db.transaction() as session:
        team = team_by_name(session, team_name)
        user = user_by_name(session, validation.username(username))
        if user.role is Role.HR or (
            user.role is Role.SITE_MANAGER and user.site_id == team.site_id
        ):
            raise ValidationFailed(
                f"{user.username} reaches {team.name} through their role; change the role instead"
            )
        for table in (TeamGrant, TeamSupervisor):
            session.execute(delete(table).where(table.team_id == team.id, table.user_id == user.id))
        scope_key = team_scope_key_or_none(session, team.id)
        if scope_key is not None:
            session.execute(
                delete(SealedKey).where(
                    SealedKey.scope_key_id == scope_key.id, SealedKey.recipient_user_id == user.id
                )
            )
        if scope_of(actor.role, Action.GRANT) is not None:
            # A holder's revocation is signed: the account's statement no longer names it.
            session.flush()
            with suppress(vouching.Untrusted):
                vouching.vouch(session, actor, user)
        audit.append(
            session,
            "revoke",
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details={"team": str(team.id)},
        )
