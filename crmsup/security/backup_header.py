"""The header of a backup file: what the file holds, and its file key sealed twice.

The file key is sealed to the backing-up admin's X25519 key and to the organisation recovery
key. The header also carries a copy of that admin's Argon2id parameters, salt and sealed
private keys, so that on an empty database their password alone opens the file. Whoever holds
the file may therefore try passwords offline, at Argon2id's cost, exactly as with a copy of
the database itself.

The header is plain JSON (no person's data: ids, a user name, key material that is itself
sealed); `crmsup.security.backup_format` authenticates it under the file key.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from crmsup.security.errors import IntegrityFailure
from crmsup.security.kdf import KdfParams
from crmsup.security.user_keys import UserKeys
from crmsup.security.wrapping import raw_public, seal, unseal

FILE_KEY_BYTES = 32
DEFAULT_CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 16 << 20
_FILE_KEY_PURPOSE = "backup-file-key"
_UNREADABLE = "the backup file is damaged: its header cannot be read"


class Backend(StrEnum):
    """What the payload is: an SQLite file image, or a logical dump of every table."""

    SQLITE = "sqlite"
    LOGICAL = "logical"


@dataclass(frozen=True, slots=True)
class AdminCopy:
    """What opens the file with the backing-up admin's password, on an empty database."""

    user_id: str
    username: str
    kdf: KdfParams
    salt: bytes
    sealed_private: bytes
    exchange_public: bytes

    def open(self, password: str) -> UserKeys:
        """The admin's private keys; `WrongPassword` when the password does not open them."""
        return UserKeys.open_with_password(
            self.sealed_private, password, self.salt, self.kdf, self.user_id
        )


@dataclass(frozen=True, slots=True)
class BackupHeader:
    file_id: bytes
    organisation_id: str
    backend: Backend
    schema: str
    created_at: str
    chunk_size: int
    admin: AdminCopy
    recovery_public: bytes
    key_for_admin: bytes
    key_for_recovery: bytes

    def _ids(self) -> tuple[str, str]:
        return self.organisation_id, self.file_id.hex()

    def open_with_keys(self, exchange: X25519PrivateKey) -> bytes:
        """The file key, opened with the backing-up admin's own X25519 key."""
        ids = (*self._ids(), f"user:{self.admin.user_id}")
        return unseal(exchange, self.key_for_admin, _FILE_KEY_PURPOSE, *ids)

    def open_with_recovery(self, recovery: X25519PrivateKey) -> bytes:
        """The file key, opened with the organisation recovery key."""
        if raw_public(recovery.public_key()) != self.recovery_public:
            raise IntegrityFailure(
                "this recovery key belongs to another organisation than this backup"
            )
        return unseal(recovery, self.key_for_recovery, _FILE_KEY_PURPOSE, *self._ids(), "recovery")

    def encode(self) -> bytes:
        def b64(raw: bytes) -> str:
            return base64.b64encode(raw).decode("ascii")

        kdf = self.admin.kdf
        document = {
            "file_id": self.file_id.hex(),
            "organisation_id": self.organisation_id,
            "backend": self.backend.value,
            "schema": self.schema,
            "created_at": self.created_at,
            "chunk_size": self.chunk_size,
            "admin": {
                "user_id": self.admin.user_id,
                "username": self.admin.username,
                "kdf": [kdf.memory_kib, kdf.iterations, kdf.lanes],
                "salt": b64(self.admin.salt),
                "sealed_private": b64(self.admin.sealed_private),
                "exchange_public": b64(self.admin.exchange_public),
            },
            "recovery_public": b64(self.recovery_public),
            "key_for_admin": b64(self.key_for_admin),
            "key_for_recovery": b64(self.key_for_recovery),
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def decode(cls, raw: bytes) -> BackupHeader:
        try:
            doc = json.loads(raw.decode("utf-8"))
            admin = doc["admin"]
            memory, iterations, lanes = (_int(v) for v in admin["kdf"])
            header = cls(
                file_id=bytes.fromhex(_str(doc["file_id"])),
                organisation_id=_str(doc["organisation_id"]),
                backend=Backend(doc["backend"]),
                schema=_str(doc["schema"]),
                created_at=_str(doc["created_at"]),
                chunk_size=_int(doc["chunk_size"]),
                admin=AdminCopy(
                    user_id=_str(admin["user_id"]),
                    username=_str(admin["username"]),
                    kdf=KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes),
                    salt=_bytes(admin["salt"]),
                    sealed_private=_bytes(admin["sealed_private"]),
                    exchange_public=_bytes(admin["exchange_public"]),
                ),
                recovery_public=_bytes(doc["recovery_public"]),
                key_for_admin=_bytes(doc["key_for_admin"]),
                key_for_recovery=_bytes(doc["key_for_recovery"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise IntegrityFailure(_UNREADABLE) from None
        if not 1 <= header.chunk_size <= MAX_CHUNK_SIZE:
            raise IntegrityFailure("the backup file is damaged: its chunk size is out of range")
        return header


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def _bytes(value: Any) -> bytes:
    return base64.b64decode(_str(value), validate=True)


def new_file_key() -> bytes:
    return os.urandom(FILE_KEY_BYTES)


def make_header(
    file_key: bytes,
    *,
    organisation_id: str,
    backend: Backend,
    schema: str,
    created_at: str,
    admin: AdminCopy,
    recovery_public: bytes,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> BackupHeader:
    """A header for a new file, with `file_key` sealed to the admin and the recovery key."""
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk size out of range")
    file_id = os.urandom(16)
    ids = (organisation_id, file_id.hex())
    return BackupHeader(
        file_id=file_id,
        organisation_id=organisation_id,
        backend=backend,
        schema=schema,
        created_at=created_at,
        chunk_size=chunk_size,
        admin=admin,
        recovery_public=recovery_public,
        key_for_admin=seal(
            admin.exchange_public, file_key, _FILE_KEY_PURPOSE, *ids, f"user:{admin.user_id}"
        ),
        key_for_recovery=seal(recovery_public, file_key, _FILE_KEY_PURPOSE, *ids, "recovery"),
    )
