"""retention and erasure

Retention periods HR sets per record kind; an associate's legal hold and erasure time. The
encrypted names become nullable so that an erased associate (a tombstone) keeps no ciphertext.

Downgrade: refused while an associate is on legal hold (going down and up again would clear
the hold silently). Retention periods HR set are dropped (the defaults apply again). A
tombstone keeps its row, so its employee number stays taken; its names become empty blobs,
which never decrypt (an integrity error, never an empty field), and upgrading again makes it
a tombstone again (an associate without a data key can only have been erased).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ASIDE = "crmsup_0003_associate_keys"
_keys = sa.table("associate_keys", sa.column("associate_id", sa.Uuid()))
_associates = sa.table(
    "associates",
    sa.column("id", sa.Uuid()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("legal_hold", sa.Boolean()),
    sa.column("erased_at", sa.DateTime(timezone=True)),
    sa.column("first_name_enc", sa.LargeBinary()),
    sa.column("last_name_enc", sa.LargeBinary()),
)


def _alter_associates(change: Callable[[BatchOperations], None]) -> None:
    """Apply `change` to `associates` in batch mode.

    On SQLite batch mode copies the table, drops the original and renames the copy. With
    foreign keys on (they cannot be switched off inside the migration's transaction), dropping
    a table that `associate_keys` rows refer to fails; so those rows step aside meanwhile
    into a table of the same file (`secure_delete` zeroes its pages when it is dropped).
    """
    sqlite = op.get_context().dialect.name == "sqlite"
    if sqlite:
        op.execute(f"CREATE TABLE {_ASIDE} AS SELECT * FROM associate_keys")  # noqa: S608
        op.execute("DELETE FROM associate_keys")
    with op.batch_alter_table("associates", schema=None) as batch_op:
        change(batch_op)
    if sqlite:
        op.execute(f"INSERT INTO associate_keys SELECT * FROM {_ASIDE}")  # noqa: S608
        op.execute(f"DROP TABLE {_ASIDE}")


def upgrade() -> None:
    op.create_table(
        "retention_policies",
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("months > 0", name=op.f("ck_retention_policies_months_positive")),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_retention_policies_set_by_users")
        ),
        sa.PrimaryKeyConstraint("record_kind", name=op.f("pk_retention_policies")),
    )

    def change(batch_op: BatchOperations) -> None:
        batch_op.add_column(
            sa.Column("legal_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("first_name_enc", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column("last_name_enc", existing_type=sa.LargeBinary(), nullable=True)

    _alter_associates(change)
    # Every associate gets a data key when created: one without a key was erased under this
    # schema, then downgraded (see below). Make it a tombstone again; its erasure was its
    # last update.
    op.execute(
        _associates.update()
        .where(_associates.c.id.not_in(sa.select(_keys.c.associate_id)))
        .values(erased_at=_associates.c.updated_at, first_name_enc=None, last_name_enc=None)
    )


def downgrade() -> None:
    held = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(_associates).where(_associates.c.legal_hold)
    )
    if held:
        raise RuntimeError(
            f"{held} associate(s) are on legal hold, which this older schema cannot record: "
            "clear the holds (crmsup-admin legal-hold clear N) before downgrading"
        )
    op.execute(
        _associates.update()
        .where(_associates.c.erased_at.is_not(None))
        .values(first_name_enc=b"", last_name_enc=b"")
    )

    def change(batch_op: BatchOperations) -> None:
        batch_op.alter_column("last_name_enc", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column("first_name_enc", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("erased_at")
        batch_op.drop_column("legal_hold")

    _alter_associates(change)
    op.drop_table("retention_policies")
