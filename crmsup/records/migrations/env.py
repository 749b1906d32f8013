"""Alembic environment: run on the connection crmsup hands over, never from a URL in an ini."""

from __future__ import annotations

from alembic import context

from crmsup.records.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
