"""The workstation's memory of the trail: a warning when the trail no longer holds it."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from crmsup.records import checkpoints
from crmsup.records.audit_trail.query import list_entries
from crmsup.records.audit_trail.service import organisation_id, verify
from crmsup.records.checkpoints import CheckpointStore, check_and_remember, replacing
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import AuditEntry, AuditHead
from crmsup.records.people.associates import list_roster
from crmsup.security.audit_chain import Checkpoint
from tests.factories import Org


def _head(db: Database) -> Checkpoint:
    with db.transaction() as session:
        head = session.get_one(AuditHead, 1)
        return Checkpoint(head.sequence, bytes(head.entry_hash))


def _cut(db: Database, keep: int) -> None:
    """Remove every entry after `keep`, as someone covering their tracks would."""
    with db.transaction() as session:
        kept = session.get_one(AuditEntry, keep).entry_hash
        session.execute(delete(AuditEntry).where(AuditEntry.sequence > keep))
        session.execute(update(AuditHead).values(sequence=keep, entry_hash=kept))


@pytest.fixture
def store(tmp_path: Path) -> CheckpointStore:
    return CheckpointStore(tmp_path / "state" / "checkpoints.json")


def test_the_store_remembers_per_organisation_in_a_private_file(store: CheckpointStore) -> None:
    org_a, org_b = uuid.UUID(int=1), uuid.UUID(int=2)
    assert store.get(org_a) is None
    store.remember(org_a, Checkpoint(7, bytes(32)))
    store.remember(org_b, Checkpoint(9, b"\x01" * 32))
    assert store.get(org_a) == Checkpoint(7, bytes(32))
    assert CheckpointStore(store.path).get(org_b) == Checkpoint(9, b"\x01" * 32)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert [p.name for p in store.path.parent.iterdir()] == ["checkpoints.json"]


def test_the_state_folder_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(checkpoints.STATE_DIR_ENV, str(tmp_path / "ws"))
    assert CheckpointStore().path == tmp_path / "ws" / "checkpoints.json"
    monkeypatch.delenv(checkpoints.STATE_DIR_ENV)
    assert CheckpointStore().path.name == "checkpoints.json"
    assert "crmsup" in str(CheckpointStore().path)


def test_a_growing_trail_gives_no_warning(org: Org, store: CheckpointStore) -> None:
    assert check_and_remember(org.db, store, org.hr) is None
    assert store.get(organisation_id(org.db)) == _head(org.db)
    list_roster(org.db, org.hr)
    assert check_and_remember(org.db, store, org.hr) is None
    assert store.get(organisation_id(org.db)) == _head(org.db)


def test_a_trail_cut_below_the_checkpoint_warns_once_and_is_recorded(
    org: Org, store: CheckpointStore
) -> None:
    list_roster(org.db, org.hr)
    check_and_remember(org.db, store, org.hr)
    seen = _head(org.db).sequence
    _cut(org.db, seen - 2)
    warning = check_and_remember(org.db, store, org.hr)
    assert warning is not None
    assert f"at sequence {seen}" in warning
    assert "removed or rewritten" in warning
    recorded = list_entries(org.db, org.admin, action=checkpoints.MISMATCH)
    assert [(r.actor, r.outcome, r.details) for r in recorded] == [
        ("hr", "failed", {"sequence": seen})
    ]
    assert verify(org.db).ok  # a clean cut: only the workstation (and the entry) tell
    assert check_and_remember(org.db, store, org.hr) is None  # it moved on to the new head


def test_a_rewritten_entry_at_the_checkpoint_warns(org: Org, store: CheckpointStore) -> None:
    check_and_remember(org.db, store)
    seen = _head(org.db).sequence
    with org.db.transaction() as session:
        session.execute(
            update(AuditEntry).where(AuditEntry.sequence == seen).values(entry_hash=bytes(32))
        )
    warning = check_and_remember(org.db, store)
    assert warning is not None
    assert f"sequence {seen}" in warning
    with org.db.transaction() as session:
        count = session.scalar(
            select(func.count()).where(AuditEntry.action == checkpoints.MISMATCH)
        )
    assert count == 0  # without an actor nothing is signed, so nothing is recorded


def test_an_empty_database_has_nothing_to_check(db: Database, store: CheckpointStore) -> None:
    assert check_and_remember(db, store) is None
    assert not store.path.exists()


def test_a_damaged_store_warns_and_starts_again(org: Org, store: CheckpointStore) -> None:
    store.path.parent.mkdir(mode=0o700)
    store.path.write_text("{not json", encoding="utf-8")
    warning = check_and_remember(org.db, store)
    assert warning is not None
    assert "damaged" in warning
    assert json.loads(store.path.read_text(encoding="utf-8"))["format"]
    assert check_and_remember(org.db, store) is None


def test_an_unwritable_store_warns_but_never_stops_a_login(org: Org, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    warning = check_and_remember(org.db, CheckpointStore(blocked / "checkpoints.json"))
    assert warning is not None
    assert "cannot keep" in warning


def test_replacing_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("before", encoding="utf-8")

    def fail_half_way() -> None:
        with replacing(target) as temp:
            temp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert target.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with replacing(target) as temp:
        temp.write_text("after", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "after"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_replacing_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(ValidationFailed, match="does not exist"),
        replacing(tmp_path / "nowhere" / "x.csv"),
    ):
        pass
    assert not (tmp_path / "nowhere").exists()
    assert os.listdir(tmp_path) == []
