"""What is due about development plans, for the supervisor's inbox.

- "development.update": each week of an active plan that has begun on `today` and has no
  update yet, due on the week's last working day (overdue from the day after).
- "development.plan": each active associate in scope who had a plan last month and has none
  for the current month (development goes on month by month until the supervisor lets it
  end), due on the month's 5th working day. Associates never on a plan owe none: a plan is
  for someone being developed, not a monthly form for everyone.

Worked out from plain columns only (states, months, weeks, ids, employee numbers, team
names): nothing is decrypted and nothing audited. Two queries for the whole scope, whatever
its size; the calendar rules are in `rules`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, select

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.models import DevelopmentPlan, DevelopmentUpdate, PlanState
from crmsup.records.development.rules import month_start, plan_due_on, update_due_on, weeks_due
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """The actor's inbox items about development plans, by due date. A role that keeps no
    development records (IT, auditors) has none; this is not a refused request."""
    if scope_of(actor.role, Action.DEVELOPMENT_VIEW) is None:
        return ()
    month = month_start(today)
    last_month = month_start(month - timedelta(days=1))
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        if not team_ids:
            return ()
        plan_this_or_last_month = and_(
            DevelopmentPlan.associate_id == Associate.id,
            DevelopmentPlan.month.in_((month, last_month)),
        )
        query = (
            select(
                Associate.id,
                Associate.employee_no,
                Associate.status,
                Team.name,
                DevelopmentPlan.id,
                DevelopmentPlan.month,
                DevelopmentPlan.state,
                DevelopmentUpdate.week_of,
            )
            .join(Team, Team.id == Associate.team_id)
            .outerjoin(
                DevelopmentPlan,
                (DevelopmentPlan.associate_id == Associate.id)
                & ((DevelopmentPlan.state == PlanState.ACTIVE) | plan_this_or_last_month),
            )
            .outerjoin(DevelopmentUpdate, DevelopmentUpdate.plan_id == DevelopmentPlan.id)
            .where(Associate.team_id.in_(team_ids), Associate.erased_at.is_(None))
        )
        rows = session.execute(query).all()
    people: dict[uuid.UUID, tuple[str, str, AssociateStatus]] = {}
    planned: set[uuid.UUID] = set()
    continuing: set[uuid.UUID] = set()
    active: dict[uuid.UUID, tuple[uuid.UUID, date]] = {}
    written: defaultdict[uuid.UUID, set[date]] = defaultdict(set)
    for aid, number, status, team, plan_id, plan_month, state, week in rows:
        people[aid] = (number, team, status)
        if plan_id is None:
            continue
        if plan_month == month:
            planned.add(aid)
        elif plan_month == last_month and state is not PlanState.DRAFT:
            continuing.add(aid)
        if state is PlanState.ACTIVE:
            active[plan_id] = (aid, plan_month)
            if week is not None:
                written[plan_id].add(week)
    items = [
        DueItem("development.plan", plan_due_on(month), "associate", aid, number, team)
        for aid, (number, team, status) in people.items()
        if status is AssociateStatus.ACTIVE and aid in continuing and aid not in planned
    ]
    for plan_id, (aid, plan_month) in active.items():
        number, team, _ = people[aid]
        items.extend(
            DueItem(
                "development.update", update_due_on(week), "development_plan", plan_id, number, team
            )
            for week in weeks_due(plan_month, today)
            if week not in written[plan_id]
        )
    items.sort(key=lambda i: (i.due_on, i.kind, i.employee_no or ""))
    return tuple(items)
