"""The weekly updates of a development plan: one per week of an active plan, written once
the week has begun, and rewritten while the plan is active.

The text is encrypted under the associate's data key; the week (its Monday) stays plain for
the due lists. Written and rewritten under the same rules as the plan itself
(`content.locked_change`): permission and scope checked, refusals audited, the
change audited in its transaction, a stale version refused naming who changed it since.
`service` re-exports both functions.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.content import locked_change
from crmsup.records.development.dto import WeeklyUpdate
from crmsup.records.development.models import DevelopmentPlan, DevelopmentUpdate
from crmsup.records.development.rules import PlanStep, check_week, clean_text, next_state
from crmsup.records.errors import ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.sealed_fields import open_required
from crmsup.security.fields import FieldCipher

UPDATES = DevelopmentUpdate.__tablename__


def update_dto(
    cipher: FieldCipher, u: DevelopmentUpdate, names: dict[uuid.UUID, str]
) -> WeeklyUpdate:
    text = open_required(cipher, UPDATES, u.id, "text_enc", u.text_enc)
    return WeeklyUpdate(u.id, u.week_of, text, names[u.written_by], u.written_at, u.version)


def add_update(
    db: Database,
    actor: Actor,
    employee_no: str,
    plan_ref: str | uuid.UUID,
    *,
    week_of: date,
    text: str,
    today: date,
) -> WeeklyUpdate:
    """The update of the week of Monday `week_of` on an active plan: a week of the plan that
    has begun, and not written yet (an existing one is edited with `edit_update`)."""
    with locked_change(
        db, actor, employee_no, DevelopmentPlan, plan_ref, "development_update.create", None
    ) as change:
        plan = change.row
        next_state(plan.state, PlanStep.UPDATE)
        week = check_week(plan.month, week_of)
        if week > today:
            raise ValidationFailed(f"the week of {week:%Y-%m-%d} has not begun yet")
        body = clean_text(text, "update", required=True)
        done = select(DevelopmentUpdate.id).where(
            DevelopmentUpdate.plan_id == plan.id, DevelopmentUpdate.week_of == week
        )
        if change.session.scalar(done) is not None:
            raise ValidationFailed(
                f"the week of {week:%Y-%m-%d} already has its update: edit that one"
            )
        update = DevelopmentUpdate(
            id=uuid.uuid4(),
            plan_id=plan.id,
            associate_id=change.subject.associate_id,
            week_of=week,
            written_by=actor.user_id,
        )
        update.text_enc = change.cipher.encrypt(UPDATES, "text_enc", str(update.id), str(body))
        change.session.add(update)
        change.session.flush()
        audit.append(
            change.session,
            "development_update.create",
            actor=actor,
            entity_type="development_update",
            entity_id=update.id,
            details={"plan": str(plan.id), "week": f"{week:%Y-%m-%d}"},
        )
        return update_dto(change.cipher, update, usernames(change.session, [actor.user_id]))


def edit_update(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    text: str,
    expected_version: int | None = None,
) -> WeeklyUpdate:
    """Rewrite a weekly update while its plan is active; nothing is written when the text
    is the same."""
    with locked_change(
        db,
        actor,
        employee_no,
        DevelopmentUpdate,
        ref,
        "development_update.update",
        expected_version,
    ) as change:
        update = change.row
        plan = change.session.get_one(DevelopmentPlan, update.plan_id)
        next_state(plan.state, PlanStep.UPDATE)
        body = str(clean_text(text, "update", required=True))
        old = open_required(change.cipher, UPDATES, update.id, "text_enc", update.text_enc)
        if body != old:
            update.text_enc = change.cipher.encrypt(UPDATES, "text_enc", str(update.id), body)
            change.record("development_update.update", ["text"])
        names = usernames(change.session, [update.written_by])
        return update_dto(change.cipher, update, names)
