"""Associates: the people on a team. Names and contact details are encrypted under each
associate's data key, itself wrapped by the team key."""

from __future__ import annotations

import uuid
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import IntegrityFailure, NotFound, PermissionDenied, ValidationFailed
from crmsup.records.keyring import (
    DATA_KEY_PURPOSE,
    data_cipher,
    new_data_key,
    team_scope_key,
    unseal_scope_key,
)
from crmsup.records.models import Associate, AssociateKey, ScopeKey, SealedKey, Site, Team
from crmsup.records.people.dto import AssociateDetail, NewAssociate, Roster, RosterRow
from crmsup.records.people.org import team_by_name
from crmsup.records.scope import actor_team_ids, require, require_team
from crmsup.security import wrapping
from crmsup.security.fields import FieldCipher, decrypt_with
from crmsup.security.permissions import Action

TABLE = Associate.__tablename__
#: Encrypted columns and the DTO fields they fill.
ENCRYPTED = {
    "first_name": "first_name_enc",
    "last_name": "last_name_enc",
    "preferred_name": "preferred_name_enc",
    "email": "email_enc",
    "phone": "phone_enc",
    "address": "address_enc",
    "date_of_birth": "date_of_birth_enc",
}


def _clean(new: NewAssociate) -> NewAssociate:
    return NewAssociate(
        employee_no=validation.employee_no(new.employee_no),
        first_name=validation.name(new.first_name, "first name"),
        last_name=validation.name(new.last_name, "last name"),
        team=new.team,
        preferred_name=validation.optional_text(new.preferred_name, "preferred name"),
        email=validation.email(new.email),
        phone=validation.phone(new.phone),
        address=validation.optional_text(new.address, "address"),
        date_of_birth=new.date_of_birth,
        job_title=validation.optional_text(new.job_title, "job title", max_length=200),
        hire_date=new.hire_date,
    )


def add_associate(db: Database, actor: Actor, new: NewAssociate) -> AssociateDetail:
    new = _clean(new)
    with (
        audit.denials_recorded(db, actor, "associate.create", "associate"),
        db.transaction() as session,
    ):
        require_team(session, actor, Action.ASSOCIATE_ADD, team_by_name(session, new.team))
    try:
        with db.transaction() as session:
            team = team_by_name(session, new.team)
            taken = select(Associate.id).where(Associate.employee_no == new.employee_no)
            if session.scalar(taken) is not None:
                raise ValidationFailed(f"employee number {new.employee_no} is already in use")
            associate_id = uuid.uuid4()
            cipher = new_data_key(session, actor, associate_id, team_scope_key(session, team.id).id)
            values: dict[str, bytes | None] = {}
            for field, column in ENCRYPTED.items():
                value = getattr(new, field)
                text = value.isoformat() if isinstance(value, date) else value
                values[column] = (
                    None if text is None else cipher.encrypt(TABLE, column, str(associate_id), text)
                )
            session.add(
                Associate(
                    id=associate_id,
                    employee_no=new.employee_no,
                    team_id=team.id,
                    job_title=new.job_title,
                    hire_date=new.hire_date,
                    **values,
                )
            )
            session.flush()
            audit.append(
                session,
                "associate.create",
                actor=actor,
                entity_type="associate",
                entity_id=associate_id,
                details={"team": str(team.id), "fields": sorted(_given_fields(new))},
            )
            return _detail(session, actor, session.get_one(Associate, associate_id))
    except IntegrityError:
        raise ValidationFailed(f"employee number {new.employee_no} is already in use") from None


def _given_fields(new: NewAssociate) -> list[str]:
    """Names (never values) of the fields a new associate was given."""
    return [f for f in (*ENCRYPTED, "job_title", "hire_date") if getattr(new, f) is not None]


def _open(cipher: FieldCipher, associate: Associate, field: str) -> str | None:
    column = ENCRYPTED[field]
    blob: bytes | None = getattr(associate, column)
    return None if blob is None else cipher.decrypt(TABLE, column, str(associate.id), blob)


def _required(blob: bytes | None) -> bytes:
    """A name every associate has until erased: missing means tampering (fail closed)."""
    if blob is None:
        raise IntegrityFailure("an encrypted value is missing")
    return blob


def _detail(session: Session, actor: Actor, associate: Associate) -> AssociateDetail:
    if associate.erased_at is not None:
        raise NotFound(
            f"associate {associate.employee_no} was erased on {associate.erased_at:%Y-%m-%d}; "
            "only a tombstone remains (employee number, team, status, dates)"
        )
    return detail_with(session, data_cipher(session, actor, associate.id), associate)


def detail_with(session: Session, cipher: FieldCipher, associate: Associate) -> AssociateDetail:
    """The associate decrypted with their data key `cipher` (already opened by the caller,
    who checked the actor may read them and that they were not erased)."""
    team, site = session.execute(
        select(Team.name, Site.name)
        .join(Site, Site.id == Team.site_id)
        .where(Team.id == associate.team_id)
    ).one()
    row_id = str(associate.id)
    first = cipher.decrypt(TABLE, "first_name_enc", row_id, _required(associate.first_name_enc))
    last = cipher.decrypt(TABLE, "last_name_enc", row_id, _required(associate.last_name_enc))
    born = _open(cipher, associate, "date_of_birth")
    return AssociateDetail(
        id=associate.id,
        employee_no=associate.employee_no,
        first_name=first,
        last_name=last,
        preferred_name=_open(cipher, associate, "preferred_name"),
        email=_open(cipher, associate, "email"),
        phone=_open(cipher, associate, "phone"),
        address=_open(cipher, associate, "address"),
        date_of_birth=date.fromisoformat(born) if born else None,
        team=team,
        site=site,
        status=associate.status,
        job_title=associate.job_title,
        hire_date=associate.hire_date,
        termination_date=associate.termination_date,
        version=associate.version,
    )


def get_associate(db: Database, actor: Actor, employee_no: str) -> AssociateDetail:
    employee_no = validation.employee_no(employee_no)
    with db.transaction() as session:
        associate = session.scalars(
            select(Associate).where(Associate.employee_no == employee_no)
        ).one_or_none()
        if associate is None:
            raise NotFound(f"there is no associate with employee number {employee_no}")
        associate_id, team_id = associate.id, associate.team_id
    with audit.denials_recorded(db, actor, "associate.view", "associate", associate_id):
        require(actor, Action.ASSOCIATE_VIEW)
        with db.transaction() as session:
            if team_id not in actor_team_ids(session, actor):
                raise PermissionDenied(f"associate {employee_no} is outside your scope")
            detail = _detail(session, actor, session.get_one(Associate, associate_id))
            audit.append(
                session,
                "associate.view",
                actor=actor,
                entity_type="associate",
                entity_id=associate_id,
            )
            return detail


def list_roster(db: Database, actor: Actor, team_name: str | None = None) -> Roster:
    """Every associate the actor may see, decrypted for the roster, sorted by employee number.
    Erased associates (tombstones: no data key, no ciphertext) are left out.

    The hot path of the app's first screen: one query of light tuples, one unwrap and three
    field decryptions per associate, with the AAD built inline (see bench/open_roster.py).
    The query runs on the session's connection (Core, not the ORM's loader), so its rows
    stream from the cursor instead of being held whole: fewer objects alive at once, and the
    garbage collector has less to walk while the roster is built.
    """
    with audit.denials_recorded(db, actor, "roster.view", "team"):
        require(actor, Action.ASSOCIATE_LIST)
        with db.transaction() as session:
            team_ids = actor_team_ids(session, actor)
            if team_name is not None:
                team = team_by_name(session, team_name)
                if team.id not in team_ids:
                    raise PermissionDenied(f"team {team.name} is outside your scope")
                team_ids = {team.id}
    with db.transaction() as session:
        scope_teams = dict(
            session.execute(
                select(ScopeKey.id, Team.name)
                .join(Team, Team.id == ScopeKey.team_id)
                .where(Team.id.in_(team_ids))
            ).all()
        )
        held = set(
            session.scalars(
                select(SealedKey.scope_key_id).where(
                    SealedKey.recipient_user_id == actor.user_id,
                    SealedKey.scope_key_id.in_(list(scope_teams)),
                )
            )
        )
        pending = tuple(sorted(name for sk, name in scope_teams.items() if sk not in held))
        teams = {sk: name for sk, name in scope_teams.items() if sk in held}
        team_aeads = {sk: AESGCM(unseal_scope_key(session, actor, sk)) for sk in teams}
        rows = session.connection().execute(
            select(
                Associate.id,
                Associate.employee_no,
                Associate.status,
                Associate.job_title,
                Associate.hire_date,
                Associate.first_name_enc,
                Associate.last_name_enc,
                Associate.preferred_name_enc,
                AssociateKey.key_id,
                AssociateKey.scope_key_id,
                AssociateKey.wrapped,
            )
            .join(AssociateKey, AssociateKey.associate_id == Associate.id)
            .where(AssociateKey.scope_key_id.in_(list(teams)), Associate.erased_at.is_(None))
            .order_by(Associate.employee_no)
        )
        out: list[RosterRow] = []
        for aid, number, status, title, hired, first, last, preferred, key_id, sk, wrapped in rows:
            row_id = str(aid)
            data_key = decrypt_with(
                team_aeads[sk],
                wrapping.key_aad(DATA_KEY_PURPOSE, f"associate:{row_id}", f"scope:{sk}"),
                wrapped,
            )
            cipher = FieldCipher(data_key, str(key_id))
            out.append(
                RosterRow(
                    id=aid,
                    employee_no=number,
                    first_name=cipher.decrypt(TABLE, "first_name_enc", row_id, _required(first)),
                    last_name=cipher.decrypt(TABLE, "last_name_enc", row_id, _required(last)),
                    preferred_name=None
                    if preferred is None
                    else cipher.decrypt(TABLE, "preferred_name_enc", row_id, preferred),
                    team=teams[sk],
                    status=status,
                    job_title=title,
                    hire_date=hired,
                )
            )
        audit.append(
            session,
            "roster.view",
            actor=actor,
            entity_type="team",
            entity_id=None if len(team_ids) != 1 else next(iter(team_ids)),
            details={"associates": len(out)},
        )
        return Roster(tuple(out), pending)
