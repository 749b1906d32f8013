"""Reading and verifying the audit trail (auditor, HR, admin: it holds no record content)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.checkpoints import CheckpointStore, replacing
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import AccountKeys, Organisation
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.security import checkpoint_file, verification_mark
from crmsup.security.audit_chain import Checkpoint, Detail, Verdict, VerifiedPoint, verify_chain
from crmsup.security.checkpoint_file import SignedCheckpoint
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Action
from crmsup.security.signature_pool import ParallelSignatures
from crmsup.security.verification_mark import VerificationMark

VERIFY = "audit.verify"
CHECKPOINT = "audit.checkpoint"


def current_signing_keys(db: Database) -> dict[str, bytes]:
    with db.transaction() as session:
        return {
            str(user_id): bytes(key)
            for user_id, key in session.execute(
                select(AccountKeys.user_id, AccountKeys.signing_public)
            )
        }


def organisation_id(db: Database) -> uuid.UUID:
    with db.transaction() as session:
        found = session.scalar(select(Organisation.id).limit(1))
    if found is None:
        raise IntegrityFailure("this database holds no organisation, so no audit trail")
    return found


def verify(
    db: Database,
    checkpoints: Iterable[Checkpoint] = (),
    *,
    workers: int | None = None,
    verified: VerifiedPoint | None = None,
) -> Verdict:
    """Check every hash, every signature, the accounts' keys and the checkpoints.

    Signatures are checked by a pool of `workers` processes (default: one per processor)
    once the trail is long enough to repay starting them; the verdict is the same either way.
    Signatures up to `verified` (a point a trusted earlier verification reached) are not
    checked again; every hash is, and the chain must still pass through that point.
    """
    keys = current_signing_keys(db)
    # closing(): a verdict reached early must still end the streaming cursor cleanly.
    with closing(audit.stored_entries(db)) as entries, ParallelSignatures(workers) as verifier:
        return verify_chain(
            entries,
            checkpoints=checkpoints,
            current_keys=keys,
            verifier=verifier,
            verified=verified,
        )


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify_as` found, and from where it checked signatures."""

    verdict: Verdict
    #: This workstation's earlier verification whose signature checks were not repeated.
    resumed_from: VerificationMark | None = None


def _usable_mark(
    db: Database, organisation: str, mark: VerificationMark | None
) -> VerificationMark | None:
    """`mark` if it is this organisation's and its signature verifies under its signer's key
    as the accounts table holds it (the chain walk then proves that key is the one the chain
    recorded); else None, and every signature is checked."""
    if mark is None or not verification_mark.valid(mark, organisation, current_signing_keys(db)):
        return None
    return mark


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
            details={
                "checked": verdict.checked,
                "signatures_checked": verdict.signatures_checked,
                "first_bad": verdict.first_bad,
            }
            | (extra or {}),
        )


def verify_as(
    db: Database,
    actor: Actor,
    checkpoints: Iterable[Checkpoint] = (),
    signed: Sequence[SignedCheckpoint] = (),
    *,
    store: CheckpointStore | None = None,
    full: bool = False,
) -> Verification:
    """`verify` for a logged-in reader; the verification itself is recorded.

    Each `signed` checkpoint (a checkpoint file) must belong to this organisation and carry a
    valid signature of an account whose key the chain recorded; one that does not is refused
    with IntegrityFailure (and the refusal is recorded), whatever the chain says.

    With a workstation `store`, signatures this workstation already verified (up to the
    signed mark it kept) are not checked again unless `full`; every hash always is. After an
    intact verdict the store keeps a new mark at the head, signed by `actor`.
    """
    with audit.denials_recorded(db, actor, VERIFY, "audit"):
        require(actor, Action.AUDIT_READ)
    organisation_uuid = organisation_id(db)
    organisation = str(organisation_uuid)
    mark = None
    if store is not None and not full:
        mark = _usable_mark(db, organisation, store.verified(organisation_uuid))
    wanted = [*checkpoints, *(s.checkpoint for s in signed)]
    verdict = verify(db, wanted, verified=None if mark is None else mark.point)
    if mark is not None and not (
        verdict.ok and verification_mark.valid(mark, organisation, verdict.signer_keys)
    ):
        # Something is wrong: the mark's signer is not one the chain recorded, or the chain
        # is broken. Check every signature, which also names the first bad entry exactly.
        mark, verdict = None, verify(db, wanted)
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
    if store is not None and verdict.verified is not None and not actor.locked:
        _keep_mark(store, organisation_uuid, actor, verdict.verified)
    return Verification(verdict, mark)


def _keep_mark(
    store: CheckpointStore, organisation: uuid.UUID, actor: Actor, point: VerifiedPoint
) -> None:
    unsigned = VerificationMark(
        str(organisation), point, audit.iso(utcnow()), str(actor.user_id), actor.username
    )
    mark = verification_mark.sign_mark(actor.keys.signing, unsigned)
    # Keeping the mark only saves the next verification time: a store that cannot be
    # written costs nothing else, and the verdict stands.
    with suppress(OSError, ValidationFailed):
        store.remember_verified(organisation, mark)


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
