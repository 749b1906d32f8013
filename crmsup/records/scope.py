"""Who may reach which team: the scope half of the permission matrix, resolved in SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import Team, TeamGrant, TeamSupervisor, User
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action, Role, Scope, scope_of


def confirm(user: User, holder: Actor) -> bool:
    """Mark `user` as vouched for by a key holder; False when it already was."""
    if user.confirmed_at is not None:
        return False
    user.confirmed_by = holder.user_id
    user.confirmed_at = utcnow()
    return True


def require(actor: Actor, action: Action) -> Scope:
    """The scope in which `actor` may do `action`; PermissionDenied when the role may not."""
    scope = scope_of(actor.role, action)
    if scope is None:
        raise PermissionDenied(f"a {actor.role.value} may not do {action.value}")
    return scope


def team_ids_in_scope(
    session: Session, user_id: uuid.UUID, role: Role, site_id: uuid.UUID | None
) -> set[uuid.UUID]:
    """Every team whose records the user's role reaches (whether or not they hold its key yet)."""
    if role is Role.HR:
        return set(session.scalars(select(Team.id)))
    if role not in (Role.SITE_MANAGER, Role.SUPERVISOR):
        return set()
    teams = set(session.scalars(select(TeamGrant.team_id).where(TeamGrant.user_id == user_id)))
    teams.update(
        session.scalars(select(TeamSupervisor.team_id).where(TeamSupervisor.user_id == user_id))
    )
    if role is Role.SITE_MANAGER and site_id is not None:
        teams.update(session.scalars(select(Team.id).where(Team.site_id == site_id)))
    return teams


def actor_team_ids(session: Session, actor: Actor) -> set[uuid.UUID]:
    return team_ids_in_scope(session, actor.user_id, actor.role, actor.site_id)


def require_team(session: Session, actor: Actor, action: Action, team: Team) -> None:
    """Refuse unless the role may do `action` and the team lies within the actor's scope."""
    require(actor, action)
    if team.id not in actor_team_ids(session, actor):
        raise PermissionDenied(f"team {team.name} is outside your scope")


def entitled_users(session: Session, team: Team) -> list[User]:
    """Active users whose role, in the database, reaches `team`: HR, the site's managers, its
    supervisors and anyone granted it — the candidates for its key. Only those whose signed
    statement stands and reaches the team receive it (`keyring.recipients`)."""
    supervisors = select(TeamSupervisor.user_id).where(TeamSupervisor.team_id == team.id)
    granted = select(TeamGrant.user_id).where(TeamGrant.team_id == team.id)
    query = select(User).where(
        User.disabled.is_(False),
        (User.role == Role.HR)
        | ((User.role == Role.SITE_MANAGER) & (User.site_id == team.site_id))
        | (User.id.in_(supervisors) & User.role.in_([Role.SUPERVISOR, Role.SITE_MANAGER]))
        | (User.id.in_(granted) & User.role.in_([Role.SUPERVISOR, Role.SITE_MANAGER])),
    )
    return list(session.scalars(query))
