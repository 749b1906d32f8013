"""Signed checkpoint files: a point of the audit chain vouched for by one account.

A checkpoint file says "in organisation O, entry N of the audit trail had hash H", signed with
the Ed25519 key of the account that wrote it. It is handed to someone outside the system (a
works council, an external auditor) so that a later `audit verify --checkpoint F` proves the
chain still passes through that point. The signature is checked against the signer's key as
the chain itself recorded it (`Verdict.signer_keys`), never against the accounts table.

Pure: encoding, signing and checking only; the caller reads and writes the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crmsup.security.audit_chain import Checkpoint
from crmsup.security.errors import IntegrityFailure

FORMAT = "crmsup-checkpoint-1"
_SIGN_PREFIX = b"crmsup-checkpoint-sig-v1\x00"
_DIGEST_SIZE = 32
_SIGNATURE_SIZE = 64


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """The content of a checkpoint file; `created_at` is ISO-8601 UTC."""

    organisation_id: str
    sequence: int
    digest: bytes
    created_at: str
    signer_id: str
    signer_name: str
    signature: bytes

    @property
    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.sequence, self.digest)

    def signed_bytes(self) -> bytes:
        """The canonical encoding the signature covers: every field but the signature."""
        return _SIGN_PREFIX + json.dumps(
            [
                FORMAT,
                self.organisation_id,
                self.sequence,
                self.digest.hex(),
                self.created_at,
                self.signer_id,
                self.signer_name,
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")


def sign_checkpoint(
    key: Ed25519PrivateKey,
    *,
    organisation_id: str,
    checkpoint: Checkpoint,
    created_at: str,
    signer_id: str,
    signer_name: str,
) -> SignedCheckpoint:
    unsigned = SignedCheckpoint(
        organisation_id,
        checkpoint.sequence,
        checkpoint.digest,
        created_at,
        signer_id,
        signer_name,
        b"",
    )
    return _with_signature(unsigned, key.sign(unsigned.signed_bytes()))


def _with_signature(checkpoint: SignedCheckpoint, signature: bytes) -> SignedCheckpoint:
    return SignedCheckpoint(
        checkpoint.organisation_id,
        checkpoint.sequence,
        checkpoint.digest,
        checkpoint.created_at,
        checkpoint.signer_id,
        checkpoint.signer_name,
        signature,
    )


def dumps(checkpoint: SignedCheckpoint) -> str:
    """The file's text: JSON, readable by anyone who wants to check it by other means."""
    document = {
        "format": FORMAT,
        "organisation_id": checkpoint.organisation_id,
        "sequence": checkpoint.sequence,
        "entry_hash": checkpoint.digest.hex(),
        "created_at": checkpoint.created_at,
        "signer_id": checkpoint.signer_id,
        "signer_name": checkpoint.signer_name,
        "signature": checkpoint.signature.hex(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_DAMAGED = "is not a readable crmsup checkpoint (damaged, or another kind of file)"


def _text(document: Mapping[str, Any], key: str) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value:
        raise IntegrityFailure(f"the checkpoint file {_DAMAGED}: {key} is missing")
    return value


def _hex(document: Mapping[str, Any], key: str, size: int) -> bytes:
    try:
        value = bytes.fromhex(_text(document, key))
    except ValueError:
        value = b""
    if len(value) != size:
        raise IntegrityFailure(f"the checkpoint file {_DAMAGED}: {key} is malformed")
    return value


def loads(text: str | bytes) -> SignedCheckpoint:
    """Parse a checkpoint file; IntegrityFailure when it is damaged or not one at all.

    Only the shape is checked here: `check` verifies the signature."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise IntegrityFailure(f"the checkpoint file {_DAMAGED}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise IntegrityFailure(f"the checkpoint file {_DAMAGED}")
    sequence = document.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise IntegrityFailure(f"the checkpoint file {_DAMAGED}: sequence is malformed")
    return SignedCheckpoint(
        organisation_id=_text(document, "organisation_id"),
        sequence=sequence,
        digest=_hex(document, "entry_hash", _DIGEST_SIZE),
        created_at=_text(document, "created_at"),
        signer_id=_text(document, "signer_id"),
        signer_name=_text(document, "signer_name"),
        signature=_hex(document, "signature", _SIGNATURE_SIZE),
    )


def check(
    checkpoint: SignedCheckpoint, organisation_id: str, signer_keys: Mapping[str, bytes]
) -> None:
    """Refuse (IntegrityFailure) a checkpoint of another organisation, one signed by an
    account the chain never recorded, or one whose signature does not verify."""
    if checkpoint.organisation_id != organisation_id:
        raise IntegrityFailure("the checkpoint file belongs to another organisation's trail")
    public = signer_keys.get(checkpoint.signer_id)
    if public is None:
        raise IntegrityFailure(
            "the checkpoint file is signed by an account whose key the audit trail never "
            "recorded: it is forged, or comes from another trail"
        )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            checkpoint.signature, checkpoint.signed_bytes()
        )
    except (InvalidSignature, ValueError):
        raise IntegrityFailure(
            f"the checkpoint file's signature does not verify (checkpoint of entry "
            f"{checkpoint.sequence}): it was altered after it was written, or forged"
        ) from None
