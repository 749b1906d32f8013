"""Builders of realistic test data, shared by the tests."""

from __future__ import annotations

from dataclasses import dataclass

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.people import associates as associate_service
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import users as user_service
from crmsup.records.people.auth import enrol, login
from crmsup.records.people.dto import AssociateDetail, NewAssociate
from crmsup.security.permissions import Role

PASSWORD = "correct horse battery staple"
SUPERVISOR_PASSWORD = "supervisor's own passphrase"
#: The one-time first password IT gives every account it creates (`add_user`).
FIRST_PASSWORD = "first password from IT"


@dataclass
class Org:
    db: Database
    admin: Actor
    hr: Actor
    sup_a: Actor
    sup_b: Actor
    manager: Actor
    auditor: Actor
    #: The printable recovery sheet `init` produced (tests may use the recovery key).
    recovery_sheet: str


def add_enrolled_user(
    db: Database,
    admin: Actor,
    username: str,
    role: Role,
    password: str,
    *,
    teams: tuple[str, ...] = (),
    site: str | None = None,
) -> Actor:
    """An account as IT creates it (`user add` with FIRST_PASSWORD), enrolled by its owner
    with `password` at the first login."""
    user_service.add_user(db, admin, username, role, FIRST_PASSWORD, teams=teams, site=site)
    return enrol(db, username, FIRST_PASSWORD, password)


def build_org(db: Database) -> Org:
    made = org_service.initialise(
        db,
        organisation="Acme",
        site="Lyon",
        admin="root",
        hr="hr",
        password=PASSWORD,
        admin_password=FIRST_PASSWORD,
    )
    hr = login(db, "hr", PASSWORD)
    admin = enrol(db, "root", FIRST_PASSWORD, PASSWORD)
    add_enrolled_user(db, admin, "manager", Role.SITE_MANAGER, PASSWORD, site="Lyon")
    auditor = add_enrolled_user(db, admin, "auditor", Role.AUDITOR, PASSWORD)
    grant_service.grant(db, hr, "root")  # HR vouches for IT: the access key follows
    grant_service.grant(db, hr, "manager")
    for name, team in (("sup-a", "Team A"), ("sup-b", "Team B")):
        add_enrolled_user(db, admin, name, Role.SUPERVISOR, SUPERVISOR_PASSWORD)
        org_service.add_team(db, hr, team, "Lyon", (name,))
    return Org(
        db=db,
        admin=admin,
        hr=hr,
        sup_a=login(db, "sup-a", SUPERVISOR_PASSWORD),
        sup_b=login(db, "sup-b", SUPERVISOR_PASSWORD),
        manager=login(db, "manager", PASSWORD),
        auditor=auditor,
        recovery_sheet=made.recovery_sheet,
    )


def add_associate(
    org: Org,
    employee_no: str = "E100",
    team: str = "Team A",
    first: str = "Ørjan",
    last: str = "Bøe",
    **extra: str | None,
) -> AssociateDetail:
    return associate_service.add_associate(
        org.db,
        org.hr,
        NewAssociate(
            employee_no=employee_no,
            first_name=first,
            last_name=last,
            team=team,
            email=extra.get("email", "orjan.boe@example.org"),
            phone=extra.get("phone", "+47 22 33 44 55"),
            address=extra.get("address", "Storgata 1, Oslo"),
        ),
    )
