"""HR retires a policy that no longer applies.

From the retirement day (a local day, today or later) the policy has no current version:
no one is asked to acknowledge it, acknowledging it is refused, it leaves the inbox and the
outstanding lists, and no new version may be published under its title (publish the
replacement under a new title). Its versions and the acknowledgements already made stay, to
be read. A retirement is set once and never undone. Permission is HR's (POLICY_PUBLISH); the
retirement is audited in its transaction, every refusal too. Re-exported by `service`.
"""

from __future__ import annotations

from datetime import date, datetime

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.policies.content import local_today, require_policy, retirement_of
from crmsup.records.policies.dto import PolicyRetirement
from crmsup.records.policies.rules import clean_retirement
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action

#: How the audit trail names a policy as a whole (its versions are "policy_version").
POLICY_ENTITY = "policy"


def retire(
    db: Database,
    actor: Actor,
    title: str,
    on: date | None,
    reason: str,
    *,
    now: datetime | None = None,
) -> PolicyRetirement:
    """Retire the policy titled `title` from the local day `on` (today or later; None:
    today in the business zone), for `reason`. Refused, with nothing changed, for an unknown
    title, a policy already retired (or due to be), a day already past, or an empty reason."""
    with audit.denials_recorded(db, actor, "policy.retire", POLICY_ENTITY):
        require(actor, Action.POLICY_PUBLISH)
    at = now or utcnow()
    with db.transaction() as session:
        policy = require_policy(session, title, lock=True)
        if policy.retired_on is not None:
            raise ValidationFailed(
                f"policy {policy.title!r} is already retired from {policy.retired_on:%Y-%m-%d}"
            )
        today = local_today(session, at)
        on = today if on is None else on
        text = clean_retirement(reason, on, today)
        policy.retired_on, policy.retired_by = on, actor.user_id
        policy.retired_at, policy.retire_reason = at, text
        session.flush()
        audit.append(
            session,
            "policy.retire",
            actor=actor,
            entity_type=POLICY_ENTITY,
            entity_id=policy.id,
            details={"retired_on": on.isoformat()},
        )
        found = retirement_of(policy, usernames(session, [actor.user_id]))
        assert found is not None  # noqa: S101 - all four columns were just set
        return found
