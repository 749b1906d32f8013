"""The throw-away PostgreSQL server and its fixtures actually work."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.helpers.postgres_server import PostgresServer

pytestmark = pytest.mark.postgres


def _current_database(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
            name = conn.execute(text("SELECT current_database()")).scalar_one()
            assert isinstance(name, str)
            return name
    finally:
        engine.dispose()


def _can_connect(family: socket.AddressFamily, address: str, port: int) -> bool:
    """Whether a TCP connection to (address, port) succeeds; refused, unreachable or
    an unsupported address family (no IPv6) all count as no."""
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(2.0)
            probe.connect((address, port))
    except OSError:
        return False
    return True


def test_url_accepts_a_connection(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "127.0.0.1"
    assert _current_database(postgres_url) == url.database


@pytest.mark.parametrize("run", [1, 2])
def test_postgres_url_is_fresh_every_time(postgres_url: str, run: int) -> None:
    # Both runs create the same table; the second would fail if they shared a database.
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(text("SELECT to_regclass('marker')")).scalar_one() is None
            conn.execute(text("CREATE TABLE marker (run integer)"))
            conn.execute(text("INSERT INTO marker VALUES (:run)"), {"run": run})
    finally:
        engine.dispose()


def test_each_test_gets_its_own_database(postgres_server: PostgresServer) -> None:
    first = postgres_server.create_database("crmsup_harness_a")
    second = postgres_server.create_database("crmsup_harness_b")
    try:
        assert first != second
        engine = create_engine(first)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE only_in_a (id integer)"))
        finally:
            engine.dispose()
        engine = create_engine(second)
        try:
            with engine.connect() as conn:
                found = conn.execute(text("SELECT to_regclass('only_in_a')")).scalar_one()
                assert found is None
        finally:
            engine.dispose()
    finally:
        postgres_server.drop_database("crmsup_harness_a")
        postgres_server.drop_database("crmsup_harness_b")


def test_drop_terminates_leftover_connections(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("crmsup_harness_leftover")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            # The pooled connection stays checked in and open: drop must still work.
        postgres_server.drop_database("crmsup_harness_leftover")
    finally:
        engine.dispose()
    engine = create_engine(postgres_server.admin_url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT count(*) FROM pg_database WHERE datname = 'crmsup_harness_leftover'")
            ).scalar_one()
            assert exists == 0
    finally:
        engine.dispose()


def test_listens_on_loopback_only(postgres_server: PostgresServer) -> None:
    engine = create_engine(postgres_server.admin_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
            assert conn.execute(text("SELECT host(inet_server_addr())")).scalar_one() == (
                "127.0.0.1"
            )
    finally:
        engine.dispose()
    # Had it bound to a wildcard address, these would connect.  On Linux the whole
    # of 127.0.0.0/8 is loopback, so 127.0.0.2 reaches a wildcard listener.
    assert not _can_connect(socket.AF_INET, "127.0.0.2", postgres_server.port)
    assert not _can_connect(socket.AF_INET6, "::1", postgres_server.port)
    assert _can_connect(socket.AF_INET, "127.0.0.1", postgres_server.port)
