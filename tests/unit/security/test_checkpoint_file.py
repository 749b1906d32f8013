"""Signed checkpoint files: what is signed, and every way a file is refused."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.security import checkpoint_file
from crmsup.security.audit_chain import Checkpoint
from crmsup.security.checkpoint_file import SignedCheckpoint, check, dumps, loads, sign_checkpoint
from crmsup.security.errors import IntegrityFailure

KEY = Ed25519PrivateKey.generate()
ORG = "7d1c0e52-8a0b-4d0e-9a43-0f4c7d1e2a10"
SIGNER = "0b8f6a3e-31d5-4c1f-8a3b-7f0e9e2d4c51"


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


KEYS = {SIGNER: _public(KEY)}


def _signed(key: Ed25519PrivateKey = KEY) -> SignedCheckpoint:
    return sign_checkpoint(
        key,
        organisation_id=ORG,
        checkpoint=Checkpoint(41, bytes(range(32))),
        created_at="2026-11-23T09:00:00.000000Z",
        signer_id=SIGNER,
        signer_name="audit",
    )


def test_a_written_file_reads_back_and_verifies() -> None:
    signed = _signed()
    text = dumps(signed)
    document = json.loads(text)
    assert document["format"] == "crmsup-checkpoint-1"
    assert (document["sequence"], document["entry_hash"]) == (41, bytes(range(32)).hex())
    assert (document["signer_id"], document["signer_name"]) == (SIGNER, "audit")
    again = loads(text)
    assert again == signed
    assert again.checkpoint == Checkpoint(41, bytes(range(32)))
    check(again, ORG, KEYS)


@pytest.mark.parametrize(
    "change",
    [
        {"sequence": 40},
        {"digest": bytes(32)},
        {"created_at": "2026-11-24T09:00:00.000000Z"},
        {"signer_name": "hr"},
        {"signature": bytes(64)},
    ],
)
def test_any_changed_field_breaks_the_signature(change: dict[str, object]) -> None:
    forged = replace(_signed(), **change)  # type: ignore[arg-type]
    with pytest.raises(IntegrityFailure, match="signature does not verify"):
        check(loads(dumps(forged)), ORG, KEYS)


def test_a_file_signed_with_another_key_is_refused() -> None:
    with pytest.raises(IntegrityFailure, match="signature does not verify"):
        check(_signed(Ed25519PrivateKey.generate()), ORG, KEYS)


def test_a_signer_the_chain_never_recorded_is_refused() -> None:
    with pytest.raises(IntegrityFailure, match="never recorded"):
        check(_signed(), ORG, {})


def test_a_checkpoint_of_another_organisation_is_refused() -> None:
    with pytest.raises(IntegrityFailure, match="another organisation"):
        check(_signed(), "another-organisation", KEYS)


def _document() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(dumps(_signed()))
    return loaded


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        "\u00ff\u00fe",
        json.dumps(_document() | {"format": "crmsup-checkpoint-2"}),
        json.dumps(_document() | {"sequence": "41"}),
        json.dumps(_document() | {"sequence": True}),
        json.dumps(_document() | {"sequence": 0}),
        json.dumps(_document() | {"entry_hash": "zz"}),
        json.dumps(_document() | {"entry_hash": "00" * 31}),
        json.dumps(_document() | {"signature": "00" * 63}),
        json.dumps({k: v for k, v in _document().items() if k != "signer_id"}),
    ],
)
def test_a_damaged_file_is_an_integrity_failure(text: str) -> None:
    with pytest.raises(IntegrityFailure, match="not a readable crmsup checkpoint"):
        loads(text)


def test_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(IntegrityFailure):
        loads(b"\xff\xfe\x00")


def test_the_signed_encoding_names_its_format() -> None:
    assert checkpoint_file.FORMAT.encode() in _signed().signed_bytes()
