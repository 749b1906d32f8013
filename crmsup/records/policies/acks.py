"""Acknowledgements of policies: by each account for itself, and by associates as a keeper
of their file records it; and who has not acknowledged the current versions yet.

Every account may acknowledge for itself (POLICY_ACKNOWLEDGE, scope self); HR, site managers
and supervisors must (`rules.MUST_ACKNOWLEDGE`), by the version's `acknowledge_by`.
Keepers (POLICY_TRACK) record an associate's acknowledgement and list who is missing, within
their scope. An acknowledgement is recorded once and never edited. Each is audited in its
transaction, each refusal too; the outstanding list is audited with counts only. From its
retirement day (`retirement`) a policy is owed by no one and acknowledged by no one.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, Team, TeamSupervisor, User
from crmsup.records.policies.content import (
    ENTITY,
    current_version,
    current_version_ids,
    is_retired,
    local_today,
    require_policy,
    retired,
    version_by_number,
)
from crmsup.records.policies.dto import (
    AssociateAcknowledgement,
    Outstanding,
    OutstandingAssociate,
    OutstandingUser,
    UserAcknowledgement,
)
from crmsup.records.policies.models import Policy, PolicyAssociateAck, PolicyUserAck, PolicyVersion
from crmsup.records.policies.rules import MUST_ACKNOWLEDGE
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.subject import checked_session
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action, Role

#: Associates who are asked to acknowledge: active or on leave, not erased.
COUNTED = (AssociateStatus.ACTIVE, AssociateStatus.LEAVE)


def acknowledge(
    db: Database,
    actor: Actor,
    title: str,
    *,
    number: int | None = None,
    now: datetime | None = None,
) -> UserAcknowledgement:
    """The actor acknowledges the current version of `title` (or version `number`, say one
    published to come into force later). A version is acknowledged once."""
    at = now or utcnow()
    with audit.denials_recorded(db, actor, "policy.acknowledge", ENTITY):
        require(actor, Action.POLICY_ACKNOWLEDGE)
    with db.transaction() as session:
        policy = require_policy(session, title)
        today = local_today(session, at)
        if is_retired(policy, today):
            raise retired(policy)
        if number is None:
            version = current_version(session, policy, today)
        else:
            version = version_by_number(session, policy, number)
        earlier = session.get(PolicyUserAck, (version.id, actor.user_id))
        if earlier is not None:
            raise ValidationFailed(
                f"you acknowledged version {version.number} of {policy.title!r} on "
                f"{earlier.acknowledged_at:%Y-%m-%d %H:%M} UTC already"
            )
        if at < version.published_at:
            raise ValidationFailed("a version cannot be acknowledged before it was published")
        session.add(PolicyUserAck(version_id=version.id, user_id=actor.user_id, acknowledged_at=at))
        late = at > version.acknowledge_by
        session.flush()
        audit.append(
            session,
            "policy.acknowledge",
            actor=actor,
            entity_type=ENTITY,
            entity_id=version.id,
            details={"number": version.number, "late": late},
        )
        return UserAcknowledgement(
            version.id, policy.title, version.number, actor.username, at, late
        )


def record_associate_acknowledgement(
    db: Database,
    actor: Actor,
    employee_no: str,
    title: str,
    *,
    acknowledged_on: date,
    today: date,
    number: int | None = None,
) -> AssociateAcknowledgement:
    """Record that the associate acknowledged the current version of `title` (or version
    `number`) on `acknowledged_on`: not after `today`, not before it was published."""
    with checked_session(
        db, actor, Action.POLICY_TRACK, "policy.track", employee_no, "associate"
    ) as (subject, session):
        policy = require_policy(session, title)
        if is_retired(policy, today):
            raise retired(policy)
        if number is None:
            version = current_version(session, policy, today)
        else:
            version = version_by_number(session, policy, number)
        if acknowledged_on > today:
            raise ValidationFailed(f"{acknowledged_on:%Y-%m-%d} is after today")
        if acknowledged_on < version.published_at.date():
            raise ValidationFailed(
                f"version {version.number} of {policy.title!r} was published on "
                f"{version.published_at:%Y-%m-%d}, after {acknowledged_on:%Y-%m-%d}"
            )
        if session.get(PolicyAssociateAck, (version.id, subject.associate_id)) is not None:
            raise ValidationFailed(
                f"associate {subject.employee_no} has already acknowledged version "
                f"{version.number} of {policy.title!r}"
            )
        session.add(
            PolicyAssociateAck(
                version_id=version.id,
                associate_id=subject.associate_id,
                acknowledged_on=acknowledged_on,
                recorded_by=actor.user_id,
                recorded_at=utcnow(),
            )
        )
        session.flush()
        audit.append(
            session,
            "policy.track",
            actor=actor,
            entity_type=ENTITY,
            entity_id=version.id,
            details={"associate": str(subject.associate_id), "number": version.number},
        )
        return AssociateAcknowledgement(
            version.id,
            policy.title,
            version.number,
            subject.employee_no,
            acknowledged_on,
            actor.username,
        )


def associate_acknowledgements(
    db: Database, actor: Actor, employee_no: str
) -> tuple[AssociateAcknowledgement, ...]:
    """What the associate has acknowledged, newest first (audited as a count)."""
    with checked_session(
        db, actor, Action.POLICY_TRACK, "policy.acks", employee_no, "associate"
    ) as (subject, session):
        query = (
            select(PolicyAssociateAck, PolicyVersion.number, Policy.title, User.username)
            .join(PolicyVersion, PolicyVersion.id == PolicyAssociateAck.version_id)
            .join(Policy, Policy.id == PolicyVersion.policy_id)
            .join(User, User.id == PolicyAssociateAck.recorded_by)
            .where(PolicyAssociateAck.associate_id == subject.associate_id)
            .order_by(PolicyAssociateAck.acknowledged_on.desc(), Policy.title)
        )
        rows = tuple(
            AssociateAcknowledgement(
                ack.version_id, title, number, subject.employee_no, ack.acknowledged_on, who
            )
            for ack, number, title, who in session.execute(query)
        )
        audit.append(
            session,
            "policy.acks",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"acknowledgements": len(rows)},
        )
        return rows


# ---- who has not acknowledged --------------------------------------------------------------


def users_missing(
    session: Session, actor: Actor, version_ids: list[uuid.UUID], *, only_self: bool = False
) -> Select[uuid.UUID, str, Role, uuid.UUID]:
    """(user id, name, role, version id) of every account that must acknowledge and has
    not, among the accounts the actor looks after: all of them for HR, the site's managers
    and the supervisors of the actor's teams for a site manager, the supervisors of the
    actor's teams for a supervisor; or the actor alone (`only_self`)."""
    query = (
        select(User.id, User.username, User.role, PolicyVersion.id)
        .join(PolicyVersion, PolicyVersion.id.in_(version_ids))
        .outerjoin(
            PolicyUserAck,
            and_(PolicyUserAck.version_id == PolicyVersion.id, PolicyUserAck.user_id == User.id),
        )
        .where(
            PolicyUserAck.user_id.is_(None),
            User.disabled.is_(False),
            User.role.in_(MUST_ACKNOWLEDGE),
        )
    )
    if only_self:
        return query.where(User.id == actor.user_id)
    if actor.role is Role.HR:
        return query
    teams = actor_team_ids(session, actor)
    supervising = select(TeamSupervisor.user_id).where(TeamSupervisor.team_id.in_(teams))
    reach: ColumnElement[bool] = User.id.in_(supervising)
    if actor.role is Role.SITE_MANAGER and actor.site_id is not None:
        reach = or_(reach, User.site_id == actor.site_id)
    return query.where(reach)


def associates_missing(
    team_ids: set[uuid.UUID], version_ids: list[uuid.UUID]
) -> Select[uuid.UUID, str, uuid.UUID, datetime, uuid.UUID]:
    """(associate id, employee number, team id, added at, version id) of every counted
    associate of `team_ids` who has not acknowledged one of `version_ids`: one query."""
    return (
        select(
            Associate.id,
            Associate.employee_no,
            Associate.team_id,
            Associate.created_at,
            PolicyVersion.id,
        )
        .join(PolicyVersion, PolicyVersion.id.in_(version_ids))
        .outerjoin(
            PolicyAssociateAck,
            and_(
                PolicyAssociateAck.version_id == PolicyVersion.id,
                PolicyAssociateAck.associate_id == Associate.id,
            ),
        )
        .where(
            PolicyAssociateAck.associate_id.is_(None),
            Associate.team_id.in_(team_ids),
            Associate.erased_at.is_(None),
            Associate.status.in_(COUNTED),
        )
    )


def outstanding(db: Database, actor: Actor, now: datetime) -> Outstanding:
    """Who has not acknowledged the current versions in force at `now`: accounts (with their
    deadline) and associates per team, within the actor's scope. Audited with counts."""
    with audit.denials_recorded(db, actor, "policy.outstanding", ENTITY):
        require(actor, Action.POLICY_TRACK)
    with db.transaction() as session:
        current = list(current_version_ids(session, local_today(session, now)).values())
        versions = {
            v.id: (title, v)
            for v, title in session.execute(
                select(PolicyVersion, Policy.title)
                .join(Policy, Policy.id == PolicyVersion.policy_id)
                .where(PolicyVersion.id.in_(current))
            )
        }
        users = []
        for _, username, role, version_id in session.execute(
            users_missing(session, actor, current)
        ):
            title, version = versions[version_id]
            due = version.acknowledge_by
            users.append(
                OutstandingUser(username, role, title, version.number, version_id, due, now > due)
            )
        team_ids = actor_team_ids(session, actor)
        teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        associates = [
            OutstandingAssociate(teams[team_id], number, *_named(versions[version_id]), version_id)
            for _, number, team_id, _, version_id in session.execute(
                associates_missing(team_ids, current)
            )
        ]
        users.sort(key=lambda u: (u.title.casefold(), u.username))
        associates.sort(key=lambda a: (a.team, a.title.casefold(), a.employee_no))
        audit.append(
            session,
            "policy.outstanding",
            actor=actor,
            entity_type=ENTITY,
            details={"users": len(users), "associates": len(associates)},
        )
        return Outstanding(tuple(users), tuple(associates))


def _named(found: tuple[str, PolicyVersion]) -> tuple[str, int]:
    return found[0], found[1].number
