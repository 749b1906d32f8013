"""Reading and verifying the audit trail (auditor, HR, admin: it holds no record content)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import closing
from pathlib import Path

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.checkpoints import replacing
from crmsup.records.database import Database
from crmsup.records.models import Organisation, User
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security import checkpoint_file
from crmsup.security.audit_chain import Checkpoint, Detail, Verdict, verify_chain
from crmsup.security.checkpoint_file import SignedCheckpoint
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Action
from crmsup.security.signature_pool import ParallelSignatures

VERIFY = "audit.verify"
CHECKPOINT = "audit.checkpoint"


def current_signing_keys(db: Database) -> dict[str, bytes]:
    with db.transaction() as session:
        return {
            str(user_id): bytes(key)
            for user_id, key in session.execute(select(User.id, User.signing_public))
        }


def organisation_id(db: Database) -> uuid.UUID:
    with db.transaction() as session:
        found = session.scalar(select(Organisation.id).limit(1))
    if found is None:
        raise IntegrityFailure("this database holds no organisation, so no audit trail")
    return found


def verify(
    db: Database, checkpoints: Iterable[Checkpoint] = (), *, workers: int | None = None
) -> Verdict:
    """Check every hash, every signature, the accounts' keys and the checkpoints.

    Signatures are checked by a pool of `workers` processes (default: one per processor)
    once the trail is long enough to repay starting them; the verdict is the same either way.
    """
    keys = current_signing_keys(db)
    # closing(): a verdict reached early must still end the streaming cursor cleanly.
    with closing(audit.stored_entries(db)) as entries, ParallelSignatures(workers) as verifier:
        return verify_chain(entries, checkpoints=checkpoints, current_keys=keys, verifier=verifier)


def _record_verification(
    db: Database, actor: Actor, verdict: Verdict, extra: dict[str, Detail] | None = None
) -> None:
    with db.transaction() as session:
        audit.append(
            session,
            VERIFY,
            actor=actor,
            entity_type="audit",
            outcome="ok" if verdict.ok and not extra else "failed",
            details={"checked": verdict.checked, "first_bad": verdict.first_bad} | (extra or {}),
        )


def verify_as(
    db: Database,
    actor: Actor,
    checkpoints: Iterable[Checkpoint] = (),
    signed: Sequence[SignedCheckpoint] = (),
) -> Verdict:
    """`verify` for a logged-in reader; the verification itself is recorded.

    Each `signed` checkpoint (a checkpoint file) must belong to this organisation and carry a
    valid signature of an account whose key the chain recorded; one that does not is refused
    with IntegrityFailure (and the refusal is recorded), whatever the chain says.
    """
    with audit.denials_recorded(db, actor, VERIFY, "audit"):
        require(actor, Action.AUDIT_READ)
    organisation = str(organisation_id(db)) if signed else ""
    verdict = verify(db, [*checkpoints, *(s.checkpoint for s in signed)])
    try:
        for checkpoint in signed:
            # A chain broken before the signer's account was created cannot vouch for the
            # signer: the chain's own failure is then the verdict.
            if verdict.ok or checkpoint.signer_id in verdict.signer_keys:
                checkpoint_file.check(checkpoint, organisation, verdict.signer_keys)
            elif checkpoint.organisation_id != organisation:
                checkpoint_file.check(checkpoint, organisation, {})
    except IntegrityFailure:
        _record_verification(db, actor, verdict, {"checkpoint_file": "refused"})
        raise
    _record_verification(db, actor, verdict)
    return verdict


def write_checkpoint(db: Database, actor: Actor, target: Path) -> SignedCheckpoint:
    """Verify the trail, then write a checkpoint of its newest entry signed by `actor` to
    `target` (0600, atomically), to hand to someone outside the system. Only an intact
    trail is vouched for: a broken one is IntegrityFailure and no file is written."""
    _ = actor.keys  # a locked session cannot sign
    with audit.denials_recorded(db, actor, CHECKPOINT, "audit"):
        require(actor, Action.AUDIT_READ)
    organisation = str(organisation_id(db))
    verdict = verify(db)
    if not verdict.ok or verdict.head is None:
        _record_verification(db, actor, verdict)
        where = f"entry {verdict.first_bad}: {verdict.reason}"
        raise IntegrityFailure(f"no checkpoint written: the audit trail is broken at {where}")
    signed = checkpoint_file.sign_checkpoint(
        actor.keys.signing,
        organisation_id=organisation,
        checkpoint=verdict.head,
        created_at=audit.iso(utcnow()),
        signer_id=str(actor.user_id),
        signer_name=actor.username,
    )
    with replacing(target) as temp:
        temp.write_text(checkpoint_file.dumps(signed), encoding="utf-8")
        with db.transaction() as session:
            audit.append(
                session,
                CHECKPOINT,
                actor=actor,
                entity_type="audit",
                details={"sequence": signed.sequence, "checked": verdict.checked},
            )
    return signed
