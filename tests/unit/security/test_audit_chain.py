from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.security.audit_chain import (
    GENESIS,
    EntryFields,
    StoredEntry,
    canonical_details,
    entry_hash,
    sign,
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
