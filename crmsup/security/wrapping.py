"""Key wrapping (symmetric) and sealing (to a public key).

*Wrapping* protects a data key under a scope key the caller already holds: an associate's data
key under their team's key. Moving an associate re-wraps one key.

*Sealing* protects a scope key for a recipient who is not present: X25519 with an ephemeral key,
HKDF-SHA256, AES-256-GCM. Granting a team to a user seals the team key to that user's public
key, so granting needs nobody's password, only a holder of the key.

Both bind a purpose string and the ids involved into the associated data, so a wrapped key
copied onto another associate or another grant fails to open.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.security.errors import IntegrityFailure
from crmsup.security.fields import decrypt_with, encrypt_with

PUBLIC_KEY_BYTES = 32


def key_aad(purpose: str, *ids: str) -> bytes:
    return "\x1f".join(("crmsup-key-v1", purpose, *ids)).encode("utf-8")


def wrap_key(wrapping_key: bytes, key: bytes, purpose: str, *ids: str) -> bytes:
    return encrypt_with(AESGCM(wrapping_key), key_aad(purpose, *ids), key)


def unwrap_key(wrapping_key: bytes, wrapped: bytes, purpose: str, *ids: str) -> bytes:
    return decrypt_with(AESGCM(wrapping_key), key_aad(purpose, *ids), wrapped)


def raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _seal_key(shared: bytes, eph_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=eph_public + recipient_public,
        info=b"crmsup-seal-v1",
    ).derive(shared)


def seal(recipient_public: bytes, key: bytes, purpose: str, *ids: str) -> bytes:
    """Seal `key` so that only the holder of the X25519 private key can open it."""
    if len(recipient_public) != PUBLIC_KEY_BYTES:
        raise ValueError("X25519 public keys are 32 bytes")
    eph = X25519PrivateKey.generate()
    eph_public = raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    aead = AESGCM(_seal_key(shared, eph_public, recipient_public))
    return eph_public + encrypt_with(aead, key_aad(purpose, *ids), key)


def unseal(recipient: X25519PrivateKey, sealed: bytes, purpose: str, *ids: str) -> bytes:
    if len(sealed) <= PUBLIC_KEY_BYTES:
        raise IntegrityFailure("a sealed key is malformed")
    eph_public = sealed[:PUBLIC_KEY_BYTES]
    recipient_public = raw_public(recipient.public_key())
    try:
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(eph_public))
    except ValueError:
        raise IntegrityFailure("a sealed key is malformed") from None
    aead = AESGCM(_seal_key(shared, eph_public, recipient_public))
    return decrypt_with(aead, key_aad(purpose, *ids), sealed[PUBLIC_KEY_BYTES:])
