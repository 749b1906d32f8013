"""What policies put in the inbox, from plain columns only, at `now`:

- "policy.acknowledge" for the actor themself: a current version they must acknowledge and
  have not, due at its `acknowledge_by` (publication + the business-time window);
- "policy.acknowledge" for keepers: each associate of their scope who has not acknowledged
  a current version, due at the same time (or, for an associate added after publication, the
  window counted from their addition).

A handful of queries for a whole site, whatever its size; nothing decrypted, nothing audited.
A role that must acknowledge nothing and keeps no file (IT, auditors) has nothing due here.
Client claims' first responses are the notes area's (`notes/due.py`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Team
from crmsup.records.policies.acks import associates_missing, users_missing
from crmsup.records.policies.content import ENTITY, current_version_ids, hours_of, settings_row
from crmsup.records.policies.models import PolicyVersion
from crmsup.records.policies.rules import MUST_ACKNOWLEDGE, add_business_minutes
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of


def due_items(db: Database, actor: Actor, now: datetime) -> tuple[DueItem, ...]:
    """The actor's inbox items about policies, soonest first."""
    tracks = scope_of(actor.role, Action.POLICY_TRACK) is not None
    if actor.role not in MUST_ACKNOWLEDGE and not tracks:
        return ()
    items: list[DueItem] = []
    with db.transaction() as session:
        settings = settings_row(session)
        hours = hours_of(settings)
        tz = hours.tz

        def local_day(at: datetime) -> date:
            return at.astimezone(tz).date()

        current = list(current_version_ids(session, local_day(now)).values())
        versions: dict[uuid.UUID, tuple[datetime, datetime]] = {
            vid: (published, due)
            for vid, published, due in session.execute(
                select(
                    PolicyVersion.id, PolicyVersion.published_at, PolicyVersion.acknowledge_by
                ).where(PolicyVersion.id.in_(current))
            )
        }
        if actor.role in MUST_ACKNOWLEDGE and current:
            for *_, version_id in session.execute(
                users_missing(session, actor, current, only_self=True)
            ):
                due = versions[version_id][1]
                items.append(
                    DueItem("policy.acknowledge", local_day(due), ENTITY, version_id, None, "", due)
                )
        team_ids = actor_team_ids(session, actor) if tracks else set()
        teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        if tracks and current and team_ids:
            for _, number, team_id, added, version_id in session.execute(
                associates_missing(team_ids, current)
            ):
                published, due = versions[version_id]
                if added > published:
                    due = max(due, add_business_minutes(added, settings.ack_minutes, hours))
                items.append(
                    DueItem(
                        "policy.acknowledge",
                        local_day(due),
                        ENTITY,
                        version_id,
                        number,
                        teams[team_id],
                        due,
                    )
                )
    items.sort(key=lambda i: (i.due_at or now, i.kind, i.employee_no or ""))
    return tuple(items)
