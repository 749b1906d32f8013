"""What this workstation has seen of each organisation's audit trail, and files written safely.

At every login the workstation looks up the one entry it remembered — (sequence, hash) of the
newest entry it saw — and warns when the trail no longer holds it: entries were removed or
rewritten since. That costs one indexed lookup, not a verification of the whole chain; the
full check is `audit verify`. The store is a small JSON file in the user's state folder
(`CRMSUP_STATE_DIR` overrides it), written atomically and readable by the user only.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_state_path
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.audit_statements import HEAD_ID
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import AuditEntry, AuditHead, Organisation
from crmsup.records.private_files import sync_folder
from crmsup.records.types import utcnow
from crmsup.security import verification_mark
from crmsup.security.audit_chain import Checkpoint
from crmsup.security.verification_mark import VerificationMark

STATE_DIR_ENV = "CRMSUP_STATE_DIR"
FILE_NAME = "checkpoints.json"
_FORMAT = "crmsup-workstation-checkpoints-1"
MISMATCH = "checkpoint.mismatch"


def default_store_path() -> Path:
    """`CRMSUP_STATE_DIR`/checkpoints.json, else the user state folder of platformdirs."""
    folder = os.environ.get(STATE_DIR_ENV)
    base = Path(folder) if folder else user_state_path("crmsup", appauthor=False)
    return base / FILE_NAME


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A new, empty 0600 temp file beside `target` to write; when the block ends without an
    error it is fsync'd and renamed over `target`, else removed: `target` is never seen
    half-written. An error of the file system is a ValidationFailed naming `target`."""
    folder = target.parent
    if not folder.is_dir():
        raise ValidationFailed(f"the folder {folder} does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {target}: {exc.strerror}") from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o600)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
        sync_folder(folder)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ValidationFailed(f"cannot write {target}: {exc.strerror}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class CheckpointStore:
    """Per organisation id: the newest (sequence, hash) this workstation saw, and the point
    up to which it last verified every signature (a checkpoint signed by the verifier)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_store_path()

    def _load(self) -> dict[str, dict[str, object]]:
        """Every remembered checkpoint; ValueError when the file is damaged."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise ValueError("not a checkpoint store")
        organisations = document.get("organisations")
        if not isinstance(organisations, dict):
            raise ValueError("not a checkpoint store")
        return organisations

    def get(self, organisation_id: uuid.UUID) -> Checkpoint | None:
        """The remembered checkpoint; ValueError when the file is damaged."""
        found = self._load().get(str(organisation_id))
        if found is None or "sequence" not in found:
            return None
        sequence, digest = found.get("sequence"), found.get("entry_hash")
        if not isinstance(sequence, int) or not isinstance(digest, str):
            raise ValueError("damaged checkpoint")
        return Checkpoint(sequence, bytes.fromhex(digest))

    def verified(self, organisation_id: uuid.UUID) -> VerificationMark | None:
        """Where this workstation last verified every signature; None when it never did or
        the record is unreadable (then everything is verified again)."""
        try:
            found = self._load().get(str(organisation_id))
        except (OSError, ValueError):
            return None
        mark = None if found is None else found.get("verified")
        return verification_mark.loads(mark) if isinstance(mark, str) else None

    def remember(self, organisation_id: uuid.UUID, checkpoint: Checkpoint) -> None:
        self._update(
            organisation_id,
            {
                "sequence": checkpoint.sequence,
                "entry_hash": checkpoint.digest.hex(),
                "seen_at": audit.iso(utcnow()),
            },
        )

    def remember_verified(self, organisation_id: uuid.UUID, mark: VerificationMark) -> None:
        self._update(organisation_id, {"verified": verification_mark.dumps(mark)})

    def _update(self, organisation_id: uuid.UUID, values: dict[str, object]) -> None:
        try:
            organisations = self._load()
        except ValueError:
            organisations = {}  # a damaged store is replaced (the caller has warned)
        entry = organisations.get(str(organisation_id))
        organisations[str(organisation_id)] = (entry if isinstance(entry, dict) else {}) | values
        document = {"format": _FORMAT, "organisations": organisations}
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with replacing(self.path) as temp:
            temp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _mismatch(sequence: int) -> str:
    return (
        f"the audit trail no longer extends what this workstation saw at sequence {sequence}: "
        "entries were removed or rewritten; run `crmsup-admin audit verify` and tell your "
        "auditor"
    )


def _head(session: Session) -> Checkpoint:
    # Columns, not the AuditHead object: `audit.append` must read the row afresh under its lock.
    sequence, digest = session.execute(
        select(AuditHead.sequence, AuditHead.entry_hash).where(AuditHead.id == HEAD_ID)
    ).one()
    return Checkpoint(sequence, bytes(digest))


def check_and_remember(
    db: Database, store: CheckpointStore, actor: Actor | None = None
) -> str | None:
    """Check that the trail still holds the entry this workstation remembered, then remember
    the current head. Returns a warning to show when it does not (or when the store cannot be
    read or written). With `actor`, a mismatch is also recorded in the trail, so that it is
    not lost once the workstation has moved on to the new head."""
    warning: str | None = None
    with db.transaction() as session:
        organisation_id = session.scalar(select(Organisation.id).limit(1))
        if organisation_id is None:
            return None
        try:
            seen = store.get(organisation_id)
        except (OSError, ValueError):
            seen = None
            warning = (
                f"this workstation's record of the audit trail ({store.path}) was unreadable "
                "or damaged; it starts again from the newest entry"
            )
        if seen is not None:
            stored = session.scalar(
                select(AuditEntry.entry_hash).where(AuditEntry.sequence == seen.sequence)
            )
            if stored is None or bytes(stored) != seen.digest:
                warning = _mismatch(seen.sequence)
                if actor is not None and not actor.locked:
                    audit.append(
                        session,
                        MISMATCH,
                        actor=actor,
                        entity_type="audit",
                        outcome="failed",
                        details={"sequence": seen.sequence},
                    )
        current = _head(session)
    if current.sequence == 0:
        return warning
    try:
        store.remember(organisation_id, current)
    except (OSError, ValidationFailed):
        kept = f"this workstation cannot keep its record of the audit trail in {store.path}"
        warning = kept if warning is None else f"{warning}; {kept}"
    return warning
