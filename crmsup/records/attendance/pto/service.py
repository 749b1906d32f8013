"""PTO: accrual rules per job title (HR), an associate's ledger and balance as of any day,
and HR's adjustments.

Accruals, year-end forfeits and carry-over expiries are worked out, never stored
(`rules`): a balance is always the sum of its ledger's lines, whatever the day asked
about, past or future (a projection). Ledgers and balances read plain columns only and are
audited as "pto.ledger" / "pto.balance"; an adjustment's reason is encrypted under the
associate's data key. HR alone (ATTENDANCE_RULES) sets rules and adjusts balances: the
matrix has no separate action for adjustments, and they are HR's corrections.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.attendance.content import text
from crmsup.records.attendance.models import PtoAccrualRule, PtoAdjustment
from crmsup.records.attendance.pto.dto import (
    AccrualRuleDetail,
    AccrualRuleSpec,
    AdjustmentDetail,
    PtoBalance,
    PtoLedger,
)
from crmsup.records.attendance.pto.ledger import ADJUSTMENT_SOURCE, ledger_of
from crmsup.records.attendance.pto.rules import (
    DEFAULT_ANCHOR,
    balance_on,
    check_hours,
    lowest_from,
)
from crmsup.records.database import Database
from crmsup.records.errors import StaleEdit, ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.scope import require
from crmsup.records.stale_edits import stale_edit
from crmsup.records.subject import checked, checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action, scope_of

__all__ = [
    "DEFAULT_ANCHOR",
    "accrual_rules",
    "adjust_balance",
    "pto_balance",
    "pto_ledger",
    "set_accrual_rule",
]

RULE = "pto_accrual_rule"


def _rule_detail(row: PtoAccrualRule) -> AccrualRuleDetail:
    return AccrualRuleDetail(
        row.id,
        row.job_title,
        row.effective_from,
        row.frequency,
        row.hours_per_period,
        row.cap,
        row.carry_over_max,
        row.carry_over_months,
        row.anchor_on,
        row.version,
    )


def accrual_rules(
    db: Database, actor: Actor, job_title: str | None = None
) -> tuple[AccrualRuleDetail, ...]:
    """The accrual rules (of one job title), by title and effective day; no personal data,
    for whoever may read attendance or set the rules."""
    with audit.denials_recorded(db, actor, "pto.rules.view", RULE):
        if scope_of(actor.role, Action.ATTENDANCE_RULES) is None:
            require(actor, Action.ATTENDANCE_VIEW)
    with db.transaction() as session:
        query = select(PtoAccrualRule)
        if job_title is not None:
            query = query.where(PtoAccrualRule.job_title == job_title.strip())
        query = query.order_by(PtoAccrualRule.job_title, PtoAccrualRule.effective_from)
        return tuple(_rule_detail(r) for r in session.scalars(query))


def _check_spec(spec: AccrualRuleSpec) -> str:
    title = validation.name(spec.job_title, "job title")
    check_hours(spec.hours_per_period, "hours per period", maximum=Decimal(200))
    if spec.cap is not None:
        check_hours(spec.cap, "the cap")
    if spec.carry_over_max is not None and spec.carry_over_max != 0:
        check_hours(spec.carry_over_max, "the hours carried over")
    if spec.carry_over_months is not None and not 1 <= spec.carry_over_months <= 12:
        raise ValidationFailed("carried hours expire 1 to 12 months into the new year")
    return title


def set_accrual_rule(
    db: Database, actor: Actor, spec: AccrualRuleSpec, *, expected_version: int | None = None
) -> AccrualRuleDetail:
    """HR sets a job title's rule from `spec.effective_from` on: a new rule, or a change of
    the one already starting that day (then `expected_version` guards against a stale edit)."""
    with audit.denials_recorded(db, actor, "pto.rules.set", RULE):
        require(actor, Action.ATTENDANCE_RULES)
    title = _check_spec(spec)
    rule_id: uuid.UUID | None = None
    try:
        with db.transaction() as session:
            row = session.scalars(
                select(PtoAccrualRule)
                .where(
                    PtoAccrualRule.job_title == title,
                    PtoAccrualRule.effective_from == spec.effective_from,
                )
                .with_for_update()
            ).one_or_none()
            if row is not None:
                rule_id = row.id
                if expected_version is not None and row.version != expected_version:
                    raise _stale(session, row, expected_version)
            else:
                row = PtoAccrualRule(
                    id=uuid.uuid4(),
                    job_title=title,
                    effective_from=spec.effective_from,
                    created_by=actor.user_id,
                    created_at=utcnow(),
                )
                session.add(row)
            row.frequency = spec.frequency
            row.hours_per_period = spec.hours_per_period
            row.cap, row.carry_over_max = spec.cap, spec.carry_over_max
            row.carry_over_months, row.anchor_on = spec.carry_over_months, spec.anchor_on
            session.flush()
            audit.append(
                session,
                "pto.rules.set",
                actor=actor,
                entity_type=RULE,
                entity_id=row.id,
                details={"job_title": title, "version": row.version},
            )
            return _rule_detail(row)
    except StaleDataError:
        if rule_id is None:
            raise
        with db.transaction() as session:
            current = session.get_one(PtoAccrualRule, rule_id)
            raise _stale(session, current, expected_version) from None


def _stale(session: Session, row: PtoAccrualRule, read: int | None) -> StaleEdit:
    what = f"the PTO rule of {row.job_title} from {row.effective_from}"
    return stale_edit(session, RULE, row.id, what, row.version, read)


def pto_ledger(db: Database, actor: Actor, employee_no: str, until: date) -> PtoLedger:
    """The associate's ledger up to `until` (audited as "pto.ledger", a count)."""
    with (
        checked(db, actor, Action.ATTENDANCE_VIEW, "pto.ledger", employee_no, "associate") as subj,
        db.transaction() as session,
    ):
        title, start, lines = ledger_of(session, subj.associate_id, until)
        audit.append(
            session,
            "pto.ledger",
            actor=actor,
            entity_type="associate",
            entity_id=subj.associate_id,
            details={"lines": len(lines)},
        )
        return PtoLedger(subj.employee_no, title, start, until, lines, balance_on(lines, until))


def pto_balance(db: Database, actor: Actor, employee_no: str, day: date) -> PtoBalance:
    """The balance at the end of `day`, and the lowest it goes afterwards as far as the
    approved bookings and adjustments already stored reach (audited as "pto.balance")."""
    with (
        checked(db, actor, Action.ATTENDANCE_VIEW, "pto.balance", employee_no, "associate") as subj,
        db.transaction() as session,
    ):
        _, _, lines = ledger_of(session, subj.associate_id, day, ahead=True)
        audit.append(
            session,
            "pto.balance",
            actor=actor,
            entity_type="associate",
            entity_id=subj.associate_id,
        )
        return PtoBalance(subj.employee_no, day, balance_on(lines, day), lowest_from(lines, day))


def adjust_balance(
    db: Database,
    actor: Actor,
    employee_no: str,
    hours: Decimal,
    effective_on: date,
    reason: str,
) -> AdjustmentDetail:
    """HR adds (positive) or removes (negative) hours on `effective_on`, with a reason
    (encrypted). Hours above the cap are not credited: the ledger shows what was."""
    with checked_session(
        db, actor, Action.ATTENDANCE_RULES, "pto.adjust", employee_no, "associate"
    ) as (subject, session):
        amount = check_hours(hours, "the hours of an adjustment", signed=True)
        why = text(reason, "reason")
        if why is None:
            raise ValidationFailed("an adjustment needs its reason")
        cipher = cipher_for(session, actor, subject)
        row_id = uuid.uuid4()
        row = PtoAdjustment(
            id=row_id,
            associate_id=subject.associate_id,
            effective_on=effective_on,
            hours=amount,
            reason_enc=cipher.encrypt(PtoAdjustment.__tablename__, "reason_enc", str(row_id), why),
            created_by=actor.user_id,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            "pto.adjust",
            actor=actor,
            entity_type=ADJUSTMENT_SOURCE,
            entity_id=row.id,
            details={"associate": str(subject.associate_id)},
        )
        names = usernames(session, [actor.user_id])
        return AdjustmentDetail(
            row.id,
            subject.employee_no,
            effective_on,
            amount,
            why,
            names[actor.user_id],
            row.created_at,
        )
