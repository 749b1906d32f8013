"""policy retirement

HR can retire a policy: from `retired_on` (a local day) it has no current version, so no one
is asked to acknowledge it any more. Four nullable columns on `policies` record the day, who
retired it, when, and why (policies are not personal data, so the reason is plain text). No
version column: retiring is one-way and takes the same row lock as publishing, which is
enough to refuse a second retirement. Existing policies stay in force (all NULL).

On SQLite the columns are added and dropped with plain ALTER TABLE (the foreign key written
inline), never by copying the table: `policy_versions` rows refer to `policies`, and with
foreign keys on a copy-and-drop would fail. Downgrading drops the columns, and with them
every retirement: retired policies are in force again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_policies_retired_by_users"


def upgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    retired_by = (
        sa.Column("retired_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True)
        if sqlite
        else sa.Column("retired_by", sa.Uuid(), nullable=True)
    )
    with op.batch_alter_table("policies", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        batch_op.add_column(retired_by, inline_references=sqlite)
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retire_reason", sa.Text(), nullable=True))
        if not sqlite:
            batch_op.create_foreign_key(op.f(_FK), "users", ["retired_by"], ["id"])


def downgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    with op.batch_alter_table("policies", schema=None, recreate="never") as batch_op:
        if not sqlite:
            batch_op.drop_constraint(op.f(_FK), type_="foreignkey")
        batch_op.drop_column("retire_reason")
        batch_op.drop_column("retired_at")
        batch_op.drop_column("retired_by")
        batch_op.drop_column("retired_on")
