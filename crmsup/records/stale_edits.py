"""The refusal of a stale edit: someone changed the record since the caller read it.

Every editable record carries a version; a change based on an older one is refused and
nothing is overwritten. The message says who made the newer change and when, as the audit
trail tells it (the trail holds no content, so naming them reveals none), so that the user
knows whom to ask before redoing their change.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.errors import StaleEdit
from crmsup.records.models import AuditEntry


def last_change(
    session: Session, entity_type: str, entity_id: uuid.UUID, unchanged: Collection[str] = ()
) -> str:
    """ "NAME at YYYY-MM-DD HH:MM UTC" of the newest successful entry about the entity that
    changed it — views (`*.view`) and the `unchanged` actions (lists, notes) do not —
    or "someone else" when the trail names none."""
    query = (
        select(AuditEntry.actor_name, AuditEntry.at)
        .where(
            AuditEntry.entity_type == entity_type,
            AuditEntry.entity_id == str(entity_id),
            AuditEntry.outcome == "ok",
            AuditEntry.action.not_like("%.view"),
        )
        .order_by(AuditEntry.sequence.desc())
        .limit(1)
    )
    if unchanged:
        query = query.where(AuditEntry.action.not_in(list(unchanged)))
    found = session.execute(query).first()
    if found is None:
        return "someone else"
    return f"{found[0] or 'someone else'} at {found[1]:%Y-%m-%d %H:%M} UTC"


def stale_edit(
    session: Session,
    entity_type: str,
    entity_id: uuid.UUID,
    what: str,
    current: int,
    read: int | None,
    unchanged: Collection[str] = (),
) -> StaleEdit:
    """StaleEdit for `what` (say "review 1a2b3c4d of associate E100"), at version `current`
    when the caller read version `read`."""
    who = last_change(session, entity_type, entity_id, unchanged)
    return StaleEdit(
        f"{what} was changed by {who} since you read it (version {current}, you read "
        f"{read}); nothing was overwritten: read it again and redo your change"
    )
