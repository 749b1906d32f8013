"""A workstation's signed note of how far it has verified every signature of the trail.

Checking an entry's Ed25519 signature costs some 15 times as much as re-hashing it, so a
routine `audit verify` checks every hash but only the signatures newer than the last
verification on this workstation. What makes that safe is this mark: the point the last
verification reached (`VerifiedPoint`: the entry's hash, which covers every entry before
it, and a digest of the stored signatures up to it), signed by the account that ran it. A
mark that is missing, malformed, of another organisation or not signed by a key the
accounts table holds is ignored, and every signature is checked again.

Pure: encoding, signing and checking only; the caller keeps the text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crmsup.security.audit_chain import VerifiedPoint

FORMAT = "crmsup-verified-1"
_SIGN_PREFIX = b"crmsup-verified-sig-v1\x00"


@dataclass(frozen=True, slots=True)
class VerificationMark:
    organisation_id: str
    point: VerifiedPoint
    verified_at: str
    signer_id: str
    signer_name: str
    signature: bytes = b""

    def signed_bytes(self) -> bytes:
        return _SIGN_PREFIX + json.dumps(
            [
                FORMAT,
                self.organisation_id,
                self.point.sequence,
                self.point.digest.hex(),
                self.point.signatures.hex(),
                self.verified_at,
                self.signer_id,
                self.signer_name,
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")


def sign_mark(key: Ed25519PrivateKey, unsigned: VerificationMark) -> VerificationMark:
    return replace(unsigned, signature=key.sign(unsigned.signed_bytes()))


def dumps(mark: VerificationMark) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "organisation_id": mark.organisation_id,
            "sequence": mark.point.sequence,
            "entry_hash": mark.point.digest.hex(),
            "signatures_digest": mark.point.signatures.hex(),
            "verified_at": mark.verified_at,
            "signer_id": mark.signer_id,
            "signer_name": mark.signer_name,
            "signature": mark.signature.hex(),
        },
        ensure_ascii=False,
    )


def loads(text: str) -> VerificationMark | None:
    """The mark in `text`, or None when it is not one (the caller then checks everything)."""
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return None
        sequence = document["sequence"]
        if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
            return None
        texts = [
            document[key] for key in ("organisation_id", "verified_at", "signer_id", "signer_name")
        ]
        if not all(isinstance(value, str) for value in texts):
            return None
        organisation_id, verified_at, signer_id, signer_name = texts
        point = VerifiedPoint(
            sequence,
            bytes.fromhex(document["entry_hash"]),
            bytes.fromhex(document["signatures_digest"]),
        )
        signature = bytes.fromhex(document["signature"])
    except (ValueError, KeyError, TypeError):
        return None
    return VerificationMark(organisation_id, point, verified_at, signer_id, signer_name, signature)


def valid(mark: VerificationMark, organisation_id: str, keys: Mapping[str, bytes]) -> bool:
    """Whether `mark` is this organisation's and signed by its signer's key in `keys`."""
    public = keys.get(mark.signer_id)
    if mark.organisation_id != organisation_id or public is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(mark.signature, mark.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True
