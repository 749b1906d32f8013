"""Password key derivation: Argon2id with parameters stored per user.

The parameters travel with each user's record so that raising the defaults later does not lock
anyone out: the next successful login re-derives with the new defaults (see `needs_upgrade`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

SALT_BYTES = 16
KEY_BYTES = 32

#: DESIGN.md "Keys" 3: never below 64 MiB and three passes.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost parameters; `memory_kib` is in KiB as Argon2 counts it."""

    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    lanes: int = 4

    def __post_init__(self) -> None:
        if self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS:
            raise ValueError("Argon2id parameters below the minimum of 64 MiB and t=3")
        if self.lanes < 1:
            raise ValueError("Argon2id needs at least one lane")

    def weaker_than(self, other: KdfParams) -> bool:
        """True when `other` costs more in memory or passes than these parameters."""
        return self.memory_kib < other.memory_kib or self.iterations < other.iterations


DEFAULT_PARAMS = KdfParams()


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """Derive the 32-byte key that seals a user's private keys."""
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(password.encode("utf-8"))


def needs_upgrade(stored: KdfParams, current_defaults: KdfParams = DEFAULT_PARAMS) -> bool:
    return stored.weaker_than(current_defaults)
