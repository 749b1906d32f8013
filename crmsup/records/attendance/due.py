"""What attendance and PTO put in the supervisor's inbox, from plain columns only.

For the actor's scope, on `today`:
- "pto.request": a time-off request waiting for a decision this actor may take, due on its
  first day off or `DECIDE_WITHIN_DAYS` after it was filed, whichever is earlier;
- "attendance.threshold": an associate (not terminated) whose attendance points are at or
  above a threshold on `today`, due on the day it was crossed, with no attendance
  discipline record (not rescinded) made since.
Nothing is decrypted, so nothing is audited; a role that keeps no attendance (IT, auditors)
has nothing due here (the inbox asks every area, so this is no refusal). Three queries for a
whole site: the waiting requests, the events of the window, the discipline records since.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.attendance.content import REQUEST
from crmsup.records.attendance.models import (
    AttendanceEvent,
    AttendanceKind,
    PtoRequest,
    PtoRequestState,
)
from crmsup.records.attendance.points import answers_since, history_start, point_rules_of
from crmsup.records.attendance.pto.request_rules import decision_due
from crmsup.records.attendance.rules import crossing
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """Everything due or overdue about attendance and PTO in the actor's scope, soonest first."""
    if scope_of(actor.role, Action.ATTENDANCE_VIEW) is None:
        return ()
    decides = scope_of(actor.role, Action.PTO_DECIDE) is not None
    items: list[DueItem] = []
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        if not team_ids:
            return ()
        teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        in_scope = (Associate.team_id.in_(team_ids), Associate.erased_at.is_(None))
        if decides:
            waiting = (
                select(
                    PtoRequest.id,
                    PtoRequest.created_at,
                    PtoRequest.start_on,
                    Associate.employee_no,
                    Associate.team_id,
                )
                .join(Associate, Associate.id == PtoRequest.associate_id)
                .where(PtoRequest.state == PtoRequestState.REQUESTED, *in_scope)
            )
            for request_id, filed_at, start_on, number, team_id in session.execute(waiting):
                due_on = decision_due(filed_at.date(), start_on)
                items.append(
                    DueItem("pto.request", due_on, REQUEST, request_id, number, teams[team_id])
                )

        rules = point_rules_of(session)
        events = (
            select(
                AttendanceEvent.associate_id,
                AttendanceEvent.occurred_on,
                AttendanceEvent.kind,
                Associate.employee_no,
                Associate.team_id,
            )
            .join(Associate, Associate.id == AttendanceEvent.associate_id)
            .where(
                AttendanceEvent.occurred_on >= history_start(rules, today),
                AttendanceEvent.occurred_on <= today,
                Associate.status != AssociateStatus.TERMINATED,
                *in_scope,
            )
        )
        found: defaultdict[uuid.UUID, list[tuple[date, AttendanceKind]]] = defaultdict(list)
        who: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}
        for associate_id, on, kind, number, team_id in session.execute(events):
            found[associate_id].append((on, kind))
            who[associate_id] = (number, team_id)
        crossings = {}
        for associate_id, history in found.items():
            crossed = crossing(history, rules, today)
            if crossed is not None:
                crossings[associate_id] = crossed.crossed_on
        answered = answers_since(session, crossings)
        for associate_id, crossed_on in crossings.items():
            if associate_id not in answered:
                number, team_id = who[associate_id]
                items.append(
                    DueItem(
                        "attendance.threshold",
                        crossed_on,
                        "associate",
                        associate_id,
                        number,
                        teams[team_id],
                    )
                )
    items.sort(key=lambda item: (item.due_on, item.kind, item.employee_no or ""))
    return tuple(items)
