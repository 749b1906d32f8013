"""The logical dump: every table in foreign-key order, as typed JSON lines.

PostgreSQL has no single file to copy, so a backup of it is this dump (written inside one
REPEATABLE READ snapshot), streamed into the encrypted backup format. The lines are::

    {"dump": 1, "schema": REVISION}
    {"table": NAME, "columns": [[NAME, CODEC], ...], "key": [...], "deferred": [...]}
    [VALUE, ...]                          one line per row
    {"end": NAME, "rows": COUNT}
    ...
    {"done": TABLE_COUNT}

Each column names its codec, so bytes, UUIDs, aware datetimes and dates come back exactly,
and a dump made by an older schema loads without today's models. `deferred` lists columns
that refer to their own table (an account confirmed by another account): they are loaded as
NULL and set once the whole table is in, so row order never trips a foreign key.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Uuid,
    and_,
    bindparam,
    column,
    select,
    table,
    type_coerce,
)
from sqlalchemy.sql.expression import ColumnElement, TableClause
from sqlalchemy.types import TypeDecorator, TypeEngine

from crmsup.records.schema import METADATA
from crmsup.records.types import UtcDateTime
from crmsup.security.errors import IntegrityFailure

DUMP_VERSION = 1
_BATCH = 500
_MALFORMED = "the backup's table dump is malformed"

Row = dict[str, Any]


def codec_of(col: Column[Any]) -> str:
    """The codec of a model column; a type without one is a bug to fix here, not data to lose."""
    kind = _stored_type(col)
    if isinstance(kind, UtcDateTime):
        return "datetime"
    checks: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
        (LargeBinary, "bytes"),
        (Uuid, "uuid"),
        (Boolean, "bool"),
        (Integer, "int"),
        (Date, "date"),
        (String, "str"),
    )
    for sql_type, codec in checks:
        if isinstance(kind, sql_type) and not isinstance(kind, DateTime):
            return codec
    raise TypeError(f"no dump codec for {col.table.name}.{col.name} ({kind!r})")


def _stored_type(col: Column[Any]) -> TypeEngine[Any]:
    """The type whose values a dump holds: a column type of the models' own making (hours
    kept as hundredths, …) is dumped as what it stores, so it comes back exactly; aware
    datetimes keep their own codec."""
    kind = col.type
    if isinstance(kind, TypeDecorator) and not isinstance(kind, UtcDateTime):
        stored: TypeEngine[Any] = kind.impl_instance
        return stored
    return kind


def _selected(col: Column[Any]) -> ColumnElement[Any]:
    kind = _stored_type(col)
    return col if kind is col.type else type_coerce(col, kind).label(col.name)


_SQL_TYPES: dict[str, Callable[[], TypeEngine[Any]]] = {
    "str": String,
    "int": BigInteger,
    "bool": Boolean,
    "bytes": LargeBinary,
    "uuid": Uuid,
    "datetime": UtcDateTime,
    "date": Date,
}


def encode(codec: str, value: Any) -> Any:
    if value is None:
        return None
    if codec == "bytes":
        return base64.b64encode(value).decode("ascii")
    if codec in ("uuid", "datetime", "date"):
        return str(value) if codec == "uuid" else value.isoformat()
    if codec == "str" and isinstance(value, Enum):
        return value.value
    return value


def decode(codec: str, value: Any) -> Any:
    """The value a dump line holds, checked against its codec."""
    if value is None:
        return None
    try:
        if codec == "bool" and isinstance(value, bool):
            return value
        if codec == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            if codec == "str":
                return value
            if codec == "bytes":
                return base64.b64decode(value, validate=True)
            if codec == "uuid":
                return uuid.UUID(value)
            if codec == "date":
                return date.fromisoformat(value)
            if codec == "datetime":
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    return moment
    except ValueError:
        pass
    raise IntegrityFailure(f"{_MALFORMED}: a {codec} value is not one")


def _line(document: Any) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def write_dump(
    connection: Connection,
    schema: str,
    write: Callable[[bytes], None],
    tables: Iterable[Table] | None = None,
) -> dict[str, int]:
    """Write every table (by default all of the models', parents first); return row counts."""
    counts: dict[str, int] = {}
    write(_line({"dump": DUMP_VERSION, "schema": schema}))
    for source in METADATA.sorted_tables if tables is None else tables:
        columns = list(source.columns)
        codecs = [codec_of(c) for c in columns]
        deferred = sorted(
            {fk.parent.name for fk in source.foreign_keys if fk.column.table is source}
        )
        write(
            _line(
                {
                    "table": source.name,
                    "columns": [[c.name, k] for c, k in zip(columns, codecs, strict=True)],
                    "key": [c.name for c in source.primary_key.columns],
                    "deferred": deferred,
                }
            )
        )
        query = select(*(_selected(c) for c in columns)).order_by(*source.primary_key.columns)
        rows = connection.execution_options(yield_per=1000).execute(query)
        count = 0
        try:
            for row in rows:
                write(_line([encode(k, v) for k, v in zip(codecs, row, strict=True)]))
                count += 1
        finally:
            rows.close()
        write(_line({"end": source.name, "rows": count}))
        counts[source.name] = count
    write(_line({"done": len(counts)}))
    return counts


def iter_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines (with their newline) of a payload handed over in chunks."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line + b"\n"
    if pending:
        yield pending


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    deferred: tuple[str, ...]

    def clause(self) -> TableClause:
        return table(self.name, *(column(n, _SQL_TYPES[c]()) for n, c in self.columns))


def _parse(line: bytes | None) -> Any:
    if line is None or not line.endswith(b"\n"):
        raise IntegrityFailure(f"{_MALFORMED}: it ends early")
    try:
        return json.loads(line)
    except ValueError:
        raise IntegrityFailure(_MALFORMED) from None


def _spec(document: Any) -> TableSpec:
    try:
        columns = tuple((str(n), str(c)) for n, c in document["columns"])
        spec = TableSpec(
            str(document["table"]),
            columns,
            tuple(str(k) for k in document["key"]),
            tuple(str(d) for d in document["deferred"]),
        )
    except (KeyError, TypeError, ValueError):
        raise IntegrityFailure(_MALFORMED) from None
    names = {n for n, _ in columns}
    if (
        any(c not in _SQL_TYPES for _, c in columns)
        or not set(spec.key) | set(spec.deferred) <= names
    ):
        raise IntegrityFailure(_MALFORMED)
    return spec


def read_dump(
    lines: Iterable[bytes], schema: str, batch: int = _BATCH
) -> Iterator[tuple[TableSpec, list[Row]]]:
    """Batches of decoded rows, table by table (every table at least once, maybe with no
    rows); fails with IntegrityFailure on anything malformed or missing."""
    source = iter(lines)
    if _parse(next(source, None)) != {"dump": DUMP_VERSION, "schema": schema}:
        raise IntegrityFailure(f"{_MALFORMED}: it does not match the backup's schema")
    tables = 0
    while True:
        document = _parse(next(source, None))
        if isinstance(document, dict) and set(document) == {"done"}:
            if document["done"] != tables or next(source, None) is not None:
                raise IntegrityFailure(_MALFORMED)
            return
        spec = _spec(document)
        codecs = [c for _, c in spec.columns]
        rows: list[Row] = []
        count = 0
        while True:
            document = _parse(next(source, None))
            if isinstance(document, dict):
                break
            if not isinstance(document, list) or len(document) != len(codecs):
                raise IntegrityFailure(_MALFORMED)
            values = (decode(c, v) for c, v in zip(codecs, document, strict=True))
            rows.append(dict(zip((n for n, _ in spec.columns), values, strict=True)))
            count += 1
            if len(rows) >= batch:
                yield spec, rows
                rows = []
        if document != {"end": spec.name, "rows": count}:
            raise IntegrityFailure(f"{_MALFORMED}: table {spec.name} is incomplete")
        if rows or count == 0:
            yield spec, rows
        tables += 1


def load_dump(connection: Connection, batches: Iterable[tuple[TableSpec, list[Row]]]) -> None:
    """Insert every row in `connection`'s transaction; self-references are set last."""
    updates: list[tuple[TableSpec, list[Row]]] = []
    for spec, rows in batches:
        clause = spec.clause()
        if spec.deferred:
            later = [
                {**{f"k_{k}": r[k] for k in spec.key}, **{f"v_{d}": r[d] for d in spec.deferred}}
                for r in rows
                if any(r[d] is not None for d in spec.deferred)
            ]
            if later:
                updates.append((spec, later))
            rows = [{**r, **dict.fromkeys(spec.deferred)} for r in rows]
        if rows:
            connection.execute(clause.insert(), rows)
    for spec, later in updates:
        clause = spec.clause()
        statement = (
            clause.update()
            .where(and_(*(clause.c[k] == bindparam(f"k_{k}") for k in spec.key)))
            .values({d: bindparam(f"v_{d}") for d in spec.deferred})
        )
        connection.execute(statement, later)


def row_counts(batches: Iterable[tuple[TableSpec, list[Row]]]) -> dict[str, int]:
    """Read a whole dump, checking it; return its row count per table."""
    counts: dict[str, int] = {}
    for spec, rows in batches:
        counts[spec.name] = counts.get(spec.name, 0) + len(rows)
    return counts
