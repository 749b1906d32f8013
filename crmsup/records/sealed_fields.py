"""Sealing and opening the encrypted columns of one record row in one call.

A record's narrative fields are encrypted under the associate's data key, each bound to its
table, column and row (`crmsup.security.fields`), so a ciphertext moved to another row or
column fails to open. Column names end in `_enc`; the value None stays NULL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crmsup.records.errors import IntegrityFailure
from crmsup.security.fields import FieldCipher


def seal(
    cipher: FieldCipher, table: str, row_id: object, values: Mapping[str, str | None]
) -> dict[str, bytes | None]:
    """{column: ciphertext or None} for `values` given as {column: text or None}."""
    row = str(row_id)
    return {
        column: None if text is None else cipher.encrypt(table, column, row, text)
        for column, text in values.items()
    }


def open_text(
    cipher: FieldCipher, table: str, row_id: object, column: str, blob: bytes | None
) -> str | None:
    return None if blob is None else cipher.decrypt(table, column, str(row_id), blob)


def open_required(
    cipher: FieldCipher, table: str, row_id: object, column: str, blob: bytes | None
) -> str:
    """A field every such record has: missing means tampering (fail closed)."""
    if blob is None:
        raise IntegrityFailure("an encrypted value is missing")
    return cipher.decrypt(table, column, str(row_id), blob)


def seal_json(cipher: FieldCipher, table: str, row_id: object, column: str, value: Any) -> bytes:
    """Structured values (a list of dates, ratings per competency) as canonical JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return cipher.encrypt(table, column, str(row_id), text)


def open_json(
    cipher: FieldCipher, table: str, row_id: object, column: str, blob: bytes | None
) -> Any:
    if blob is None:
        return None
    try:
        return json.loads(cipher.decrypt(table, column, str(row_id), blob))
    except ValueError:
        raise IntegrityFailure("an encrypted value does not hold what was written") from None
