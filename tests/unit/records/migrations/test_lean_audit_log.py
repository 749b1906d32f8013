"""Migration 0004 (a leaner audit_log) keeps every entry, and the chain still verifies."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from crmsup.records import audit
from crmsup.records.audit_trail.service import verify
from crmsup.records.database import alembic_config, current_revision, head_revision
from crmsup.security.audit_chain import verify_chain
from tests.factories import Org, add_associate


def _indexes(org: Org) -> set[str]:
    return {i["name"] or "" for i in inspect(org.db.engine).get_indexes("audit_log")}


def test_down_and_up_keeps_the_chain(org: Org) -> None:
    add_associate(org, "E100")
    before = verify(org.db)
    assert before.ok, before.reason
    assert _indexes(org) == {"ix_audit_log_entity_id"}

    with org.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    assert {"ix_audit_log_entity_id", "ix_audit_log_action", "ix_audit_log_actor_id"} <= (
        _indexes(org)
    )
    # The chain alone: the accounts' keys are in a table of a later revision (0012).
    assert verify_chain(audit.stored_entries(org.db)).verified == before.verified
    if org.db.is_sqlite:
        assert len(_sqlite_index_names(org)) == 5  # with the key's and entry_hash's own

    with org.db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(org.db.engine) == head_revision()
    after = verify(org.db)
    assert after.verified == before.verified
    if org.db.is_sqlite:
        # sequence is the rowid again: no automatic index for the key or for entry_hash.
        assert _sqlite_index_names(org) == ["ix_audit_log_entity_id"]


def _sqlite_index_names(org: Org) -> list[str]:
    with org.db.engine.connect() as connection:
        rows = connection.execute(text("PRAGMA index_list('audit_log')")).all()
    return sorted(row[1] for row in rows)
