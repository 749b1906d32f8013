"""`audit_verify`: verify a trail of 100,000 real entries (hashes, signatures, keys).

The trail is built quickly but for real: entries chained with `crmsup.security.audit_chain`,
signed with the keys of two accounts made by `org_service.initialise` (HR, and IT enrolled),
and bulk-inserted with one executemany. Floor: a bare loop over raw `sqlite3` rows of
audit_log that only re-hashes each entry (and compares the hash).

`audit_verify` (target ratio <= 3) is the routine check a workstation runs: every hash of
the 100,000 entries, and the signatures of the 5,000 written since this workstation last
verified them all (its signed mark; see `crmsup.security.verification_mark`).
`audit_verify_full` checks every signature as well. An Ed25519 verification costs some 15
re-hashes, so on two processors that cannot come near 3 times the floor; it is reported,
with what one process alone takes, and has no target (README, "The audit trail").
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

from bench.timing import paired_medians, report
from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.audit_statements import HEAD_ID
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.checkpoints import CheckpointStore
from crmsup.records.database import Database, open_database
from crmsup.records.models import AuditEntry, AuditHead
from crmsup.records.people import org as org_service
from crmsup.records.people.auth import enrol, login
from crmsup.security.audit_chain import EntryFields, canonical_details, entry_hash, sign
from crmsup.security.signature_pool import available_processors

COUNT = 100_000
#: Entries written since the workstation's last verification: a busy day of a large site.
NEW_SINCE_LAST = 5_000
TARGET = 3.0
PASSWORD = "benchmark passphrase"
_ACTIONS = ("associate.view", "associate.update", "roster.view", "discipline.create")


def _head(db: Database) -> tuple[int, bytes]:
    with db.transaction() as session:
        head = session.get_one(AuditHead, HEAD_ID)
        return head.sequence, bytes(head.entry_hash)


def build_trail(db: Database, signers: list[Actor], count: int) -> int:
    """Append `count` valid, signed entries after the current head; return the new head."""
    sequence, previous = _head(db)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for n in range(count):
        sequence += 1
        signer = signers[n % len(signers)]
        at = start + timedelta(milliseconds=250 * n)
        action = _ACTIONS[n % len(_ACTIONS)]
        details = canonical_details({"fields": ["status", "job_title"]} if n % 3 else None)
        fields = EntryFields(
            sequence,
            audit.iso(at),
            str(signer.user_id),
            signer.username,
            "bench-ws",
            action,
            "associate",
            str(uuid.UUID(int=n % 5000)),
            "ok",
            details,
        )
        digest = entry_hash(previous, fields)
        rows.append(
            {
                "sequence": sequence,
                "at": at,
                "actor_id": fields.actor_id,
                "actor_name": fields.actor_name,
                "workstation": fields.workstation,
                "action": action,
                "entity_type": fields.entity_type,
                "entity_id": fields.entity_id,
                "outcome": "ok",
                "details": details,
                "previous_hash": previous,
                "entry_hash": digest,
                "signature": sign(signer.keys.signing, digest),
            }
        )
        previous = digest
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEntry), rows)
        connection.execute(
            update(AuditHead)
            .where(AuditHead.id == HEAD_ID)
            .values(sequence=sequence, entry_hash=previous)
        )
    return sequence


def rehash_only(path: Path) -> int:
    """The floor: raw rows, each entry re-hashed and compared; nothing else."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT sequence, at, actor_id, actor_name, workstation, action, entity_type,"
            " entity_id, outcome, details, previous_hash, entry_hash"
            " FROM audit_log ORDER BY sequence"
        )
        count = 0
        for row in rows:
            # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"; the chain hashes ISO-8601 with a Z.
            at = row[1].replace(" ", "T") + "Z"
            fields = EntryFields(row[0], at, *row[2:10])
            if entry_hash(row[10], fields) != row[11]:
                raise AssertionError(f"entry {row[0]} does not re-hash")
            count += 1
        return count
    finally:
        connection.close()


def _verified_store(db: Database, reader: Actor, folder: Path) -> bytes:
    """A workstation store whose last verification reached the current head; its bytes."""
    store = CheckpointStore(folder / "checkpoints.json")
    outcome = audit_service.verify_as(db, reader, store=store)
    assert outcome.verdict.ok, outcome.verdict.reason
    return store.path.read_bytes()


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = open_database(f"sqlite:///{path}")
        try:
            org_service.initialise(
                db, organisation="Bench", site="Lyon", admin="root", hr="hr", password=PASSWORD
            )
            # IT enrols at its first login, as every account IT's password opens first.
            signers = [login(db, "hr", PASSWORD), enrol(db, "root", PASSWORD, PASSWORD + " too")]
            build_trail(db, signers, COUNT - NEW_SINCE_LAST)
            yesterday = _verified_store(db, signers[0], Path(folder))
            build_trail(db, signers, NEW_SINCE_LAST)
            store = CheckpointStore(Path(folder) / "checkpoints.json")

            def routine() -> None:
                store.path.write_bytes(yesterday)  # as the workstation left it yesterday
                outcome = audit_service.verify_as(db, signers[0], store=store)
                assert outcome.verdict.ok, outcome.verdict.reason
                assert outcome.resumed_from is not None
                assert outcome.verdict.signatures_checked >= NEW_SINCE_LAST

            def full() -> None:
                verdict = audit_service.verify(db)
                assert verdict.ok, verdict.reason
                assert verdict.checked >= COUNT

            def floor() -> None:
                assert rehash_only(path) >= COUNT

            floor_s, routine_s = paired_medians(floor, routine)
            floor_full_s, full_s = paired_medians(floor, full)
            start = time.perf_counter()
            alone = audit_service.verify(db, workers=1)
            one_process = time.perf_counter() - start
            assert alone.ok
            print(
                f"audit_verify_full (every signature; reported, no target): {full_s:.3f} s "
                f"(floor {floor_full_s:.3f} s, ratio {full_s / floor_full_s:.2f}) on "
                f"{available_processors()} processes; one process: {one_process:.3f} s "
                f"({one_process / alone.checked * 1e6:.0f} us per entry)"
            )
            print(
                f"audit_verify: every hash of {alone.checked} entries, signatures of the "
                f"{NEW_SINCE_LAST} since this workstation's last verification"
            )
            return report("audit_verify", routine_s, floor_s, TARGET)
        finally:
            db.dispose()
