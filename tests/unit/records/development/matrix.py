"""Permission matrix walk: the executors for development plans, coaching and call monitoring.

Each executor sets up what the action needs (with `org.hr`, who may do everything on the
file) and then performs the action as the actor under test. The builders here also serve the
development tests (tests/unit/records/test_development_*.py, test_coaching_*.py,
test_scorecard_*.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.development import coaching as coaching_service
from crmsup.records.development import scorecards as scorecard_service
from crmsup.records.development import service as development_service
from crmsup.records.development.dto import (
    NewPlan,
    NewSession,
    PlanDetail,
    ScorecardDetail,
    ScorecardSpec,
)
from crmsup.records.development.scorecard_rules import ItemSpec
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

#: Monday 2 November 2026 … the plan of November 2026 has the weeks of 2, 9, 16, 23 and 30.
TODAY = date(2026, 11, 23)
NOVEMBER = date(2026, 11, 1)
GOALS = ("Average handling time under 6 minutes", "Two coaching sessions on empathy")
#: Greeting 2, resolution 3, compliance statement auto-fail (weight 1), closing 0.
ITEMS = (
    ItemSpec("Greeting and identification", 2),
    ItemSpec("Resolved the customer's issue", 3),
    ItemSpec("Read the recorded-line statement", 1, auto_fail=True),
    ItemSpec("Offered further help", 0),
)


def new_scorecard(org: Org, name: str = "Inbound calls") -> ScorecardDetail:
    return scorecard_service.create_scorecard(org.db, org.hr, ScorecardSpec(name, ITEMS))


def new_plan(
    org: Org, actor: Actor | None = None, employee_no: str = "E100", month: date = NOVEMBER
) -> PlanDetail:
    return development_service.create_plan(
        org.db, actor or org.hr, employee_no, NewPlan(month, GOALS), today=TODAY
    )


def active_plan(org: Org, actor: Actor | None = None) -> PlanDetail:
    """E100 (added here) with November's plan, activated."""
    add_associate(org)
    plan = new_plan(org, actor)
    return development_service.activate_plan(org.db, actor or org.hr, "E100", plan.id)


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    plan = new_plan(org)
    return development_service.get_plan(org.db, actor, "E100", plan.short_id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return coaching_service.create_session(
        org.db, actor, "E100", NewSession(TODAY, "Empathy on hold"), today=TODAY
    )


EXECUTORS: dict[Action, Executor] = {
    Action.DEVELOPMENT_VIEW: _view,
    Action.DEVELOPMENT_WRITE: _write,
    Action.SCORECARDS: lambda org, actor, _: scorecard_service.create_scorecard(
        org.db, actor, ScorecardSpec("Inbound calls", ITEMS)
    ),
}
