"""Erasing an associate after retention: crypto-shredding, a tombstone, an audit entry.

Everything of a person that is encrypted is encrypted under their data key, which exists only
wrapped by the team key in `associate_keys`. Erasure deletes that row — so no one, not HR
and not the holder of the organisation recovery key, can decrypt what is left — and, in the
same transaction, deletes the rows that hang off the associate (`ERASED_ROWS`), sets every
`_enc` column of the associate to NULL and stamps `erased_at`. The tombstone keeps what is
plain (employee number, team, status, dates), so the number is never reused and the audit
trail still points at something.

Then the residue goes: on SQLite (`secure_delete` on, so freed space is zeroed) the WAL is
checkpointed and truncated, so no older page with a ciphertext or the wrapped key lingers; on
PostgreSQL `associate_keys` and `candidate_keys` are rewritten (VACUUM FULL), so the wrapped
key does not survive in a dead row version. What the server's own WAL and archives keep is
the operator's to bound (README, "Retention").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from crmsup.records import audit, schema, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database, clear_residue
from crmsup.records.dates import add_months
from crmsup.records.errors import NotFound, ValidationFailed
from crmsup.records.models import Associate, AssociateKey, AssociateStatus, ErasedRows, Team
from crmsup.records.people.auth import reauthenticate
from crmsup.records.recommendations.candidate_keys import shred_hired_as
from crmsup.records.recommendations.models import Candidate, CandidateKey
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.records.upkeep.retention import RecordKind, months_for
from crmsup.security.permissions import Action

ACTION = "associate.erase"

#: The rows deleted with an associate, each named by its column that holds the associate's
#: id, in the order they are deleted: every area's (`schema.ERASED_ROWS`), then
#: `AssociateKey`, whose deletion is the shredding itself and comes last.
ERASED_ROWS: ErasedRows = (*schema.ERASED_ROWS, AssociateKey.associate_id)

#: Every encrypted column of the associate: emptied, so the tombstone keeps no ciphertext.
ENCRYPTED_COLUMNS: tuple[str, ...] = tuple(
    column.key for column in Associate.__table__.columns if column.key.endswith("_enc")
)


@dataclass(frozen=True, slots=True)
class Erasure:
    employee_no: str
    team: str
    termination_date: date
    erased_at: datetime
    #: Rows deleted, by table.
    deleted: tuple[tuple[str, int], ...]
    #: False when the residue could not be cleared at once (another connection was reading
    #: the SQLite file, or PostgreSQL refused VACUUM): it goes at the next checkpoint.
    residue_cleared: bool


@dataclass(frozen=True, slots=True)
class ErasureTarget:
    id: uuid.UUID
    team: str
    termination_date: date


def _check(
    associate: Associate | None, employee_no: str, early: bool, months: int, today: date
) -> date:
    """Why the associate cannot be erased (ValidationFailed), else their termination date."""
    if associate is None:
        raise NotFound(f"there is no associate with employee number {employee_no}")
    if associate.erased_at is not None:
        raise ValidationFailed(
            f"associate {employee_no} was already erased on {associate.erased_at:%Y-%m-%d}"
        )
    ended = associate.termination_date
    if associate.status is not AssociateStatus.TERMINATED or ended is None:
        raise ValidationFailed(
            f"associate {employee_no} is {associate.status.value}, not terminated: only the "
            "file of a terminated associate is erased (crmsup-admin associate status)"
        )
    if associate.legal_hold:
        raise ValidationFailed(
            f"associate {employee_no} is on legal hold, which blocks erasure until HR clears "
            "it (crmsup-admin legal-hold clear)"
        )
    due = add_months(ended, months)
    if due > today and not early:
        raise ValidationFailed(
            f"associate {employee_no} is due for erasure on {due:%Y-%m-%d} ({months} months "
            "after the termination date); to erase earlier (say, on the person's request), "
            "give --early"
        )
    return ended


def check_erasable(
    db: Database, actor: Actor, employee_no: str, *, early: bool = False, today: date | None = None
) -> ErasureTarget:
    """Refuse (and record the refusal) unless `actor` may erase, and the associate may be
    erased now. Nothing is written but a refusal's audit entry."""
    employee_no = validation.employee_no(employee_no)
    with db.transaction() as session:
        associate = session.scalars(
            select(Associate).where(Associate.employee_no == employee_no)
        ).one_or_none()
        associate_id = None if associate is None else associate.id
    with audit.denials_recorded(db, actor, ACTION, "associate", associate_id):
        require(actor, Action.ERASE)
    with db.transaction() as session:
        months = months_for(session, RecordKind.ASSOCIATE)
        ended = _check(associate, employee_no, early, months, today or utcnow().date())
        assert associate is not None  # noqa: S101 - _check refused a missing one
        team = session.get_one(Team, associate.team_id).name
    return ErasureTarget(associate.id, team, ended)


def erase_associate(
    db: Database,
    actor: Actor,
    employee_no: str,
    password: str,
    *,
    early: bool = False,
    today: date | None = None,
) -> Erasure:
    """Erase a terminated associate who is due (or `early`) and not on legal hold, after
    asking `actor` (HR) for their password again. Irreversible by design."""
    employee_no = validation.employee_no(employee_no)
    today = today or utcnow().date()
    target = check_erasable(db, actor, employee_no, early=early, today=today)
    reauthenticate(db, actor, password, f"erase associate {employee_no}")
    with db.transaction() as session:
        associate = session.get(Associate, target.id, with_for_update=True)
        # Checked again under the lock: a hold or a status change may have come meanwhile.
        months = months_for(session, RecordKind.ASSOCIATE)
        _check(associate, employee_no, early, months, today)
        assert associate is not None  # noqa: S101 - _check refused a missing one
        deleted: list[tuple[str, int]] = []
        erased_at = utcnow()
        candidates = shred_hired_as(session, target.id, erased_at)
        if candidates:
            deleted.append((Candidate.__tablename__, candidates))
        for column in ERASED_ROWS:
            model = column.class_
            result = session.connection().execute(delete(model).where(column == target.id))
            if result.rowcount:
                deleted.append((model.__tablename__, result.rowcount))
        for name in ENCRYPTED_COLUMNS:
            setattr(associate, name, None)
        associate.erased_at = associate.updated_at = erased_at
        session.flush()
        audit.append(
            session,
            ACTION,
            actor=actor,
            entity_type="associate",
            entity_id=target.id,
            details={
                "fields": sorted(ENCRYPTED_COLUMNS),
                "deleted": [f"{table}:{count}" for table, count in deleted],
                "early": early,
                "version": associate.version,
            },
        )
        erased_at = associate.erased_at
    return Erasure(
        employee_no,
        target.team,
        target.termination_date,
        erased_at,
        tuple(deleted),
        clear_residue(db, (AssociateKey.__tablename__, CandidateKey.__tablename__)),
    )
