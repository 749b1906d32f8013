"""Alembic owns the schema: head equals the models, every revision goes up and down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from crmsup.records.database import (
    alembic_config,
    backup_sqlite,
    current_revision,
    head_revision,
    open_database,
)
from crmsup.records.engine import create_engine_for
from crmsup.records.errors import SchemaTooNew
from crmsup.records.schema import METADATA


def test_upgrade_head_equals_the_models(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), METADATA)
        assert diff == []
    finally:
        engine.dispose()


def test_alembic_check_is_clean(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            command.check(alembic_config(connection))
    finally:
        engine.dispose()


def test_every_revision_goes_up_and_down(db_url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    engine = create_engine_for(db_url)
    try:
        for revision in revisions:
            with engine.begin() as connection:
                command.upgrade(alembic_config(connection), revision)
            assert current_revision(engine) == revision
        for revision in reversed(revisions):
            down = script.get_revision(revision).down_revision
            target = down if isinstance(down, str) else "base"
            with engine.begin() as connection:
                command.downgrade(alembic_config(connection), target)
        assert current_revision(engine) is None
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
    finally:
        engine.dispose()


def test_opening_migrates_to_head(db_url: str) -> None:
    db = open_database(db_url)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()


def test_a_newer_schema_is_refused_and_left_alone(db_url: str) -> None:
    open_database(db_url).dispose()
    engine = create_engine_for(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        with pytest.raises(SchemaTooNew, match="newer crmsup"):
            open_database(db_url)
        assert current_revision(engine) == "9999_future"
    finally:
        engine.dispose()


def test_sqlite_backup_is_private_and_complete(sqlite_url: str, tmp_path: Path) -> None:
    db = open_database(sqlite_url)
    try:
        copy = backup_sqlite(db.engine, "pre-test")
    finally:
        db.dispose()
    assert copy.parent == tmp_path
    assert copy.stat().st_mode & 0o777 == 0o600
    backup = create_engine_for(f"sqlite:///{copy}")
    try:
        assert current_revision(backup) == head_revision()
    finally:
        backup.dispose()
