"""Individual development plans: monthly, draft → active → closed (with an outcome), with a
weekly update due each week of an active plan.

Whoever keeps the associate's file (DEVELOPMENT_WRITE: HR, the site's manager, the team's
supervisors) writes plans and their updates; DEVELOPMENT_VIEW reads them. One plan per
associate and month. Goals, updates and the outcome are encrypted under the associate's data
key; month, weeks, states and dates stay plain so that due lists need no key
(`due`). Every change is audited in its transaction with the names of the fields
it changed, every read of a plan's content as "development_plan.view", every refusal by
`subject.checked`. Each change takes the version the caller read: a stale one is refused,
naming who changed the plan since, and nothing is written. The calendar rules are in
`rules`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.content import in_file, locked_change
from crmsup.records.development.dto import NewPlan, PlanDetail, PlanRow
from crmsup.records.development.due import due_items
from crmsup.records.development.models import DevelopmentPlan, DevelopmentUpdate, PlanState
from crmsup.records.development.rules import (
    PlanStep,
    check_month,
    clean_goals,
    clean_text,
    next_state,
    plan_weeks,
)
from crmsup.records.development.updates import add_update, edit_update, update_dto
from crmsup.records.errors import IntegrityFailure, ValidationFailed
from crmsup.records.names import team_name, usernames
from crmsup.records.sealed_fields import open_json, open_text, seal_json
from crmsup.records.subject import Subject, checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

__all__ = [
    "activate_plan",
    "add_update",
    "close_plan",
    "create_plan",
    "due_items",
    "edit_update",
    "get_plan",
    "list_plans",
    "update_plan",
]

PLANS = DevelopmentPlan.__tablename__


def _goals(cipher: FieldCipher, plan: DevelopmentPlan) -> tuple[str, ...]:
    raw = open_json(cipher, PLANS, plan.id, "goals_enc", plan.goals_enc)
    if not isinstance(raw, list) or not all(isinstance(g, str) for g in raw):
        raise IntegrityFailure("the goals of a development plan do not hold what was written")
    return tuple(raw)


def _detail(
    session: Session, cipher: FieldCipher, subject: Subject, plan: DevelopmentPlan
) -> PlanDetail:
    session.flush()
    updates: Sequence[DevelopmentUpdate] = session.scalars(
        select(DevelopmentUpdate)
        .where(DevelopmentUpdate.plan_id == plan.id)
        .order_by(DevelopmentUpdate.week_of)
    ).all()
    names = usernames(session, [plan.created_by, plan.closed_by, *(u.written_by for u in updates)])
    return PlanDetail(
        id=plan.id,
        employee_no=subject.employee_no,
        team=team_name(session, subject.team_id),
        month=plan.month,
        state=plan.state,
        goals=_goals(cipher, plan),
        outcome=open_text(cipher, PLANS, plan.id, "outcome_enc", plan.outcome_enc),
        updates=tuple(update_dto(cipher, u, names) for u in updates),
        weeks=plan_weeks(plan.month),
        created_by=names[plan.created_by],
        created_at=plan.created_at,
        activated_at=plan.activated_at,
        closed_by=None if plan.closed_by is None else names[plan.closed_by],
        closed_on=plan.closed_on,
        version=plan.version,
    )


# ---- reading -----------------------------------------------------------------------------


def list_plans(db: Database, actor: Actor, employee_no: str) -> tuple[PlanRow, ...]:
    """The associate's plans, newest month first: plain columns, nothing decrypted."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "development_plan.list", employee_no, "associate"
    ) as (subject, session):
        counts = (
            select(DevelopmentUpdate.plan_id, func.count().label("n"))
            .group_by(DevelopmentUpdate.plan_id)
            .subquery()
        )
        query = (
            select(DevelopmentPlan, counts.c.n)
            .outerjoin(counts, counts.c.plan_id == DevelopmentPlan.id)
            .where(DevelopmentPlan.associate_id == subject.associate_id)
            .order_by(DevelopmentPlan.month.desc())
        )
        rows = tuple(
            PlanRow(
                p.id,
                subject.employee_no,
                p.month,
                p.state,
                n or 0,
                p.created_at,
                p.closed_on,
                p.version,
            )
            for p, n in session.execute(query)
        )
        audit.append(
            session,
            "development_plan.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"plans": len(rows)},
        )
        return rows


def get_plan(db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID) -> PlanDetail:
    """One plan with its updates, decrypted (audited as "development_plan.view")."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "development_plan.view", employee_no, "associate"
    ) as (subject, session):
        plan = in_file(session, DevelopmentPlan, subject, ref)
        detail = _detail(session, cipher_for(session, actor, subject), subject, plan)
        audit.append(
            session,
            "development_plan.view",
            actor=actor,
            entity_type="development_plan",
            entity_id=plan.id,
        )
        return detail


# ---- writing -----------------------------------------------------------------------------


def create_plan(
    db: Database, actor: Actor, employee_no: str, new: NewPlan, *, today: date
) -> PlanDetail:
    """A draft plan for the month of `new.month` (at most next month), one per month."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_WRITE, "development_plan.create", employee_no, "associate"
    ) as (subject, session):
        month = check_month(new.month, today)
        goals = clean_goals(new.goals)
        taken = select(DevelopmentPlan.id).where(
            DevelopmentPlan.associate_id == subject.associate_id, DevelopmentPlan.month == month
        )
        if session.scalar(taken) is not None:
            raise ValidationFailed(
                f"associate {subject.employee_no} already has a plan for {month:%Y-%m}"
            )
        cipher = cipher_for(session, actor, subject)
        plan = DevelopmentPlan(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            month=month,
            state=PlanState.DRAFT,
            created_by=actor.user_id,
        )
        plan.goals_enc = seal_json(cipher, PLANS, plan.id, "goals_enc", list(goals))
        session.add(plan)
        session.flush()
        audit.append(
            session,
            "development_plan.create",
            actor=actor,
            entity_type="development_plan",
            entity_id=plan.id,
            details={"associate": str(subject.associate_id), "month": f"{month:%Y-%m}"},
        )
        return _detail(session, cipher, subject, plan)


def update_plan(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    goals: Sequence[str],
    expected_version: int | None = None,
) -> PlanDetail:
    """Replace the goals of a draft or active plan; nothing is written when they are the
    same."""
    with locked_change(
        db, actor, employee_no, DevelopmentPlan, ref, "development_plan.update", expected_version
    ) as change:
        plan = change.row
        next_state(plan.state, PlanStep.EDIT)
        cleaned = clean_goals(goals)
        if cleaned != _goals(change.cipher, plan):
            plan.goals_enc = seal_json(change.cipher, PLANS, plan.id, "goals_enc", list(cleaned))
            change.record("development_plan.update", ["goals"])
        return _detail(change.session, change.cipher, change.subject, plan)


def activate_plan(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PlanDetail:
    """Draft → active: from then on an update is due each week of the plan."""
    with locked_change(
        db, actor, employee_no, DevelopmentPlan, ref, "development_plan.activate", expected_version
    ) as change:
        plan = change.row
        plan.state = next_state(plan.state, PlanStep.ACTIVATE)
        plan.activated_at = now or utcnow()
        change.record("development_plan.activate", ["state", "activated_at"])
        return _detail(change.session, change.cipher, change.subject, plan)


def close_plan(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    outcome: str,
    today: date,
    expected_version: int | None = None,
) -> PlanDetail:
    """Active → closed on `today`, with its outcome; no earlier than the plan's month."""
    with locked_change(
        db, actor, employee_no, DevelopmentPlan, ref, "development_plan.close", expected_version
    ) as change:
        plan = change.row
        after = next_state(plan.state, PlanStep.CLOSE)
        text = clean_text(outcome, "outcome", required=True)
        if today < plan.month:
            raise ValidationFailed(
                f"the plan for {plan.month:%Y-%m} cannot be closed before its month begins"
            )
        plan.state, plan.closed_by, plan.closed_on = after, actor.user_id, today
        plan.outcome_enc = change.cipher.encrypt(PLANS, "outcome_enc", str(plan.id), str(text))
        change.record("development_plan.close", ["state", "outcome", "closed_by", "closed_on"])
        return _detail(change.session, change.cipher, change.subject, plan)
