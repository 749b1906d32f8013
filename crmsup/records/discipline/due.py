"""What progressive discipline puts in the supervisor's inbox, from plain columns only.

For the actor's scope, on `today`:
- "discipline.follow_up": the follow-up date of an issued or acknowledged record;
- "discipline.improvement": the date by which the improvement is expected;
- "discipline.expiry": a live period that ends within 30 days (due on `live_until`, the
  first day the record no longer counts);
- "discipline.approval": a record waiting for approval that this actor may approve (a site
  manager or HR, in scope, and not its creator), due the day after it was submitted.
Follow-ups and improvements are listed while the record is live: once it has expired or was
rescinded, neither is due any more. Nothing is decrypted, so nothing is audited; a role that
may not read discipline has nothing due here (the inbox asks every area, so no refusal).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.content import ENTITY
from crmsup.records.discipline.models import DisciplineRecord, DisciplineState
from crmsup.records.discipline.rules import EXPIRY_NOTICE_DAYS, ISSUED_STATES
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, Team
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of

_R = DisciplineRecord


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """Everything due or overdue in the actor's scope, soonest first."""
    if scope_of(actor.role, Action.DISCIPLINE_VIEW) is None:
        return ()
    may_approve = scope_of(actor.role, Action.DISCIPLINE_APPROVE) is not None
    states = [*ISSUED_STATES, *([DisciplineState.PENDING_APPROVAL] if may_approve else [])]
    with db.transaction() as session:
        teams = actor_team_ids(session, actor)
        if not teams:
            return ()
        query = (
            select(
                _R.id,
                _R.state,
                _R.follow_up_on,
                _R.improve_by,
                _R.live_until,
                _R.submitted_at,
                _R.created_by,
                Associate.employee_no,
                Team.name,
            )
            .join(Associate, Associate.id == _R.associate_id)
            .join(Team, Team.id == Associate.team_id)
            .where(
                Associate.team_id.in_(teams),
                Associate.erased_at.is_(None),
                _R.state.in_(states),
            )
        )
        rows = list(session.execute(query))
    items: list[DueItem] = []
    notice = today + timedelta(days=EXPIRY_NOTICE_DAYS)
    for rid, state, follow_up, improve_by, until, submitted, creator, number, team in rows:
        due: list[tuple[str, date]] = []
        if state in ISSUED_STATES:
            if until is not None and until <= today:
                continue  # expired: nothing more is due
            if follow_up is not None:
                due.append(("discipline.follow_up", follow_up))
            if improve_by is not None:
                due.append(("discipline.improvement", improve_by))
            if until is not None and until <= notice:
                due.append(("discipline.expiry", until))
        elif creator != actor.user_id and submitted is not None:
            due.append(("discipline.approval", submitted.date() + timedelta(days=1)))
        items.extend(DueItem(kind, on, ENTITY, rid, number, team) for kind, on in due)
    return tuple(sorted(items, key=lambda i: (i.due_on, i.kind, i.employee_no or "", i.record_id)))
