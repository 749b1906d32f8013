"""Development plans through their life cycle with weekly updates, every refused step, the
keys and the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from crmsup.records.development import service as plans
from crmsup.records.development.dto import NewPlan, PlanDetail
from crmsup.records.development.models import DevelopmentPlan, DevelopmentUpdate, PlanState
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org, add_associate
from tests.unit.records.development.matrix import GOALS, NOVEMBER, TODAY, active_plan, new_plan

SECRET = "Talked through the refund script twice"


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def _stored(org: Org, plan: PlanDetail) -> tuple[object, ...]:
    """Everything stored of a plan and its updates, to show a refusal changed nothing."""
    with org.db.transaction() as session:
        row = session.get_one(DevelopmentPlan, plan.id)
        updates = session.scalars(
            select(DevelopmentUpdate).where(DevelopmentUpdate.plan_id == plan.id)
        )
        return (
            tuple(getattr(row, c.key) for c in DevelopmentPlan.__table__.columns),
            tuple(sorted((u.week_of, u.version, u.text_enc) for u in updates)),
        )


def test_a_plan_from_draft_to_closed_with_weekly_updates(org: Org) -> None:
    add_associate(org)
    plan = new_plan(org, org.sup_a)
    assert (plan.state, plan.month, plan.goals, plan.created_by) == (
        PlanState.DRAFT,
        NOVEMBER,
        GOALS,
        "sup-a",
    )
    assert plan.weeks[-1] == date(2026, 11, 30)
    plan = plans.update_plan(
        org.db,
        org.sup_a,
        "E100",
        plan.short_id,
        goals=[*GOALS, "Shadow a senior agent"],
        expected_version=plan.version,
    )
    plan = plans.activate_plan(org.db, org.sup_a, "E100", plan.id, expected_version=plan.version)
    assert plan.state is PlanState.ACTIVE
    assert plan.activated_at is not None
    first = plans.add_update(
        org.db, org.sup_a, "E100", plan.id, week_of=date(2026, 11, 2), text=SECRET, today=TODAY
    )
    plans.add_update(
        org.db,
        org.manager,
        "E100",
        plan.id,
        week_of=date(2026, 11, 9),
        text="On track",
        today=TODAY,
    )
    edited = plans.edit_update(
        org.db, org.sup_a, "E100", first.short_id, text=SECRET + ".", expected_version=first.version
    )
    assert (edited.text, edited.version) == (SECRET + ".", first.version + 1)
    closed = plans.close_plan(
        org.db, org.sup_a, "E100", plan.id, outcome="Goals met", today=date(2026, 11, 30)
    )
    assert (closed.state, closed.outcome, closed.closed_by, closed.closed_on) == (
        PlanState.CLOSED,
        "Goals met",
        "sup-a",
        date(2026, 11, 30),
    )
    assert [(u.week_of, u.written_by) for u in closed.updates] == [
        (date(2026, 11, 2), "sup-a"),
        (date(2026, 11, 9), "manager"),
    ]
    (row,) = plans.list_plans(org.db, org.manager, "E100")
    assert (row.state, row.updates, row.month) == (PlanState.CLOSED, 2, NOVEMBER)
    seen = plans.get_plan(org.db, org.manager, "E100", plan.short_id)
    assert seen.goals[-1] == "Shadow a senior agent"
    trail = [
        (e.action, e.actor_name, json.loads(e.details).get("fields"))
        for action in (
            "development_plan.create",
            "development_plan.update",
            "development_plan.activate",
            "development_update.create",
            "development_update.update",
            "development_plan.close",
        )
        for e in _entries(org, action)
    ]
    assert trail == [
        ("development_plan.create", "sup-a", None),
        ("development_plan.update", "sup-a", ["goals"]),
        ("development_plan.activate", "sup-a", ["state", "activated_at"]),
        ("development_update.create", "sup-a", None),
        ("development_update.create", "manager", None),
        ("development_update.update", "sup-a", ["text"]),
        ("development_plan.close", "sup-a", ["state", "outcome", "closed_by", "closed_on"]),
    ]
    assert [e.actor_name for e in _entries(org, "development_plan.view")] == ["manager"]
    with org.db.transaction() as session:
        details = " ".join(session.scalars(select(AuditEntry.details)))
        stored = b"".join(
            b"".join(blob or b"" for blob in row)
            for row in session.execute(
                select(DevelopmentPlan.goals_enc, DevelopmentPlan.outcome_enc)
            )
        ) + b"".join(session.scalars(select(DevelopmentUpdate.text_enc)))
    for plain in (SECRET, "Goals met", GOALS[0], "Shadow"):
        assert plain not in details
        assert plain.encode() not in stored


def test_every_step_a_state_does_not_allow_is_refused_and_changes_nothing(org: Org) -> None:
    add_associate(org)
    draft = new_plan(org)
    before = _stored(org, draft)
    with pytest.raises(ValidationFailed, match="that is draft cannot take the step 'close'"):
        plans.close_plan(org.db, org.hr, "E100", draft.id, outcome="x", today=TODAY)
    with pytest.raises(ValidationFailed, match="that is draft cannot take the step 'update'"):
        plans.add_update(
            org.db, org.hr, "E100", draft.id, week_of=date(2026, 11, 2), text="x", today=TODAY
        )
    assert _stored(org, draft) == before
    plans.activate_plan(org.db, org.hr, "E100", draft.id)
    closed = plans.close_plan(org.db, org.hr, "E100", draft.id, outcome="Done", today=TODAY)
    before = _stored(org, closed)
    with pytest.raises(ValidationFailed, match="that is closed cannot take the step 'edit'"):
        plans.update_plan(org.db, org.hr, "E100", draft.id, goals=["x"])
    with pytest.raises(ValidationFailed, match="that is closed cannot take the step 'activate'"):
        plans.activate_plan(org.db, org.hr, "E100", draft.id)
    assert _stored(org, closed) == before


def test_updates_belong_to_a_begun_week_of_the_plan_once_each(org: Org) -> None:
    plan = active_plan(org)
    before = _stored(org, plan)
    for week, message in (
        (date(2026, 12, 7), "does not belong to the plan of 2026-11"),
        (date(2026, 11, 3), "is not one"),
        (date(2026, 11, 30), "has not begun yet"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            plans.add_update(org.db, org.hr, "E100", plan.id, week_of=week, text="x", today=TODAY)
    with pytest.raises(ValidationFailed, match="update must not be empty"):
        plans.add_update(
            org.db, org.hr, "E100", plan.id, week_of=date(2026, 11, 2), text=" ", today=TODAY
        )
    assert _stored(org, plan) == before
    plans.add_update(
        org.db, org.hr, "E100", plan.id, week_of=date(2026, 11, 2), text="x", today=TODAY
    )
    with pytest.raises(ValidationFailed, match="already has its update: edit that one"):
        plans.add_update(
            org.db, org.hr, "E100", plan.id, week_of=date(2026, 11, 2), text="y", today=TODAY
        )


def test_one_plan_a_month_with_goals_at_most_a_month_ahead(org: Org) -> None:
    plan = active_plan(org)
    with pytest.raises(ValidationFailed, match="already has a plan for 2026-11"):
        plans.create_plan(org.db, org.hr, "E100", NewPlan(date(2026, 11, 20), GOALS), today=TODAY)
    with pytest.raises(ValidationFailed, match="too far ahead"):
        plans.create_plan(org.db, org.hr, "E100", NewPlan(date(2027, 1, 4), GOALS), today=TODAY)
    with pytest.raises(ValidationFailed, match="at least one goal"):
        plans.create_plan(org.db, org.hr, "E100", NewPlan(date(2026, 12, 1), ()), today=TODAY)
    december = plans.create_plan(
        org.db, org.hr, "E100", NewPlan(date(2026, 12, 1), GOALS), today=TODAY
    )
    plans.activate_plan(org.db, org.hr, "E100", december.id)
    with pytest.raises(ValidationFailed, match="cannot be closed before its month begins"):
        plans.close_plan(org.db, org.hr, "E100", december.id, outcome="x", today=TODAY)
    assert [p.month for p in plans.list_plans(org.db, org.hr, "E100")] == [
        date(2026, 12, 1),
        plan.month,
    ]
    with pytest.raises(NotFound, match="has no development plan 0000000000"):
        plans.get_plan(org.db, org.hr, "E100", "0000000000")


def test_another_team_is_out_of_scope_and_the_refusal_is_audited(org: Org) -> None:
    plan = active_plan(org)
    before = _stored(org, plan)
    with pytest.raises(PermissionDenied, match="associate E100 is outside your scope"):
        plans.get_plan(org.db, org.sup_b, "E100", plan.id)
    with pytest.raises(PermissionDenied):
        plans.add_update(
            org.db, org.sup_b, "E100", plan.id, week_of=date(2026, 11, 2), text="x", today=TODAY
        )
    with pytest.raises(PermissionDenied):
        plans.list_plans(org.db, org.auditor, "E100")
    assert [e.outcome for e in _entries(org, "development_plan.view")] == ["denied"]
    assert [e.outcome for e in _entries(org, "development_update.create")] == ["denied"]
    assert [e.outcome for e in _entries(org, "development_plan.list")] == ["denied"]
    assert _stored(org, plan) == before


def test_a_stale_version_is_refused_naming_who_changed_it(org: Org) -> None:
    plan = active_plan(org)
    changed = plans.update_plan(org.db, org.manager, "E100", plan.id, goals=["Only this"])
    update = plans.add_update(
        org.db, org.hr, "E100", plan.id, week_of=date(2026, 11, 2), text="a", today=TODAY
    )
    plans.edit_update(org.db, org.manager, "E100", update.id, text="b")
    before = _stored(org, plan)
    with pytest.raises(StaleEdit, match=rf"changed by manager at .*version {changed.version}"):
        plans.update_plan(
            org.db, org.sup_a, "E100", plan.id, goals=["x"], expected_version=plan.version
        )
    with pytest.raises(StaleEdit, match=r"weekly update .* changed by manager"):
        plans.edit_update(
            org.db, org.sup_a, "E100", update.id, text="c", expected_version=update.version
        )
    with pytest.raises(StaleEdit):
        plans.close_plan(
            org.db,
            org.sup_a,
            "E100",
            plan.id,
            outcome="x",
            today=TODAY,
            expected_version=plan.version,
        )
    assert _stored(org, plan) == before
