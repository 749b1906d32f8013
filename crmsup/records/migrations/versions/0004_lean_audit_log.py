"""leaner audit log: fewer pages written per entry

Every audited change writes one audit entry, and on SQLite each index is one more page
written (and synced) at each commit. The entry's sequence becomes SQLite's rowid (INTEGER
PRIMARY KEY, no separate primary-key index); the unique index on entry_hash (the chain
itself proves each hash) and the indexes on action and actor_id (no query used the latter;
listing by action scans) are dropped. entity_id keeps its index: a record's history is
looked up by it. On PostgreSQL sequence stays a BIGINT.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))
        batch_op.drop_constraint(batch_op.f("uq_audit_log_entry_hash"), type_="unique")
        batch_op.alter_column(
            "sequence", existing_type=sa.BigInteger(), type_=_SEQUENCE, existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column(
            "sequence", existing_type=_SEQUENCE, type_=sa.BigInteger(), existing_nullable=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_entry_hash"), ["entry_hash"])
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
