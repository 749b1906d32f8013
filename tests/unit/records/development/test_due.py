"""What the inbox shows of development plans: the weekly updates of active plans, due on the
week's last working day, and the next month's plan of someone on a plan, due on its 5th
working day."""

from __future__ import annotations

from datetime import date

from crmsup.records.development import service as plans
from tests.factories import Org, add_associate
from tests.unit.records.development.matrix import active_plan, new_plan


def test_updates_and_plans_due_in_scope(org: Org) -> None:
    plan = active_plan(org)  # E100, Team A, November 2026
    add_associate(org, "E200", team="Team B", first="Ada", last="Lovelace")
    add_associate(org, "E300", first="Alan", last="Turing")
    new_plan(org, employee_no="E300")  # a draft for November: no updates due, plan not missing
    plans.add_update(
        org.db,
        org.hr,
        "E100",
        plan.id,
        week_of=date(2026, 11, 9),
        text="x",
        today=date(2026, 11, 23),
    )
    today = date(2026, 11, 23)
    items = plans.due_items(org.db, org.sup_a, today)
    assert [(i.kind, i.due_on, i.employee_no, i.overdue(today)) for i in items] == [
        ("development.update", date(2026, 11, 6), "E100", True),
        ("development.update", date(2026, 11, 20), "E100", True),
        ("development.update", date(2026, 11, 27), "E100", False),
    ]
    assert {i.record_id for i in items} == {plan.id}
    manager = plans.due_items(org.db, org.manager, today)
    # E200 of Team B (the manager's, not sup-a's) was never on a plan: none is owed.
    assert [i for i in manager if i.kind == "development.plan"] == []
    assert len(manager) == 3
    # In December November's active plan goes on: its next plan is owed; E300's November
    # draft never started, and E200 was never on a plan.
    december = plans.due_items(org.db, org.manager, date(2026, 12, 1))
    missing = [(i.employee_no, i.due_on, i.team) for i in december if i.kind == "development.plan"]
    assert missing == [("E100", date(2026, 12, 7), "Team A")]
    assert len([i for i in december if i.kind == "development.update"]) == 4
    assert plans.due_items(org.db, org.auditor, today) == ()
    assert plans.due_items(org.db, org.admin, today) == ()
    plans.close_plan(org.db, org.hr, "E100", plan.id, outcome="Done", today=today)
    assert plans.due_items(org.db, org.sup_a, today) == ()
