"""Listing access requests: a queue from plain columns only, with its ageing.

Nothing is decrypted, so IT's queue of a whole organisation costs one query, and a keeper
without the access key yet still sees what waits. The list is audited as "access.list" (a
count), since it shows whose access is being changed.
"""

from __future__ import annotations

from datetime import date

from crmsup.records import audit
from crmsup.records.access.content import ENTITY, row_query, rows_of
from crmsup.records.access.dto import AccessRequestRow
from crmsup.records.access.models import AccessRequest, AccessState
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import Associate
from crmsup.records.people.org import team_by_name
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.subject import find_associate
from crmsup.security.permissions import Action, Scope


def list_requests(
    db: Database,
    actor: Actor,
    *,
    today: date,
    state: AccessState | None = None,
    team: str | None = None,
    employee_no: str | None = None,
) -> tuple[AccessRequestRow, ...]:
    """Requests within the actor's scope (IT and HR: all), newest first; optionally only
    those in `state`, of `team`, or about one associate. Ages count to `today`."""
    with audit.denials_recorded(db, actor, "access.list", ENTITY):
        scope = require(actor, Action.ACCESS_VIEW)
        with db.transaction() as session:
            team_ids = None if scope is Scope.ORG else actor_team_ids(session, actor)
            if team is not None:
                found = team_by_name(session, team)
                if team_ids is not None and found.id not in team_ids:
                    raise PermissionDenied(f"team {found.name} is outside your scope")
                team_ids = {found.id}
            number = None if employee_no is None else find_associate(session, employee_no)
            if number is not None and team_ids is not None and number.team_id not in team_ids:
                raise PermissionDenied(f"associate {number.employee_no} is outside your scope")
    with db.transaction() as session:
        query = row_query().order_by(AccessRequest.filed_at.desc(), AccessRequest.id)
        if team_ids is not None:
            query = query.where(Associate.team_id.in_(team_ids))
        if state is not None:
            query = query.where(AccessRequest.state == AccessState(state))
        if number is not None:
            query = query.where(AccessRequest.associate_id == number.associate_id)
        rows = rows_of(session, query, today)
        audit.append(
            session,
            "access.list",
            actor=actor,
            entity_type=ENTITY,
            details={"requests": len(rows), "teams": 0 if team_ids is None else len(team_ids)},
        )
        return rows
