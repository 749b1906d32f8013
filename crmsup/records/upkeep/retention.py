"""Retention: how long each kind of record is kept, what is due for erasure, legal holds.

HR sets a period in months per record kind; a kind HR never set keeps its default
(`DEFAULT_MONTHS`, explained in the README's "Retention" section). An associate's file is due
for erasure once their termination date plus the period has come, unless a legal hold keeps
it. The report names associates by employee number and team only, never by name, so it can
be printed or mailed without revealing anyone's file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.dates import add_months
from crmsup.records.errors import NotFound, StaleEdit, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, RetentionPolicy, Team, User
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action


class RecordKind(StrEnum):
    """Kinds of record with a retention period. Only `ASSOCIATE` exists yet; the issues that
    add the others count their periods from their own records' dates."""

    ASSOCIATE = "associate"  # the whole file of a terminated associate
    DISCIPLINE = "discipline"
    REVIEW = "review"
    RECOMMENDATION = "recommendation"
    TRAINING = "training"
    ATTENDANCE = "attendance"
    COACHING = "coaching"
    NOTE = "note"


#: Defaults, in months; the README says why each one. HR may set any of them.
DEFAULT_MONTHS: MappingProxyType[RecordKind, int] = MappingProxyType(
    {
        RecordKind.ASSOCIATE: 84,
        RecordKind.DISCIPLINE: 36,
        RecordKind.REVIEW: 60,
        RecordKind.RECOMMENDATION: 60,
        RecordKind.TRAINING: 60,
        RecordKind.ATTENDANCE: 36,
        RecordKind.COACHING: 24,
        RecordKind.NOTE: 12,
    }
)
MAX_MONTHS = 1200  # a hundred years: anything longer is a typing error


@dataclass(frozen=True, slots=True)
class RetentionRow:
    kind: RecordKind
    months: int
    default_months: int
    #: Who set the period and when; None while the default applies.
    set_by: str | None
    set_at: datetime | None
    version: int | None


@dataclass(frozen=True, slots=True)
class DueErasure:
    employee_no: str
    team: str
    termination_date: date
    due_date: date


@dataclass(frozen=True, slots=True)
class RetentionReport:
    today: date
    months: int
    #: Terminated associates whose period has run out: erase them (`erase associate N`).
    due: tuple[DueErasure, ...]
    #: Would be due, but a legal hold keeps them; review the holds from time to time.
    held: tuple[DueErasure, ...]


def record_kind(value: str) -> RecordKind:
    try:
        return RecordKind(value.strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in RecordKind)
        raise ValidationFailed(f"unknown record kind {value!r}; the kinds are: {known}") from None


def _months(value: int) -> int:
    if not 1 <= value <= MAX_MONTHS:
        raise ValidationFailed(f"a retention period is 1 to {MAX_MONTHS} months")
    return value


def _row(kind: RecordKind, policy: RetentionPolicy | None, setter: str | None) -> RetentionRow:
    default = DEFAULT_MONTHS[kind]
    if policy is None:
        return RetentionRow(kind, default, default, None, None, None)
    return RetentionRow(kind, policy.months, default, setter, policy.set_at, policy.version)


def _policies(session: Session) -> dict[str, tuple[RetentionPolicy, str]]:
    query = select(RetentionPolicy, User.username).join(User, User.id == RetentionPolicy.set_by)
    return {policy.record_kind: (policy, name) for policy, name in session.execute(query).all()}


def months_for(session: Session, kind: RecordKind) -> int:
    months = session.scalar(
        select(RetentionPolicy.months).where(RetentionPolicy.record_kind == kind.value)
    )
    return DEFAULT_MONTHS[kind] if months is None else months


def list_policies(db: Database, actor: Actor) -> list[RetentionRow]:
    """Every record kind with its period, HR's choice or the default."""
    with audit.denials_recorded(db, actor, "retention.list", "retention"):
        require(actor, Action.RETENTION_REPORT)
    with db.transaction() as session:
        found = _policies(session)
    rows = []
    for kind in RecordKind:
        policy, setter = found.get(kind.value, (None, None))
        rows.append(_row(kind, policy, setter))
    return rows


def set_policy(
    db: Database,
    actor: Actor,
    kind_name: str,
    months: int,
    *,
    expected_version: int | None = None,
) -> RetentionRow:
    """Set the period of one kind. `expected_version` (from `list_policies`) refuses the
    change with `StaleEdit` when someone else set the period since; None takes it as it is."""
    with audit.denials_recorded(db, actor, "retention.set", "retention"):
        require(actor, Action.RETENTION_SET)
    kind, months = record_kind(kind_name), _months(months)
    with db.transaction() as session:
        policy = session.get(RetentionPolicy, kind.value, with_for_update=True)
        current = None if policy is None else policy.version
        if expected_version is not None and expected_version != current:
            who = "nobody (the default applies)"
            if policy is not None:
                setter = session.get_one(User, policy.set_by).username
                who = f"{setter} at {policy.set_at:%Y-%m-%d %H:%M} UTC"
            raise StaleEdit(
                f"the retention period of {kind.value} was changed by {who} since you read it; "
                "nothing was overwritten: read it again"
            )
        if policy is None:
            policy = RetentionPolicy(record_kind=kind.value, months=months, set_by=actor.user_id)
            session.add(policy)
        else:
            policy.months, policy.set_by, policy.set_at = months, actor.user_id, utcnow()
        session.flush()
        audit.append(
            session,
            "retention.set",
            actor=actor,
            entity_type="retention",
            entity_id=kind.value,
            details={"fields": ["months"], "months": months},
        )
        return _row(kind, policy, actor.username)


def report(db: Database, actor: Actor, *, today: date | None = None) -> RetentionReport:
    """Terminated associates whose file is due for erasure on `today` (default: today, UTC).

    Month arithmetic differs between databases, so the due dates are computed here, over the
    light (employee number, team, date) tuples of terminated associates not yet erased.
    """
    with audit.denials_recorded(db, actor, "retention.report", "retention"):
        require(actor, Action.RETENTION_REPORT)
    today = today or utcnow().date()
    with db.transaction() as session:
        months = months_for(session, RecordKind.ASSOCIATE)
        rows = session.execute(
            select(
                Associate.employee_no, Team.name, Associate.termination_date, Associate.legal_hold
            )
            .join(Team, Team.id == Associate.team_id)
            .where(
                Associate.status == AssociateStatus.TERMINATED,
                Associate.termination_date.is_not(None),
                Associate.erased_at.is_(None),
            )
            .order_by(Associate.termination_date, Associate.employee_no)
        ).all()
        due: list[DueErasure] = []
        held: list[DueErasure] = []
        for number, team, ended, hold in rows:
            if ended is None:
                continue
            line = DueErasure(number, team, ended, add_months(ended, months))
            if line.due_date <= today:
                (held if hold else due).append(line)
        audit.append(
            session,
            "retention.report",
            actor=actor,
            entity_type="retention",
            entity_id=RecordKind.ASSOCIATE.value,
            details={"due": len(due), "held": len(held), "months": months},
        )
    return RetentionReport(today, months, tuple(due), tuple(held))


def set_legal_hold(db: Database, actor: Actor, employee_no: str, held: bool) -> bool:
    """Put an associate's file on legal hold (or release it); False when it already was so.

    A held file cannot be erased. The audit entry's action says which way the flag went."""
    action = "associate.legal_hold.set" if held else "associate.legal_hold.clear"
    employee_no = validation.employee_no(employee_no)
    associate_id = _associate_id(db, employee_no)
    with audit.denials_recorded(db, actor, action, "associate", associate_id):
        require(actor, Action.LEGAL_HOLD)
    with db.transaction() as session:
        associate = session.get_one(Associate, associate_id, with_for_update=True)
        if associate.erased_at is not None:
            raise ValidationFailed(f"associate {employee_no} is erased: there is nothing to hold")
        if associate.legal_hold == held:
            return False
        associate.legal_hold = held
        session.flush()
        audit.append(
            session,
            action,
            actor=actor,
            entity_type="associate",
            entity_id=associate_id,
            details={"fields": ["legal_hold"], "version": associate.version},
        )
        return True


def _associate_id(db: Database, employee_no: str) -> uuid.UUID:
    with db.transaction() as session:
        found = session.scalar(select(Associate.id).where(Associate.employee_no == employee_no))
    if found is None:
        raise NotFound(f"there is no associate with employee number {employee_no}")
    return found
