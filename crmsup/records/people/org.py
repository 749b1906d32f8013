"""The organisation, its sites and teams."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crmsup.records import audit, validation, vouching
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.defaults import default_levels
from crmsup.records.errors import NotFound, PermissionDenied, ValidationFailed
from crmsup.records.keyring import (
    Recipient,
    create_access_key,
    create_team_key,
    hand_access_key,
    recipients,
)
from crmsup.records.models import Organisation, Site, Team, TeamSupervisor, User
from crmsup.records.people.accounts import (
    creation_details,
    new_account,
    new_enrolment,
    new_keys,
)
from crmsup.records.people.dto import TeamRow
from crmsup.records.scope import actor_team_ids, confirm, entitled_users, require
from crmsup.records.types import utcnow
from crmsup.security import statements
from crmsup.security.audit_chain import USER_CREATE
from crmsup.security.permissions import Action, Role, Scope, scope_of
from crmsup.security.recovery import new_recovery_key, recovery_sheet
from crmsup.security.wrapping import raw_public


@dataclass(frozen=True, slots=True)
class InitResult:
    organisation: str
    #: Text of the printable recovery sheet: shown once, stored nowhere by crmsup.
    recovery_sheet: str


def initialise(
    db: Database,
    *,
    organisation: str,
    site: str,
    admin: str,
    hr: str,
    password: str,
    admin_password: str | None = None,
    recovery: X25519PrivateKey | None = None,
) -> InitResult:
    """Create the organisation, its first site, an admin and an HR account, and the recovery
    key. Refused on a database that already holds an organisation.

    `password` is the first HR account's own password; `admin_password` (by default the same)
    is the admin account's first password, with which IT enrols and chooses its own
    (`auth.enrol`).

    The caller may pass the recovery key it has already written to disk (temp file), so that
    no organisation is ever committed without its sheet existing somewhere.
    """
    organisation = validation.name(organisation, "organisation name")
    site = validation.name(site, "site name")
    admin, hr = validation.username(admin), validation.username(hr)
    if admin == hr:
        raise ValidationFailed("the admin and HR accounts need different user names")
    validation.password(password)
    admin_password = admin_password or password
    validation.password(admin_password)
    recovery = recovery or new_recovery_key()
    root_key = statements.root_signing_key(recovery)
    root_public = statements.public_bytes(root_key)
    now = utcnow()
    # Argon2id twice, before the transaction: HR's pair, IT's first password.
    hr_id, admin_id = uuid.uuid4(), uuid.uuid4()
    hr_keys_row, hr_keys = new_keys(hr_id, password, root_public)
    admin_enrolment = new_enrolment(admin_id, admin_password, hr_id, now)
    with db.transaction() as session:
        if session.scalar(select(Organisation.id).limit(1)) is not None:
            raise ValidationFailed("this database already holds an organisation")
        session.add(
            Organisation(
                name=organisation,
                recovery_public=raw_public(recovery.public_key()),
                root_public=root_public,
            )
        )
        first_site = Site(name=site)
        session.add(first_site)
        # The person setting the organisation up is its first HR account: its key pair is
        # made here, in their process, and vouched for by the root key. IT's account is
        # made as any other, with a first password and no key pair until IT enrols.
        hr_user = new_account(hr, Role.HR, None, hr_id)
        hr_user.confirmed_at = now  # the first HR account is the root of trust
        admin_user = new_account(admin, Role.ADMIN, None, admin_id)
        session.add_all([hr_user, admin_user])
        session.flush()
        session.add_all([hr_keys_row, admin_enrolment])
        session.flush()
        vouching.vouch_as_root(session, root_key, hr_user, now)
        # HR works and files access requests from day one; IT receives the key once vouched.
        create_access_key(session, [Recipient(hr_user.id, hr_keys_row.exchange_public)], None)
        # HR's own creation certifies its key; everything else of init is signed by it.
        first_hr = Actor(hr_user.id, hr, Role.HR, None, hr_keys)
        for user, keys in ((hr_user, hr_keys_row), (admin_user, None)):
            audit.append(
                session,
                USER_CREATE,
                actor=first_hr,
                entity_type="user",
                entity_id=user.id,
                details=creation_details(user, keys),
            )
        levels = default_levels()
        session.add_all(levels)
        audit.append(
            session,
            "org.init",
            actor=first_hr,
            entity_type="site",
            entity_id=first_site.id,
            details={"discipline_levels": len(levels)},
        )
        first_hr.lock()
    return InitResult(organisation, recovery_sheet(recovery, organisation))


def site_by_name(session: Session, name: str) -> Site:
    site = session.scalars(select(Site).where(Site.name == name)).one_or_none()
    if site is None:
        raise NotFound(f"there is no site named {name!r}")
    return site


def team_by_name(session: Session, name: str) -> Team:
    team = session.scalars(select(Team).where(Team.name == name)).one_or_none()
    if team is None:
        raise NotFound(f"there is no team named {name!r}")
    return team


def user_by_name(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound(f"there is no user named {username!r}")
    return user


def add_site(db: Database, actor: Actor, name: str) -> str:
    with audit.denials_recorded(db, actor, "site.create", "site"):
        require(actor, Action.SITE_ADD)
    name = validation.name(name, "site name")
    try:
        with db.transaction() as session:
            site = Site(id=uuid.uuid4(), name=name)
            session.add(site)
            session.flush()
            audit.append(session, "site.create", actor=actor, entity_type="site", entity_id=site.id)
    except IntegrityError:
        raise ValidationFailed(f"a site named {name!r} already exists") from None
    return name


def add_team(
    db: Database, actor: Actor, name: str, site_name: str, supervisors: tuple[str, ...] = ()
) -> TeamRow:
    """Create a team. Made by a holder (HR, the site's manager), its key is made with it and
    sealed at once to everyone entitled and the recovery key; prepared by IT, it has no key
    until a holder's next login makes one."""
    with audit.denials_recorded(db, actor, "team.create", "team"):
        scope = require(actor, Action.TEAM_ADD)
        if scope is Scope.SITE:
            with db.transaction() as session:
                site = site_by_name(session, site_name)
                if site.id != actor.site_id:
                    raise PermissionDenied(f"site {site.name} is outside your scope")
    name = validation.name(name, "team name")
    try:
        with db.transaction() as session:
            site = site_by_name(session, site_name)
            if session.scalar(select(Team.id).where(Team.name == name)) is not None:
                raise ValidationFailed(f"a team named {name!r} already exists")
            team = Team(name=name, site_id=site.id)
            session.add(team)
            people = [user_by_name(session, validation.username(s)) for s in supervisors]
            for person in people:
                if person.role is not Role.SUPERVISOR and person.role is not Role.SITE_MANAGER:
                    raise ValidationFailed(
                        f"{person.username} is a {person.role.value}, not a supervisor"
                    )
            session.flush()
            holder = scope_of(actor.role, Action.GRANT) is not None
            for person in people:
                session.add(TeamSupervisor(team_id=team.id, user_id=person.id))
                if holder:
                    confirm(person, actor)  # a holder naming a supervisor vouches for them
            session.flush()
            sealed_to: list[Recipient] = []
            if holder:
                for person in people:
                    # One who does not stand is left out of the key, and reported at the
                    # holder's next login; the team is made all the same.
                    with suppress(vouching.Untrusted):
                        vouching.vouch(session, actor, person)
                # The key is made here, in a holder's process. A team IT prepares has none
                # until a holder logs in (`grants.make_team_key`): IT never sees a team key.
                candidates = entitled_users(session, team)
                sealed_to = recipients(session, actor, candidates, vouching.reaches_team(team))
                create_team_key(session, team, sealed_to, actor.user_id)
            access_to = hand_access_key(session, actor, people)
            audit.append(
                session,
                "team.create",
                actor=actor,
                entity_type="team",
                entity_id=team.id,
                details={
                    "site": str(site.id),
                    "supervisors": [str(p.id) for p in people],
                    "key_sealed_to": (
                        [*sorted(str(r.user_id) for r in sealed_to), "recovery"] if holder else []
                    ),
                    "access_key_sealed_to": sorted(str(u) for u in access_to),
                },
            )
            return TeamRow(team.id, team.name, site.name, tuple(p.username for p in people))
    except IntegrityError:
        raise ValidationFailed(f"a team named {name!r} already exists") from None


def list_teams(db: Database, actor: Actor) -> list[TeamRow]:
    """Teams the actor can see: all of them for admin and HR, else the actor's scope."""
    with db.transaction() as session:
        query = select(Team, Site.name).join(Site, Site.id == Team.site_id).order_by(Team.name)
        if actor.role not in (Role.ADMIN, Role.HR, Role.AUDITOR):
            query = query.where(Team.id.in_(actor_team_ids(session, actor)))
        supervisors: dict[object, list[str]] = {}
        for team_id, username in session.execute(
            select(TeamSupervisor.team_id, User.username).join(
                User, User.id == TeamSupervisor.user_id
            )
        ):
            supervisors.setdefault(team_id, []).append(username)
        return [
            TeamRow(team.id, team.name, site_name, tuple(sorted(supervisors.get(team.id, []))))
            for team, site_name in session.execute(query)
        ]
