"""Migration 0007 on its own: its tables equal the models, and it goes down and up again
(test_migrations.py checks the whole chain once every revision of issue 5 is in)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from crmsup.records.database import alembic_config
from crmsup.records.schema import METADATA

MINE = {
    "attendance_events",
    "attendance_point_rules",
    "pto_accrual_rules",
    "pto_adjustments",
    "pto_requests",
}


def _only_mine(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    return type_ != "table" or name in MINE


def test_0007_equals_the_models_and_goes_down_and_up(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0007")
            command.downgrade(alembic_config(connection), "0006")
            assert not MINE & set(inspect(connection).get_table_names())
            command.upgrade(alembic_config(connection), "0007")
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": _only_mine, "compare_type": True}
            )
            diff = compare_metadata(context, METADATA)
        assert [d for d in diff if any(table in str(d) for table in MINE)] == []
        assert set(inspect(engine).get_table_names()) >= MINE
    finally:
        engine.dispose()
