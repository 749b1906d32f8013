"""Backup → restore into an empty database gives the same records and a verifying trail; a
damaged, foreign or misdirected restore is refused with nothing written."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

from crmsup.records import audit
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import Database, alembic_config, head_revision, open_database
from crmsup.records.errors import (
    AuthenticationFailed,
    PermissionDenied,
    SchemaTooNew,
    ValidationFailed,
)
from crmsup.records.models import AuditEntry
from crmsup.records.people import associates as associate_service
from crmsup.records.people import org as org_service
from crmsup.records.people.auth import enrol, login
from crmsup.records.people.dto import NewAssociate
from crmsup.records.types import utcnow
from crmsup.records.upkeep import backup as backup_service
from crmsup.records.upkeep.backup_copy import write_backup
from crmsup.security.backup_header import AdminCopy, Backend, make_header, new_file_key
from crmsup.security.errors import IntegrityFailure
from crmsup.security.kdf import KdfParams
from crmsup.security.recovery import new_recovery_key, recovery_sheet
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, Org, add_associate
from tests.helpers.postgres_server import PostgresServer

PEOPLE = (("E100", "Team A", "Ørjan", "Bøe"), ("E200", "Team B", "Siobhán", "Ní Bhriain"))


def _empty_target(request: pytest.FixtureRequest, tmp_path: Path, sqlite: bool) -> str:
    """A URL of a new database of its own (never the test's `postgres_url`, which may hold
    the organisation backed up)."""
    if sqlite:
        return f"sqlite:///{tmp_path / 'restored' / 'crmsup.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"crmsup_restored_{uuid.uuid4().hex}"
    url = server.create_database(name)
    request.addfinalizer(lambda: server.drop_database(name))
    return url


@pytest.fixture
def target_url(org: Org, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database on the backend of `org`."""
    return _empty_target(request, tmp_path, org.db.is_sqlite)


def _with_people(org: Org) -> None:
    for number, team, first, last in PEOPLE:
        add_associate(org, number, team, first, last, email=f"{number.lower()}@example.org")


def _entries(db: Database) -> list[tuple[str, str | None, bool]]:
    with db.transaction() as session:
        rows = session.execute(
            select(
                AuditEntry.action, AuditEntry.actor_name, AuditEntry.signature.is_not(None)
            ).order_by(AuditEntry.sequence)
        ).all()
    return [(a, n, bool(s)) for a, n, s in rows]


def _assert_nothing_written(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        assert not path.exists()
        assert not path.parent.exists() or list(path.parent.iterdir()) == []
        return
    engine = create_engine(url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_backup_then_restore_gives_the_same_records(
    org: Org, target_url: str, tmp_path: Path
) -> None:
    _with_people(org)
    made = backup_service.backup(org.db, org.admin, tmp_path / "acme.crmsupbak")
    assert made.backend == ("sqlite" if org.db.is_sqlite else "logical")
    assert made.file.stat().st_mode & 0o777 == 0o600
    restored = backup_service.restore(target_url, made.file, username="root", password=PASSWORD)
    assert (restored.organisation, restored.audit_ok, restored.file_id) == (
        "Acme",
        True,
        made.file_id,
    )
    assert restored.entries == made.entries + 1
    db = open_database(target_url)
    try:
        hr = login(db, "hr", PASSWORD)
        roster = associate_service.list_roster(db, hr)
        assert roster == associate_service.list_roster(org.db, org.hr)
        assert [r.last_name for r in roster.rows] == ["Bøe", "Ní Bhriain"]
        for number, *_ in PEOPLE:
            assert associate_service.get_associate(
                db, hr, number
            ) == associate_service.get_associate(org.db, org.hr, number)
        sup_a = login(db, "sup-a", SUPERVISOR_PASSWORD)
        assert [r.employee_no for r in associate_service.list_roster(db, sup_a).rows] == ["E100"]
        entries = _entries(db)
        assert ("backup", "root", True) in entries
        assert ("restore", "root", True) in entries
        assert audit_service.verify(db).ok
    finally:
        db.dispose()


def test_the_backup_holds_no_persons_data(org: Org, tmp_path: Path) -> None:
    _with_people(org)
    data = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak").file.read_bytes()
    for _number, _team, first, last in PEOPLE:
        assert first.encode() not in data
        assert last.encode() not in data
    assert b"example.org" not in data
    assert b"Storgata" not in data


@pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_recovery_sheet_restores_into_an_initialised_empty_database(
    db: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    key = new_recovery_key()
    org_service.initialise(
        db, organisation="Acme", site="Lyon", admin="root", hr="hr", password=PASSWORD, recovery=key
    )
    hr = login(db, "hr", PASSWORD)
    org_service.add_team(db, hr, "Team A", "Lyon")
    new = NewAssociate(employee_no="E100", first_name="Ørjan", last_name="Bøe", team="Team A")
    before = associate_service.add_associate(db, hr, new)
    admin = enrol(db, "root", PASSWORD, "IT's own passphrase")
    made = backup_service.backup(db, admin, tmp_path / "b.crmsupbak")
    target = _empty_target(request, tmp_path, db.is_sqlite)
    open_database(target).dispose()  # a schema already in place, but no organisation
    with pytest.raises(IntegrityFailure, match="another organisation"):
        backup_service.restore(
            target, made.file, recovery_sheet_text=recovery_sheet(new_recovery_key(), "Other")
        )
    restored = backup_service.restore(
        target, made.file, recovery_sheet_text=recovery_sheet(key, "Acme")
    )
    assert (restored.audit_ok, restored.opened_with) == (True, "recovery key")
    copy = open_database(target)
    try:
        assert _entries(copy)[-1] == ("restore", None, False)
        assert associate_service.get_associate(copy, login(copy, "hr", PASSWORD), "E100") == before
    finally:
        copy.dispose()


@pytest.mark.parametrize("damage", ["truncated", "flipped", "appended"])
def test_a_damaged_backup_is_refused_and_nothing_is_written(
    org: Org, target_url: str, tmp_path: Path, damage: str
) -> None:
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    data = bytearray(made.file.read_bytes())
    if damage == "truncated":
        data = data[: len(data) - 100]
    elif damage == "flipped":
        data[len(data) // 2] ^= 0x04
    else:
        data += b"more"
    made.file.write_bytes(bytes(data))
    with pytest.raises(IntegrityFailure):
        backup_service.restore(target_url, made.file, username="root", password=PASSWORD)
    _assert_nothing_written(target_url)


def test_a_database_that_holds_an_organisation_is_not_restored_into(
    org: Org, tmp_path: Path
) -> None:
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    before = _entries(org.db)
    url = org.db.engine.url.render_as_string(hide_password=False)
    with pytest.raises(ValidationFailed, match="already holds an organisation"):
        backup_service.restore(url, made.file, username="root", password=PASSWORD)
    assert _entries(org.db) == before


def test_only_an_admin_backs_up(org: Org, tmp_path: Path) -> None:
    out = tmp_path / "b.crmsupbak"
    for actor in (org.hr, org.sup_a):
        with pytest.raises(PermissionDenied):
            backup_service.backup(org.db, actor, out)
    assert not out.exists()
    denied = [e for e in _entries(org.db) if e[0] == "backup"]
    assert denied == [("backup", "hr", True), ("backup", "sup-a", True)]


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_the_wrong_password_or_another_account_opens_nothing(
    org: Org, target_url: str, tmp_path: Path
) -> None:
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    with pytest.raises(AuthenticationFailed, match="does not open"):
        backup_service.restore(target_url, made.file, username="root", password="wrong guess")
    with pytest.raises(AuthenticationFailed, match="made it"):
        backup_service.restore(target_url, made.file, username="hr", password=PASSWORD)
    with pytest.raises(ValidationFailed):
        backup_service.restore(target_url, made.file)
    _assert_nothing_written(target_url)


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_files_are_private_and_nothing_is_overwritten_or_left_behind(
    org: Org, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "b.crmsupbak"
    out.parent.mkdir()
    made = backup_service.backup(org.db, org.admin, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["b.crmsupbak"]
    database = Path(str(org.db.engine.url.database))
    assert not [p for p in database.parent.iterdir() if p.name.startswith(".crmsup-")]
    with pytest.raises(ValidationFailed, match="already exists"):
        backup_service.backup(org.db, org.admin, out)
    assert out.read_bytes()[:8] == b"CRMSUPBK"
    assert made.bytes == out.stat().st_size


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_a_backup_from_a_newer_crmsup_is_refused(org: Org, target_url: str, tmp_path: Path) -> None:
    with org.db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    with pytest.raises(SchemaTooNew):
        backup_service.restore(target_url, made.file, username="root", password=PASSWORD)
    _assert_nothing_written(target_url)


@pytest.mark.postgres
@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_an_sqlite_image_is_not_restored_into_postgresql(
    org: Org, postgres_url: str, tmp_path: Path
) -> None:
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    with pytest.raises(ValidationFailed, match="SQLite database"):
        backup_service.restore(postgres_url, made.file, username="root", password=PASSWORD)
    _assert_nothing_written(postgres_url)


@pytest.mark.parametrize(
    "org", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_postgresql_backup_restores_into_sqlite(org: Org, tmp_path: Path) -> None:
    _with_people(org)
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    url = f"sqlite:///{tmp_path / 'laptop.db'}"
    assert backup_service.restore(url, made.file, username="root", password=PASSWORD).audit_ok
    db = open_database(url)
    try:
        hr = login(db, "hr", PASSWORD)
        roster = associate_service.list_roster(db, hr)
        assert roster == associate_service.list_roster(org.db, org.hr)
    finally:
        db.dispose()


def test_the_backup_entry_is_inside_the_copy(org: Org, target_url: str, tmp_path: Path) -> None:
    made = backup_service.backup(org.db, org.admin, tmp_path / "b.crmsupbak")
    backup_service.restore(target_url, made.file, username="root", password=PASSWORD)
    db = open_database(target_url)
    try:
        with db.transaction() as session:
            details = session.scalars(
                select(AuditEntry.details).where(AuditEntry.action == "backup")
            ).all()
            count = session.scalar(select(func.count()).select_from(AuditEntry))
        assert len(details) == 1
        assert made.file_id in details[0]
        assert count == made.entries + 1
    finally:
        db.dispose()


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def _older_backup(org: Org, schema: str, path: Path) -> Path:
    """A backup as the crmsup of `schema` (before 0012) wrote it: the admin's key material
    from `users`, everything else as today's `write_backup` copies it."""
    with org.db.engine.connect() as connection:
        organisation_id, recovery_public = connection.execute(
            text("SELECT id, recovery_public FROM organisation")
        ).one()
        row = connection.execute(
            text(
                "SELECT kdf_memory_kib, kdf_iterations, kdf_lanes, kdf_salt, sealed_private,"
                " exchange_public FROM users WHERE username = 'root'"
            )
        ).one()
    file_key = new_file_key()
    header = make_header(
        file_key,
        organisation_id=str(uuid.UUID(str(organisation_id))),
        backend=Backend.SQLITE if org.db.is_sqlite else Backend.LOGICAL,
        schema=schema,
        created_at=audit.iso(utcnow()),
        admin=AdminCopy(
            str(org.admin.user_id),
            "root",
            KdfParams(memory_kib=row[0], iterations=row[1], lanes=row[2]),
            bytes(row[3]),
            bytes(row[4]),
            bytes(row[5]),
        ),
        recovery_public=bytes(recovery_public),
    )
    near = path.parent / "scratch"
    near.mkdir()
    write_backup(org.db, header, file_key, path, near)
    return path


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_an_older_backup_is_migrated_after_the_restore(
    org: Org, target_url: str, tmp_path: Path
) -> None:
    """On SQLite, whose backup is the file itself: a logical dump is written from today's
    models, so only the crmsup of that older schema could write one (the migrations' own
    PostgreSQL paths are run by tests/unit/records/migrations)."""
    script = ScriptDirectory.from_config(alembic_config())
    previous = script.get_revision(head_revision()).down_revision
    assert isinstance(previous, str), "needs a second revision to migrate from"
    with org.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), previous)
    made = _older_backup(org, previous, tmp_path / "b.crmsupbak")
    restored = backup_service.restore(target_url, made, username="root", password=PASSWORD)
    assert (restored.backup_schema, restored.schema) == (previous, head_revision())
    assert restored.audit_ok
    db = open_database(target_url)
    try:
        assert [e[0] for e in _entries(db)[-2:]] == ["migration", "restore"]
        # The admin who made it logs in to the migrated copy with the same password.
        assert login(db, "root", PASSWORD).username == "root"
        assert audit_service.verify(db).ok
    finally:
        db.dispose()
