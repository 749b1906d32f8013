"""enrolment: an account's key pair moves out of `users`, and is made by its owner

IT creates accounts; until now it also made their key pairs, sealed under the first password
it set, so it could have kept a copy of any account's private keys. From here an account IT
creates has no key pair: `enrolments` holds its one-time first password (an Argon2id
verifier, with an expiry), and the owner's client makes the pair at the first login, sealed
under the password the owner chooses, into `account_keys`.

Upgrading moves every existing pair into `account_keys`, unchanged (everyone logs in as
before), marked `inherited`: IT set the password it was first sealed under, so its owner is
asked for a new pair at their next login. `account_statements` is added, empty: what holders
sign when they vouch for an account. `organisation.root_public` is added empty: an
organisation older than the root key gets it when HR anchors it with the recovery sheet.

The seven columns leave `users` by ALTER TABLE DROP COLUMN (SQLite 3.35 and later), never by
copying the table, which every other table refers to. Downgrading puts them back, nullable,
filled from `account_keys`; it is refused while an account has not enrolled yet, since such an
account has no key pair to put back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY_COLUMNS = (
    "kdf_memory_kib",
    "kdf_iterations",
    "kdf_lanes",
    "kdf_salt",
    "sealed_private",
    "exchange_public",
    "signing_public",
)


def _kdf_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("kdf_memory_kib", sa.Integer(), nullable=False),
        sa.Column("kdf_iterations", sa.Integer(), nullable=False),
        sa.Column("kdf_lanes", sa.Integer(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(length=16), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "account_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        *_kdf_columns(),
        sa.Column("sealed_private", sa.LargeBinary(), nullable=False),
        sa.Column("exchange_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("signing_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("inherited", sa.Boolean(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_account_keys")),
    )
    op.create_table(
        "enrolments",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        *_kdf_columns(),
        sa.Column("verifier", sa.LargeBinary(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_enrolments_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["users.id"], name=op.f("fk_enrolments_issued_by_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_enrolments")),
    )
    op.create_table(
        "account_statements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("signer_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_statements_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["users.id"], name=op.f("fk_account_statements_signer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_statements")),
        sa.UniqueConstraint("user_id", "serial", name=op.f("uq_account_statements_user_id")),
    )
    op.create_index(
        op.f("ix_account_statements_user_id"), "account_statements", ["user_id"], unique=False
    )
    columns = ", ".join(_KEY_COLUMNS)
    op.execute(
        f"INSERT INTO account_keys (user_id, {columns}, inherited, enrolled_at) "  # noqa: S608
        f"SELECT id, {columns}, TRUE, created_at FROM users"
    )
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        for name in _KEY_COLUMNS:
            batch_op.drop_column(name)
    with op.batch_alter_table("organisation", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("root_public", sa.LargeBinary(length=32), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    pending = bind.execute(sa.text("SELECT count(*) FROM enrolments")).scalar_one()
    if pending:
        raise RuntimeError(
            f"{pending} account(s) have not enrolled yet and so have no key pair to keep in "
            "the older schema: let them enrol, or remove them, before downgrading"
        )
    with op.batch_alter_table("organisation", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("root_public")
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("kdf_memory_kib", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kdf_iterations", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kdf_lanes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kdf_salt", sa.LargeBinary(length=16), nullable=True))
        batch_op.add_column(sa.Column("sealed_private", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("exchange_public", sa.LargeBinary(length=32), nullable=True))
        batch_op.add_column(sa.Column("signing_public", sa.LargeBinary(length=32), nullable=True))
    for name in _KEY_COLUMNS:
        op.execute(
            f"UPDATE users SET {name} = "  # noqa: S608 - names from this file
            f"(SELECT k.{name} FROM account_keys k WHERE k.user_id = users.id)"
        )
    op.drop_index(op.f("ix_account_statements_user_id"), table_name="account_statements")
    op.drop_table("account_statements")
    op.drop_table("enrolments")
    op.drop_table("account_keys")
