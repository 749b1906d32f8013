from __future__ import annotations

import dataclasses
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.security.audit_chain import (
    GENESIS,
    Checkpoint,
    EntryFields,
    StoredEntry,
    VerifiedPoint,
    canonical_details,
    entry_hash,
    sign,
    signatures_digest,
    verify_chain,
)

ADMIN = Ed25519PrivateKey.generate()


def _public(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _chain(*specs: tuple[str, str | None, str, str | None, str]) -> list[StoredEntry]:
    """specs: (action, actor_id, outcome, entity_id, details)."""
    previous, out = GENESIS, []
    for n, (action, actor, outcome, entity, details) in enumerate(specs, start=1):
        fields = EntryFields(
            n,
            "2026-11-23T09:00:00.000000Z",
            actor,
            actor,
            "ws",
            action,
            "user",
            entity,
            outcome,
            details,
        )
        digest = entry_hash(previous, fields)
        signature = sign(ADMIN, digest) if actor == "admin" else None
        out.append(StoredEntry(fields, previous, digest, signature))
        previous = digest
    return out


BOOT = (
    "user.create",
    "admin",
    "ok",
    "admin",
    canonical_details({"signing_public": _public(ADMIN)}),
)


def test_a_self_certified_first_account_and_unsigned_logins_verify() -> None:
    chain = _chain(
        BOOT, ("login", None, "failed", None, "{}"), ("team.create", "admin", "ok", None, "{}")
    )
    verdict = verify_chain(chain)
    assert verdict.ok, verdict.reason
    assert verdict.head is not None
    assert verdict.head.sequence == 3
    assert verdict.signer_keys == {"admin": bytes.fromhex(_public(ADMIN))}


def test_only_pre_login_actions_may_be_unsigned() -> None:
    chain = _chain(BOOT, ("associate.view", None, "ok", None, "{}"))
    verdict = verify_chain(chain)
    assert (verdict.ok, verdict.first_bad) == (False, 2)
    assert "not signed" in (verdict.reason or "")


def test_a_second_self_certified_account_is_refused() -> None:
    intruder = (
        "user.create",
        "mallory",
        "ok",
        "mallory",
        canonical_details({"signing_public": _public(Ed25519PrivateKey.generate())}),
    )
    chain = _chain(BOOT, intruder)
    # mallory's entry carries no admin signature, and its own key is not accepted as proof.
    verdict = verify_chain(chain)
    assert (verdict.ok, verdict.first_bad) == (False, 2)


def test_canonical_details_are_stable() -> None:
    assert canonical_details({"b": 1, "a": ["x"]}) == '{"a":["x"],"b":1}'
    assert json.loads(canonical_details(None)) == {}


TEAM = ("team.create", "admin", "ok", None, "{}")


def _point(chain: list[StoredEntry], sequence: int) -> VerifiedPoint:
    verdict = verify_chain(chain[:sequence])
    assert verdict.ok, verdict.reason
    assert verdict.verified is not None
    assert verdict.verified.sequence == sequence
    return verdict.verified


def _with_signature(chain: list[StoredEntry], sequence: int, signature: bytes) -> None:
    old = chain[sequence - 1]
    chain[sequence - 1] = StoredEntry(old.fields, old.previous, old.digest, signature)


def test_signatures_up_to_a_verified_point_are_not_checked_again() -> None:
    chain = _chain(BOOT, *[TEAM] * 5)
    point = _point(chain, 4)
    whole = verify_chain(chain)
    resumed = verify_chain(chain, verified=point)
    assert (whole.ok, whole.checked, whole.signatures_checked) == (True, 6, 6)
    assert (resumed.ok, resumed.checked, resumed.signatures_checked) == (True, 6, 2)
    assert resumed.verified == whole.verified
    assert whole.verified is not None
    assert whole.verified.signatures == signatures_digest(e.signature for e in chain)


def test_a_hash_below_the_verified_point_is_still_checked() -> None:
    chain = _chain(BOOT, *[TEAM] * 5)
    point = _point(chain, 4)
    old = chain[1]
    changed = EntryFields(*[*dataclasses.astuple(old.fields)[:8], "denied", "{}"])
    chain[1] = StoredEntry(changed, old.previous, old.digest, old.signature)
    verdict = verify_chain(chain, verified=point)
    assert (verdict.ok, verdict.first_bad) == (False, 2)


def test_a_signature_changed_below_the_verified_point_breaks_the_digest() -> None:
    chain = _chain(BOOT, *[TEAM] * 5)
    point = _point(chain, 4)
    _with_signature(chain, 2, bytes(64))
    verdict = verify_chain(chain, verified=point)
    assert (verdict.ok, verdict.first_bad) == (False, 4)
    assert "signatures of entries up to 4 changed" in (verdict.reason or "")
    assert verify_chain(chain).first_bad == 2  # checked in full, the entry itself is named


def test_a_chain_not_passing_through_the_verified_point_fails_there() -> None:
    chain = _chain(BOOT, *[TEAM] * 5)
    other = _chain(BOOT, ("team.create", "admin", "ok", "x", "{}"), *[TEAM] * 4)
    verdict = verify_chain(chain, verified=_point(other, 4))
    assert (verdict.ok, verdict.first_bad) == (False, 4)
    assert "checkpoint 4" in (verdict.reason or "")


def test_a_checkpoint_disagreeing_with_the_verified_point_means_checking_everything() -> None:
    chain = _chain(BOOT, *[TEAM] * 5)
    point = _point(chain, 4)
    _with_signature(chain, 3, bytes(64))
    wrong = Checkpoint(4, bytes(32))
    verdict = verify_chain(chain, checkpoints=[wrong], verified=point)
    assert (verdict.ok, verdict.first_bad) == (False, 3)  # the bad signature, not skipped
