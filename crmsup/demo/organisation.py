"""The demo's structure and accounts, made with the real services.

`root` (admin) and `hr` come from `org_service.initialise`; the further sites, the site
managers, the auditor and the supervisors from `user_service.add_user`; HR vouches for each
site manager (`grant_service.grant`) before the teams exist, and names each supervisor in
`org_service.add_team`, which confirms them. So every team's key is sealed, at its creation,
to HR, the site's manager, the team's supervisor and the recovery key — as for a real team,
with every step in the audit trail.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from crmsup.demo.plan import ORGANISATION, OrgPlan
from crmsup.demo.rows import Staff
from crmsup.records import keyring
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import ScopeKey, Team, User
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.people.auth import enrol, login
from crmsup.security.permissions import Role

ADMIN = "root"
HR = "hr"
AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class Login:
    """An account the demo made, as the summary lists it (all share one password)."""

    username: str
    role: Role
    site: str | None
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoOrg:
    """The accounts that write the demo's data, and what the bulk writers need to know."""

    admin: Actor
    hr: Actor
    staff: Staff
    logins: tuple[Login, ...]
    #: Each team's key, unsealed with HR's key, by team number; forgotten with `forget`.
    team_keys: tuple[bytes, ...]

    def forget(self) -> None:
        """Drop every key this process opened (the team keys live in HR's actor cache)."""
        self.hr.lock()
        self.admin.lock()


def build_organisation(
    db: Database, plan: OrgPlan, password: str, recovery: X25519PrivateKey
) -> DemoOrg:
    """Create the organisation, its sites, teams and accounts; log in `root` and `hr`."""
    first = plan.sites[0]
    # The demo plays IT and every person: IT gives each account a first password, and each
    # owner enrols with the demo's password, through the same services as anyone.
    first_password = secrets.token_urlsafe(18)
    org_service.initialise(
        db,
        organisation=ORGANISATION,
        site=first.name,
        admin=ADMIN,
        hr=HR,
        password=password,
        admin_password=first_password,
        recovery=recovery,
    )
    hr = login(db, HR, password)
    admin = enrol(db, ADMIN, first_password, password)
    grant_service.grant(db, hr, ADMIN)  # HR vouches for IT: the access key follows

    def add(name: str, role: Role, site: str | None = None) -> None:
        user_service.add_user(db, admin, name, role, first_password, site=site)
        enrol(db, name, first_password, password)

    for site in plan.sites[1:]:
        org_service.add_site(db, admin, site.name)
    for site in plan.sites:
        add(site.manager, Role.SITE_MANAGER, site.name)
        grant_service.grant(db, hr, site.manager)  # HR vouches: keys reach them with each team
    add(AUDITOR, Role.AUDITOR)
    for team in plan.teams:
        add(team.supervisor, Role.SUPERVISOR, team.site)
        org_service.add_team(db, hr, team.name, team.site, (team.supervisor,))
    staff, keys = _staff(db, plan, hr)
    return DemoOrg(admin, hr, staff, _logins(plan), keys)


def _logins(plan: OrgPlan) -> tuple[Login, ...]:
    out = [
        Login(ADMIN, Role.ADMIN, None, ()),
        Login(HR, Role.HR, None, ()),
        Login(AUDITOR, Role.AUDITOR, None, ()),
    ]
    out += [Login(s.manager, Role.SITE_MANAGER, s.name, ()) for s in plan.sites]
    out += [Login(t.supervisor, Role.SUPERVISOR, t.site, (t.name,)) for t in plan.teams]
    return tuple(out)


def _staff(db: Database, plan: OrgPlan, hr: Actor) -> tuple[Staff, tuple[bytes, ...]]:
    teams = plan.teams
    with db.transaction() as session:
        users: dict[str, uuid.UUID] = dict(session.execute(select(User.username, User.id)).all())
        by_name = {
            name: (team_id, scope_id)
            for name, team_id, scope_id in session.execute(
                select(Team.name, Team.id, ScopeKey.id).join(ScopeKey, ScopeKey.team_id == Team.id)
            )
        }
        team_ids = tuple(by_name[t.name][0] for t in teams)
        scope_ids = tuple(by_name[t.name][1] for t in teams)
        keys = tuple(keyring.unseal_scope_key(session, hr, scope_id) for scope_id in scope_ids)
    manager_of = {site.name: users[site.manager] for site in plan.sites}
    site_teams = {
        site.name: tuple(i for i, t in enumerate(teams) if t.site == site.name)
        for site in plan.sites
    }
    staff = Staff(
        hr=users[HR],
        team_ids=team_ids,
        scope_key_ids=scope_ids,
        supervisors=tuple(users[t.supervisor] for t in teams),
        managers=tuple(manager_of[t.site] for t in teams),
        site_teams=tuple(site_teams[t.site] for t in teams),
    )
    return staff, keys
