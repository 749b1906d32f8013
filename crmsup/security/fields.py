"""Authenticated encryption of single database fields.

Each value is AES-256-GCM under the key of the record's owner, with associated data that names
the table, the column, the row id and the key id. A byte flipped, or a value copied into another
row or column, fails to decrypt and raises `IntegrityFailure`: never an empty field.

Layout: version byte (1) | nonce (12) | ciphertext and tag.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from crmsup.security.errors import IntegrityFailure

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


def field_aad(table: str, column: str, row_id: str, key_id: str) -> bytes:
    """The associated data of one field: where its ciphertext lives, and under which key."""
    return f"crmsup-field-v1\x1f{table}\x1f{column}\x1f{row_id}\x1f{key_id}".encode()


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


class FieldCipher:
    """Encrypts and decrypts the fields of one key; cheap to keep per data key."""

    __slots__ = ("_aead", "key_id")

    def __init__(self, key: bytes, key_id: str) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("field keys are 32 bytes")
        self._aead = AESGCM(key)
        self.key_id = key_id

    def encrypt(self, table: str, column: str, row_id: str, plaintext: str) -> bytes:
        return self.encrypt_bytes(table, column, row_id, plaintext.encode("utf-8"))

    def decrypt(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        aad = field_aad(table, column, row_id, self.key_id)
        return decrypt_with(self._aead, aad, blob).decode("utf-8")

    def encrypt_bytes(self, table: str, column: str, row_id: str, plaintext: bytes) -> bytes:
        """For files (attachments): the same format and binding as text fields."""
        return encrypt_with(self._aead, field_aad(table, column, row_id, self.key_id), plaintext)

    def decrypt_bytes(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        return decrypt_with(self._aead, field_aad(table, column, row_id, self.key_id), blob)


def decrypt_with(aead: AESGCM, aad: bytes, blob: bytes) -> bytes:
    """Open one v1 blob; shared by `FieldCipher` and key unwrapping."""
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_V1:
        raise IntegrityFailure("an encrypted value is malformed")
    try:
        return aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], aad)
    except InvalidTag:
        raise IntegrityFailure("an encrypted value failed its integrity check") from None


def encrypt_with(aead: AESGCM, aad: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_V1 + nonce + aead.encrypt(nonce, plaintext, aad)
