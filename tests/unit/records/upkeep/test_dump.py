"""The logical dump: exact round trips of every column type, and a malformed dump refused."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from crmsup.records.database import alembic_config, head_revision
from crmsup.records.engine import create_engine_for
from crmsup.records.models import User
from crmsup.records.schema import METADATA
from crmsup.records.upkeep.dump import (
    decode,
    encode,
    iter_lines,
    load_dump,
    read_dump,
    row_counts,
    write_dump,
)
from crmsup.security.errors import IntegrityFailure
from tests.factories import Org


def _dump(org: Org) -> list[bytes]:
    lines: list[bytes] = []
    with org.db.engine.connect() as connection, connection.begin():
        write_dump(connection, head_revision(), lines.append)
    return lines


def _load(engine: Engine, lines: list[bytes]) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), head_revision())
        connection.execute(METADATA.tables["audit_head"].delete())  # the migration's seed
        load_dump(connection, read_dump(lines, head_revision(), batch=3))


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            t.name: [
                tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))
            ]
            for t in METADATA.sorted_tables
        }


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def copy_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database beside `org` (whose SQLite file is tmp_path/crmsup.db)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'copy.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_a_dump_loads_back_row_for_row(org: Org, copy_url: str) -> None:
    """On either backend, from either backend: every value comes back equal."""
    target = create_engine_for(copy_url)
    try:
        _load(target, _dump(org))
        assert _rows(target) == _rows(org.db.engine)
    finally:
        target.dispose()


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_accounts_that_confirm_each_other_load_in_any_order(org: Org, tmp_path: Path) -> None:
    """users.confirmed_by refers to users: one of the two orders puts a child first."""
    lines = _dump(org)
    start = next(i for i, line in enumerate(lines) if line.startswith(b'{"table":"users"'))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(b'{"end":"users"'))
    reordered = [*lines[: start + 1], *reversed(lines[start + 1 : end]), *lines[end:]]
    with org.db.transaction() as session:
        assert session.scalar(select(User.id).where(User.confirmed_by.is_not(None)).limit(1))
    for number, variant in enumerate((lines, reordered)):
        target = create_engine_for(f"sqlite:///{tmp_path / f'{number}.db'}")
        try:
            _load(target, variant)
            assert _rows(target)["users"] == _rows(org.db.engine)["users"]
        finally:
            target.dispose()


def test_no_table_has_a_counter_that_a_load_would_leave_behind() -> None:
    """Loaded rows keep their keys; an autoincrement key would also need its sequence moved."""
    assert [t.name for t in METADATA.sorted_tables if t.autoincrement_column is not None] == []


@given(
    st.one_of(
        st.tuples(st.just("bytes"), st.binary()),
        st.tuples(st.just("str"), st.text()),
        st.tuples(st.just("int"), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
        st.tuples(st.just("bool"), st.booleans()),
        st.tuples(st.just("uuid"), st.uuids()),
        st.tuples(st.just("date"), st.dates()),
        st.tuples(st.just("datetime"), st.datetimes(timezones=st.just(UTC))),
    )
)
def test_every_codec_round_trips_through_json(pair: tuple[str, Any]) -> None:
    codec, value = pair
    assert decode(codec, json.loads(json.dumps(encode(codec, value)))) == value
    assert decode(codec, None) is None


@pytest.mark.parametrize(
    ("codec", "value"),
    [
        ("int", True),
        ("int", "1"),
        ("bool", 1),
        ("bytes", "not base64!"),
        ("uuid", "nope"),
        ("date", "2025-13-01"),
        ("datetime", "2025-01-01T00:00:00"),  # naive: the zone is part of the value
        ("str", 5),
        ("float", 1.5),
    ],
)
def test_a_value_that_does_not_fit_its_codec_is_refused(codec: str, value: object) -> None:
    with pytest.raises(IntegrityFailure):
        decode(codec, value)


def test_an_aware_time_keeps_its_instant() -> None:
    moment = datetime(2025, 3, 30, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert decode("datetime", encode("datetime", moment)) == moment
    assert decode("date", encode("date", date(2024, 2, 29))) == date(2024, 2, 29)
    assert decode("uuid", encode("uuid", uuid.UUID(int=7))) == uuid.UUID(int=7)


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_a_whole_dump_reads_from_chunks(org: Org) -> None:
    lines = _dump(org)
    payload = b"".join(lines)
    chunks = [payload[i : i + 7] for i in range(0, len(payload), 7)]
    counts = row_counts(read_dump(iter_lines(chunks), head_revision()))
    assert counts["users"] == 6
    assert list(counts) == [t.name for t in METADATA.sorted_tables]


def _malformed(lines: list[bytes], how: str) -> list[bytes]:
    end = next(i for i, line in enumerate(lines) if line.startswith(b'{"end":"users"'))
    return {
        "cut short": lines[:-1],
        "a row lost": [*lines[: end - 1], *lines[end:]],
        "a line cut": [*lines[:-1], lines[-1][:-1]],
        "not json": [*lines[:3], b"{\n", *lines[3:]],
        "trailing": [*lines, b"[]\n"],
        "a row too short": [*lines[: end - 1], b"[1]\n", *lines[end:]],
    }[how]


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "how", ["cut short", "a row lost", "a line cut", "not json", "trailing", "a row too short"]
)
def test_a_malformed_dump_is_refused(org: Org, how: str) -> None:
    variant = _malformed(_dump(org), how)
    with pytest.raises(IntegrityFailure):
        row_counts(read_dump(variant, head_revision()))


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_a_dump_of_another_schema_is_refused(org: Org) -> None:
    with pytest.raises(IntegrityFailure, match="schema"):
        row_counts(read_dump(_dump(org), "0001"))
