"""What is due about access requests, for the inbox.

- "access.approval": a filed request waiting for a site manager or HR (whoever reaches the
  associate's team), due `APPROVE_WITHIN_WORKING_DAYS` working days after filing;
- "access.provision": for IT, an approved request not yet provisioned, due a working day
  after its approval — a revocation on the day it takes effect (the termination date).

Worked out from plain columns only, in one query per kind whatever the size of the site: no
key, nothing decrypted, not audited. A role that neither approves nor provisions has none.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crmsup.records.access.content import ENTITY
from crmsup.records.access.models import AccessRequest, AccessState
from crmsup.records.access.rules import approval_due, provision_due
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, Team
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, Scope, scope_of


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """The actor's inbox items about access requests, by due date (`today` is unused by the
    rules but kept for the inbox's common signature: every item is listed until done)."""
    del today
    approves = scope_of(actor.role, Action.ACCESS_APPROVE)
    provisions = scope_of(actor.role, Action.ACCESS_PROVISION)
    if approves is None and provisions is None:
        return ()
    items: list[DueItem] = []
    with db.transaction() as session:
        base = (
            select(
                AccessRequest.id,
                AccessRequest.kind,
                AccessRequest.filed_at,
                AccessRequest.decided_at,
                AccessRequest.effective_on,
                Associate.employee_no,
                Team.name,
            )
            .join(Associate, Associate.id == AccessRequest.associate_id)
            .join(Team, Team.id == Associate.team_id)
        )
        if approves is not None:
            query = base.where(AccessRequest.state == AccessState.REQUESTED)
            if approves is not Scope.ORG:
                query = query.where(Associate.team_id.in_(actor_team_ids(session, actor)))
            items += [
                DueItem("access.approval", approval_due(filed.date()), ENTITY, rid, number, team)
                for rid, _, filed, _, _, number, team in session.execute(query)
            ]
        if provisions is not None:
            query = base.where(AccessRequest.state == AccessState.APPROVED)
            items += [
                DueItem(
                    "access.provision",
                    provision_due(kind, (decided or filed).date(), effective),
                    ENTITY,
                    rid,
                    number,
                    team,
                )
                for rid, kind, filed, decided, effective, number, team in session.execute(query)
            ]
    items.sort(key=lambda item: (item.due_on, item.kind, item.employee_no or ""))
    return tuple(items)
