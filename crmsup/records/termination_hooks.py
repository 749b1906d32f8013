"""What follows an approved termination, beyond the associate's status.

A terminated associate's accounts and badges must be closed: that is a deprovisioning access
request, which the access-request issue will add. Until then this seam records, in the audit
trail, that such a request is owed ("access.deprovision_pending"), so nothing is forgotten
meanwhile and the access issue can find every termination it has to catch up on.

The seam is one plain function, called explicitly by `recommendation_apply` inside the
transaction that terminates the associate: no registry of hooks, nothing to configure. What
it writes commits or rolls back with the termination itself. The access issue replaces its
body (opening the request in the same session) and keeps its signature.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor

DEPROVISION_PENDING = "access.deprovision_pending"


def after_termination(
    session: Session,
    actor: Actor,
    associate_id: uuid.UUID,
    termination_date: date,
    *,
    recommendation_id: uuid.UUID | None = None,
) -> None:
    """Record that the access of `associate_id`, terminated on `termination_date`, must be
    withdrawn. Runs in `session`, the transaction of the termination.

    The date is not written into the entry (the trail names fields, never their values); it
    is the associate's `termination_date`, which whoever opens the request reads from there.
    """
    del termination_date  # the access-request issue schedules the request by it
    audit.append(
        session,
        DEPROVISION_PENDING,
        actor=actor,
        entity_type="associate",
        entity_id=associate_id,
        details={
            "recommendation": None if recommendation_id is None else str(recommendation_id),
            "request": "deprovision",
        },
    )
