"""Reading and verifying the audit trail (auditor, HR, admin: it holds no record content)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import User
from crmsup.records.scope import require
from crmsup.security.audit_chain import Checkpoint, Verdict, verify_chain
from crmsup.security.permissions import Action


def current_signing_keys(db: Database) -> dict[str, bytes]:
    with db.transaction() as session:
        return {
            str(user_id): bytes(key)
            for user_id, key in session.execute(select(User.id, User.signing_public))
        }


def verify(db: Database, checkpoints: Iterable[Checkpoint] = ()) -> Verdict:
    """Check every hash, every signature, the accounts' keys and the checkpoints."""
    keys = current_signing_keys(db)
    # closing(): a verdict reached early must still end the streaming cursor cleanly.
    with closing(audit.stored_entries(db)) as entries:
        return verify_chain(entries, checkpoints=checkpoints, current_keys=keys)


def verify_as(db: Database, actor: Actor, checkpoints: Iterable[Checkpoint] = ()) -> Verdict:
    """`verify` for a logged-in reader; the verification itself is recorded."""
    with audit.denials_recorded(db, actor, "audit.verify", "audit"):
        require(actor, Action.AUDIT_READ)
    verdict = verify(db, checkpoints)
    with db.transaction() as session:
        audit.append(
            session,
            "audit.verify",
            actor=actor,
            entity_type="audit",
            outcome="ok" if verdict.ok else "failed",
            details={"checked": verdict.checked, "first_bad": verdict.first_bad},
        )
    return verdict
