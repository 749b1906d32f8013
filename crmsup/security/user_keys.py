"""A user's own key pair: X25519 (to receive sealed scope keys) and Ed25519 (to sign).

The two private keys are sealed together under a key derived from the user's password, and
with them, since enrolment, the organisation's root public key as the owner first saw it (the
*root pin*): what their client checks every account statement back to, which no one who can
only write the database can change. Changing the password re-seals these 96 bytes and nothing
else; every scope key stays sealed to the unchanged public key. A pair sealed before the pin
existed holds 64 bytes and no pin.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from crmsup.security.errors import IntegrityFailure, WrongPassword
from crmsup.security.kdf import KdfParams, derive_key
from crmsup.security.wrapping import raw_public, unwrap_key, wrap_key

_PURPOSE = "user-private-keys"
_PIN_BYTES = 32


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass(frozen=True, slots=True)
class PublicKeys:
    exchange: bytes
    signing: bytes


@dataclass(frozen=True, slots=True)
class UserKeys:
    """Private keys of an unlocked user; lives only in memory and is dropped on lock."""

    exchange: X25519PrivateKey
    signing: Ed25519PrivateKey
    #: The organisation's root public key this account enrolled under (None: sealed before
    #: enrolment existed, or in an organisation without a root key yet).
    root_pin: bytes | None = None

    @classmethod
    def generate(cls, root_pin: bytes | None = None) -> UserKeys:
        if root_pin is not None and len(root_pin) != _PIN_BYTES:
            raise ValueError("a root pin is a 32-byte public key")
        return cls(X25519PrivateKey.generate(), Ed25519PrivateKey.generate(), root_pin)

    def public(self) -> PublicKeys:
        return PublicKeys(
            exchange=raw_public(self.exchange.public_key()),
            signing=self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        )

    def seal_with_password(
        self, password: str, salt: bytes, params: KdfParams, user_id: str
    ) -> bytes:
        secret = _raw_private(self.exchange) + _raw_private(self.signing) + (self.root_pin or b"")
        return wrap_key(derive_key(password, salt, params), secret, _PURPOSE, user_id)

    @classmethod
    def open_with_password(
        cls, sealed: bytes, password: str, salt: bytes, params: KdfParams, user_id: str
    ) -> UserKeys:
        try:
            secret = unwrap_key(derive_key(password, salt, params), sealed, _PURPOSE, user_id)
        except IntegrityFailure:
            raise WrongPassword("the password does not open this account") from None
        if len(secret) not in (64, 64 + _PIN_BYTES):
            raise IntegrityFailure("an account's sealed keys are malformed")
        return cls(
            X25519PrivateKey.from_private_bytes(secret[:32]),
            Ed25519PrivateKey.from_private_bytes(secret[32:64]),
            secret[64:] or None,
        )
