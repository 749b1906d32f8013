"""access requests

Access and IT requests, and the access key IT reads them with: the `access_requests` and
`access_request_lines` tables (see `crmsup.records.access_models`), and `scope_keys` made
to hold, besides team keys, the one organisation-wide access key (`team_id` NULL, `access`
true). An organisation set up before this revision gets its access key from the first HR
account or site manager who logs in after it (`keyring.ensure_access_key`): making a key
needs no one's password, but sealing it here would put key material in a migration.
Downgrading drops the requests and the access key with its sealed copies.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _alter_scope_keys(change: Callable[[BatchOperations], None]) -> None:
    """Apply `change` to `scope_keys` in batch mode.

    On SQLite batch mode copies the table, drops the original and renames the copy; with
    foreign keys on (they cannot be switched off inside the migration's transaction),
    dropping a table that rows refer to fails. So the rows of every table referring to it
    (sealed, associate and candidate keys) step aside meanwhile into tables of the same file,
    as migration 0003 does for `associate_keys` (`secure_delete` zeroes the pages freed).
    """
    bind = op.get_bind()
    referring: list[str] = []
    if bind.dialect.name == "sqlite":
        inspector = sa.inspect(bind)
        referring = [
            table
            for table in inspector.get_table_names()
            if any(fk["referred_table"] == "scope_keys" for fk in inspector.get_foreign_keys(table))
        ]
    for table in referring:
        op.execute(f"CREATE TABLE _aside_{table} AS SELECT * FROM {table}")  # noqa: S608
        op.execute(f"DELETE FROM {table}")  # noqa: S608 - names read from the schema
    with op.batch_alter_table("scope_keys", schema=None) as batch_op:
        change(batch_op)
    for table in reversed(referring):
        op.execute(f"INSERT INTO {table} SELECT * FROM _aside_{table}")  # noqa: S608
        op.execute(f"DROP TABLE _aside_{table}")


def _widen(batch_op: BatchOperations) -> None:
    batch_op.add_column(sa.Column("access", sa.Boolean(), nullable=True))
    batch_op.alter_column("team_id", existing_type=sa.Uuid(), nullable=True)
    batch_op.create_unique_constraint(batch_op.f("uq_scope_keys_access"), ["access"])
    batch_op.create_check_constraint("team_or_access", "(team_id IS NULL) <> (access IS NULL)")


def _narrow(batch_op: BatchOperations) -> None:
    batch_op.drop_constraint("team_or_access", type_="check")
    batch_op.drop_constraint(batch_op.f("uq_scope_keys_access"), type_="unique")
    batch_op.alter_column("team_id", existing_type=sa.Uuid(), nullable=False)
    batch_op.drop_column("access")


def upgrade() -> None:
    _alter_scope_keys(_widen)
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            _enum("access_kind", "new", "change", "revoke", "equipment", "other"),
            nullable=False,
        ),
        sa.Column(
            "state",
            _enum(
                "access_state",
                "requested",
                "approved",
                "denied",
                "provisioned",
                "closed",
                "cancelled",
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("automatic", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("scope_key_id", sa.Uuid(), nullable=False),
        sa.Column("person_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("justification_enc", sa.LargeBinary(), nullable=True),
        sa.Column("decision_comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("filed_by", sa.Uuid(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provisioned_by", sa.Uuid(), nullable=True),
        sa.Column("provisioned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_access_requests_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_access_requests_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_access_requests_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["users.id"], name=op.f("fk_access_requests_filed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["provisioned_by"],
            ["users.id"],
            name=op.f("fk_access_requests_provisioned_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_key_id"],
            ["scope_keys.id"],
            name=op.f("fk_access_requests_scope_key_id_scope_keys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_requests_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_access_requests_state"), ["state"], unique=False)
    op.create_table(
        "access_request_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("action", _enum("access_line_action", "grant", "revoke"), nullable=False),
        sa.Column("state", _enum("access_line_state", "pending", "done"), nullable=False),
        sa.Column("provisioned_by", sa.Uuid(), nullable=True),
        sa.Column("provisioned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_access_request_lines_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["provisioned_by"],
            ["users.id"],
            name=op.f("fk_access_request_lines_provisioned_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_requests.id"],
            name=op.f("fk_access_request_lines_request_id_access_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request_lines")),
        sa.UniqueConstraint(
            "request_id", "position", name=op.f("uq_access_request_lines_request_id")
        ),
    )
    with op.batch_alter_table("access_request_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_request_lines_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_access_request_lines_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("access_request_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_request_lines_request_id"))
        batch_op.drop_index(batch_op.f("ix_access_request_lines_associate_id"))
    op.drop_table("access_request_lines")
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_requests_state"))
        batch_op.drop_index(batch_op.f("ix_access_requests_associate_id"))
    op.drop_table("access_requests")
    # The access key and its sealed copies go: team keys are all the older schema knows.
    op.execute(
        sa.text(
            "DELETE FROM sealed_keys WHERE scope_key_id IN "
            "(SELECT id FROM scope_keys WHERE access IS NOT NULL)"
        )
    )
    op.execute(sa.text("DELETE FROM scope_keys WHERE access IS NOT NULL"))
    _alter_scope_keys(_narrow)
