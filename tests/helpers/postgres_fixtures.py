"""pytest fixtures for a throw-away PostgreSQL server.

Registered from ``tests/conftest.py`` with
``pytest_plugins = ["tests.helpers.postgres_fixtures"]``.

* ``postgres_server`` (session): one server for the whole run, stopped at the end.
  Without PostgreSQL binaries the test is skipped, or fails when the environment
  sets ``CRMSUP_REQUIRE_POSTGRES=1`` (as ``.ci/run`` does).
* ``postgres_url`` (function): a fresh, empty database on that server; yields its
  SQLAlchemy URL and drops it afterwards.  Dispose of your engines before the test
  ends; leftover connections are terminated by the drop anyway.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.helpers.postgres_server import PostgresServer, find_pg_bin

__all__ = ["REQUIRE_POSTGRES_ENV", "postgres_server", "postgres_url"]

REQUIRE_POSTGRES_ENV = "CRMSUP_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throw-away PostgreSQL server, listening on 127.0.0.1, for the whole run."""
    if find_pg_bin() is None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(
                f"{REQUIRE_POSTGRES_ENV}=1 but the PostgreSQL binaries (initdb, pg_ctl, "
                "postgres) were found neither in /usr/lib/postgresql/*/bin nor on PATH; "
                "install them (Debian: apt-get install postgresql)",
                pytrace=False,
            )
        pytest.skip("PostgreSQL binaries not installed")
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database, dropped after the test."""
    name = f"crmsup_test_{uuid.uuid4().hex}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)
