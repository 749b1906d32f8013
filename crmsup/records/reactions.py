"""What follows a termination, beyond the associate's status: closing their access.

A terminated associate's accounts and badge must be closed. Whichever way the termination
comes — HR approving a termination recommendation (`recommendation_apply`, and the demo) or
HR / a site manager setting the status (`status_service`) — this one plain function runs in
the transaction that terminates, and opens an approved revocation request for IT, due on
the termination date, listing every system provisioned and not yet revoked
(`access_revocation.open_revocation`). No registry of hooks, nothing to configure: what it
writes commits or rolls back with the termination itself.

The request is opened even when nothing was provisioned through crmsup: accounts made before
it, the badge and the equipment are on no line, and IT expects an explicit "close accounts
and badge" request rather than silence.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from crmsup.records.access.revocation import open_revocation
from crmsup.records.actor import Actor


def after_termination(
    session: Session,
    actor: Actor,
    associate_id: uuid.UUID,
    termination_date: date,
    *,
    recommendation_id: uuid.UUID | None = None,
) -> None:
    """Open the revocation of `associate_id`'s access, terminated on `termination_date`, in
    `session` (the transaction of the termination), audited as "access.request"."""
    open_revocation(
        session, actor, associate_id, termination_date, recommendation_id=recommendation_id
    )
