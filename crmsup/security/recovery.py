"""The organisation recovery key.

An X25519 key pair made once at `init`. Every scope key is also sealed to its public half; the
private half is printed on a sheet the organisation keeps offline and never stored in the
database. The sheet is plain text so it prints anywhere and can be typed back in.
"""

from __future__ import annotations

import base64
import re

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from crmsup.security.errors import CrmsupError
from crmsup.security.wrapping import raw_public

_BEGIN = "-----BEGIN CRMSUP RECOVERY KEY-----"
_END = "-----END CRMSUP RECOVERY KEY-----"
# Read back leniently: a sheet typed in again may differ in case and spacing.
_BLOCK = re.compile(
    r"-+\s*BEGIN\s+CRMSUP\s+RECOVERY\s+KEY\s*-+(.*?)-+\s*END\s+CRMSUP\s+RECOVERY\s+KEY\s*-+",
    re.IGNORECASE | re.DOTALL,
)


class MalformedRecoverySheet(CrmsupError):
    """The recovery sheet could not be read back."""


def new_recovery_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def recovery_sheet(key: X25519PrivateKey, organisation: str) -> str:
    """Text of the printable sheet: instructions and the key in 4-character groups."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    encoded = base64.b32encode(raw).decode("ascii").rstrip("=")
    groups = " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))
    fingerprint = raw_public(key.public_key()).hex()[:16]
    return "\n".join(
        [
            f"crmsup organisation recovery key — {organisation}",
            "",
            "Keep this sheet in a safe. It opens every team's records when the last person",
            "who holds a team's key has lost their password. It is shown once and is not",
            "stored anywhere else. Whoever holds it can read the records: guard it.",
            "",
            f"Fingerprint: {fingerprint}",
            _BEGIN,
            groups,
            _END,
            "",
        ]
    )


def read_recovery_sheet(text: str) -> X25519PrivateKey:
    match = _BLOCK.search(text)
    if match is None:
        raise MalformedRecoverySheet("this file is not a crmsup recovery sheet")
    letters = re.sub(r"\s+", "", match.group(1)).upper()
    try:
        raw = base64.b32decode(letters + "=" * (-len(letters) % 8))
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise MalformedRecoverySheet("the recovery key on this sheet is damaged") from None
