"""Column types shared by the models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy import Uuid as _SqlUuid
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so it is restored here)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Uuid(_SqlUuid[uuid.UUID]):
    """SQLAlchemy's `Uuid`, read through a small cache where the database keeps ids as text
    (SQLite; PostgreSQL's driver hands back `uuid.UUID` itself). The same few ids recur in
    every row of a file — the associate, the people who wrote it, the levels, the template —
    and parsing the text of one costs more than all the other columns of its row. A UUID is
    immutable, so sharing one object between rows is safe."""

    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        process = super().result_processor(dialect, coltype)  # type: ignore[no-untyped-call]
        if process is None or not self.as_uuid:
            return process
        return _read_uuid


@lru_cache(maxsize=1 << 14)
def _parsed(text: str) -> uuid.UUID:
    return uuid.UUID(text)


def _read_uuid(value: str | None) -> uuid.UUID | None:
    return None if value is None else _parsed(value)


def utcnow() -> datetime:
    return datetime.now(UTC)
