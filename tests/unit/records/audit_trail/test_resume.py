"""A routine `audit verify` resumes signature checks after this workstation's last one."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.records.audit_trail import service as audit_service
from crmsup.records.audit_trail.service import organisation_id, verify_as
from crmsup.records.checkpoints import CheckpointStore
from crmsup.records.database import Database
from crmsup.security import verification_mark
from crmsup.security.verification_mark import VerificationMark
from tests.factories import Org


@pytest.fixture
def store(tmp_path: Path) -> CheckpointStore:
    return CheckpointStore(tmp_path / "state" / "checkpoints.json")


def test_the_second_verification_checks_only_newer_signatures(
    org: Org, store: CheckpointStore
) -> None:
    first = verify_as(org.db, org.auditor, store=store)
    assert first.resumed_from is None
    assert first.verdict.ok
    assert first.verdict.signatures_checked > 10
    mark = store.verified(organisation_id(org.db))
    assert mark is not None
    assert mark.point == first.verdict.verified
    assert mark.signer_name == org.auditor.username

    second = verify_as(org.db, org.hr, store=store)
    assert second.verdict.ok
    assert second.resumed_from == mark
    assert second.verdict.checked == first.verdict.checked + 1  # the first one's own entry
    assert second.verdict.signatures_checked == 1
    assert store.verified(organisation_id(org.db)) != mark  # moved on, signed by hr

    full = verify_as(org.db, org.hr, store=store, full=True)
    assert full.resumed_from is None
    assert full.verdict.signatures_checked == second.verdict.signatures_checked + (
        first.verdict.signatures_checked + 1
    )


def test_a_mark_signed_by_an_account_the_chain_never_recorded_is_not_trusted(
    org: Org, store: CheckpointStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account slipped into the accounts table behind the trail's back cannot vouch."""
    first = verify_as(org.db, org.auditor, store=store)
    assert first.verdict.verified is not None
    intruder = Ed25519PrivateKey.generate()
    intruder_id = str(uuid.uuid4())
    forged = verification_mark.sign_mark(
        intruder,
        VerificationMark(
            str(organisation_id(org.db)),
            first.verdict.verified,
            "2026-11-23T09:00:00.000000Z",
            intruder_id,
            "mallory",
        ),
    )
    store.remember_verified(organisation_id(org.db), forged)
    real_keys = audit_service.current_signing_keys
    public = intruder.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def with_intruder(db: Database) -> dict[str, bytes]:
        return real_keys(db) | {intruder_id: public}

    monkeypatch.setattr(audit_service, "current_signing_keys", with_intruder)
    again = verify_as(org.db, org.hr, store=store)
    assert again.verdict.ok
    assert again.resumed_from is None
    assert again.verdict.signatures_checked > first.verdict.signatures_checked


def test_an_unwritable_store_costs_only_time(org: Org, tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x", encoding="utf-8")
    store = CheckpointStore(blocked / "checkpoints.json")
    for _ in range(2):
        outcome = verify_as(org.db, org.auditor, store=store)
        assert outcome.verdict.ok
        assert outcome.resumed_from is None
