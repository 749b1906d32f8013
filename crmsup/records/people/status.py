"""An associate's employment status: active, on leave, or terminated on a given date.

HR (every site) and site managers (their site) change it. Status and dates are plain
structural fields, so no key is needed; the change is audited as "associate.status" with the
names of the fields that changed. Optimistic locking: the caller passes the version it read
and a stale one is refused, naming who changed the record since (from the audit trail).
A termination opens, in its own transaction, the revocation of the associate's access for IT
(`reactions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, reactions, stale_edits, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.scope import require_team
from crmsup.security.permissions import Action

ACTION = "associate.status"
#: Audit actions about an associate that do not change it.
_READS = ("associate.view",)


@dataclass(frozen=True, slots=True)
class StatusChange:
    employee_no: str
    status: AssociateStatus
    termination_date: date | None
    #: The record's version after the call: pass it to the next change.
    version: int
    #: False when the associate already had this status and date (nothing was written).
    changed: bool


def check_status(
    status: AssociateStatus, termination_date: date | None, hire_date: date | None
) -> None:
    """Pure rule: a terminated associate has a termination date, on or after the hire date;
    an active one or one on leave has none."""
    if status is AssociateStatus.TERMINATED:
        if termination_date is None:
            raise ValidationFailed("a termination needs its date (YYYY-MM-DD)")
        if hire_date is not None and termination_date < hire_date:
            raise ValidationFailed("the termination date is before the hire date")
    elif termination_date is not None:
        raise ValidationFailed(
            f"only a terminated associate has a termination date, not one who is {status.value}"
        )


def stale_edit(session: Session, associate: Associate, read: int) -> StaleEdit:
    what = f"associate {associate.employee_no}"
    return stale_edits.stale_edit(session, "associate", associate.id, what, associate.version, read)


def set_status(
    db: Database,
    actor: Actor,
    employee_no: str,
    status: AssociateStatus,
    *,
    termination_date: date | None = None,
    expected_version: int | None = None,
) -> StatusChange:
    """Set the status (and, for a termination, its date). `expected_version` is the version
    the caller read (`AssociateDetail.version`); None takes the record as it is now, for a
    script that read nothing before."""
    employee_no = validation.employee_no(employee_no)
    with db.transaction() as session:
        found = session.execute(
            select(Associate.id, Associate.team_id).where(Associate.employee_no == employee_no)
        ).first()
        if found is None:
            raise NotFound(f"there is no associate with employee number {employee_no}")
        associate_id, team_id = found
    with (
        audit.denials_recorded(db, actor, ACTION, "associate", associate_id),
        db.transaction() as session,
    ):
        require_team(session, actor, Action.ASSOCIATE_STATUS, session.get_one(Team, team_id))
    try:
        with db.transaction() as session:
            associate = session.get_one(Associate, associate_id, with_for_update=True)
            if associate.erased_at is not None:
                raise ValidationFailed(
                    f"associate {employee_no} is erased: only a tombstone remains, whose status "
                    "no longer changes"
                )
            if expected_version is not None and expected_version != associate.version:
                raise stale_edit(session, associate, expected_version)
            check_status(status, termination_date, associate.hire_date)
            fields = [
                name
                for name, old, new in (
                    ("status", associate.status, status),
                    ("termination_date", associate.termination_date, termination_date),
                )
                if old != new
            ]
            if fields:
                terminates = "status" in fields and status is AssociateStatus.TERMINATED
                associate.status = status
                associate.termination_date = termination_date
                session.flush()
                audit.append(
                    session,
                    ACTION,
                    actor=actor,
                    entity_type="associate",
                    entity_id=associate_id,
                    details={"fields": fields, "version": associate.version},
                )
                if terminates and termination_date is not None:
                    # The revocation of their access, for IT: with the termination or not at all.
                    reactions.after_termination(session, actor, associate_id, termination_date)
            return StatusChange(
                employee_no, status, termination_date, associate.version, bool(fields)
            )
    except StaleDataError:
        # Another workstation committed between our read and our write.
        with db.transaction() as session:
            raise stale_edit(
                session, session.get_one(Associate, associate_id), expected_version or 0
            ) from None
