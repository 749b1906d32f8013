"""Shared fixtures: a database on each backend, and a small organisation to work in.

Argon2id costs a quarter of a second per password by design, so the organisation of the
`org` fixture is built once per backend and copied for each test (a file copy on SQLite, a
template database on PostgreSQL); the logged-in actors are rebuilt from the keys the one
real login opened.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmsup.records.actor import Actor
from crmsup.records.database import Database, open_database
from tests.factories import Org, build_org
from tests.helpers.postgres_server import PostgresServer

pytest_plugins = ["tests.helpers.postgres_fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _workstation_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the workstation's audit checkpoints of every test out of the real state folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRMSUP_STATE_DIR", str(tmp_path_factory.mktemp("state")))
        yield


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty database: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'crmsup.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'crmsup.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@dataclass(frozen=True)
class _Template:
    location: str  # an SQLite file path, or a PostgreSQL database name
    actors: tuple[Actor, ...]
    recovery_sheet: str

    def org(self, db: Database) -> Org:
        admin, hr, sup_a, sup_b, manager, auditor = (
            Actor(a.user_id, a.username, a.role, a.site_id, a.keys) for a in self.actors
        )
        return Org(db, admin, hr, sup_a, sup_b, manager, auditor, self.recovery_sheet)


class _Templates:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[str, _Template] = {}

    def _build(self, url: str, location: str) -> _Template:
        db = open_database(url)
        try:
            org = build_org(db)
        finally:
            db.dispose()
        actors = (org.admin, org.hr, org.sup_a, org.sup_b, org.manager, org.auditor)
        return _Template(location, actors, org.recovery_sheet)

    def sqlite(self) -> _Template:
        if "sqlite" not in self.built:
            path = self.folder / "org-template.db"
            self.built["sqlite"] = self._build(f"sqlite:///{path}", str(path))
        return self.built["sqlite"]

    def postgres(self, server: PostgresServer) -> _Template:
        if "postgresql" not in self.built:
            name = "crmsup_org_template"
            self.built["postgresql"] = self._build(server.create_database(name), name)
        return self.built["postgresql"]


@pytest.fixture(scope="session")
def org_templates(tmp_path_factory: pytest.TempPathFactory) -> _Templates:
    return _Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def org(request: pytest.FixtureRequest, tmp_path: Path, org_templates: _Templates) -> Iterator[Org]:
    """Organisation Acme, site Lyon, admin `root`, `hr`, site manager `manager`, `auditor`,
    and teams A and B with a supervisor each (`sup-a`, `sup-b`), everyone logged in; a
    private copy for each test."""
    if request.param == "sqlite":
        template = org_templates.sqlite()
        path = tmp_path / "crmsup.db"
        shutil.copyfile(template.location, path)
        path.chmod(0o600)
        url = f"sqlite:///{path}"
        cleanup = None
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        template = org_templates.postgres(server)
        name = f"crmsup_test_{uuid.uuid4().hex}"
        url = server.create_database(name, template=template.location)
        cleanup = name
    db = open_database(url)
    try:
        yield template.org(db)
    finally:
        db.dispose()
        if cleanup is not None:
            server.drop_database(cleanup)
