"""What client claims put in the inbox, from plain columns only, at `now`:
"claim.first_response" for each open claim of the keeper's scope, due 30 minutes after it
was received.

One query for a whole site, whatever its size; nothing decrypted, nothing audited. A role
that keeps no file (IT, auditors) has nothing due here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, Team
from crmsup.records.notes.models import ClaimState, ClientClaim
from crmsup.records.notes.rules import first_response_due
from crmsup.records.policies.service import business_zone
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of


def due_items(db: Database, actor: Actor, now: datetime) -> tuple[DueItem, ...]:
    """The actor's inbox items about client claims, soonest first."""
    if scope_of(actor.role, Action.NOTE_VIEW) is None:
        return ()
    items: list[DueItem] = []
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        if not team_ids:
            return ()
        tz = business_zone(session)
        teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        claims = session.execute(
            select(
                ClientClaim.id,
                ClientClaim.received_at,
                Associate.employee_no,
                Associate.team_id,
            )
            .join(Associate, Associate.id == ClientClaim.associate_id)
            .where(
                ClientClaim.state == ClaimState.OPEN,
                Associate.team_id.in_(team_ids),
                Associate.erased_at.is_(None),
            )
        )
        for claim_id, received, number, team_id in claims:
            due = first_response_due(received)
            items.append(
                DueItem(
                    "claim.first_response",
                    due.astimezone(tz).date(),
                    "client_claim",
                    claim_id,
                    number,
                    teams[team_id],
                    due,
                )
            )
    items.sort(key=lambda i: (i.due_at or now, i.kind, i.employee_no or ""))
    return tuple(items)
