"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "organisation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("recovery_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("name", name=op.f("uq_sites_name")),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_teams_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_site_id"), ["site_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "hr",
                "site_manager",
                "supervisor",
                "auditor",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("kdf_memory_kib", sa.Integer(), nullable=False),
        sa.Column("kdf_iterations", sa.Integer(), nullable=False),
        sa.Column("kdf_lanes", sa.Integer(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(length=16), nullable=False),
        sa.Column("sealed_private", sa.LargeBinary(), nullable=False),
        sa.Column("exchange_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("signing_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Uuid(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=op.f("fk_users_confirmed_by_users")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_users_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_site_id"), ["site_id"], unique=False)

    op.create_table(
        "associates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_no", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "leave",
                "terminated",
                name="associate_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("first_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("last_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("preferred_name_enc", sa.LargeBinary(), nullable=True),
        sa.Column("email_enc", sa.LargeBinary(), nullable=True),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("address_enc", sa.LargeBinary(), nullable=True),
        sa.Column("date_of_birth_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_associates_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_associates")),
        sa.UniqueConstraint("employee_no", name=op.f("uq_associates_employee_no")),
    )
    with op.batch_alter_table("associates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_associates_team_id"), ["team_id"], unique=False)

    op.create_table(
        "scope_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_scope_keys_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope_keys")),
        sa.UniqueConstraint("team_id", name=op.f("uq_scope_keys_team_id")),
    )
    op.create_table(
        "team_grants",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["users.id"], name=op.f("fk_team_grants_granted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_grants_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_grants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_grants")),
    )
    with op.batch_alter_table("team_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_grants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "team_supervisors",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_supervisors_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_supervisors_user_id_users")
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_supervisors")),
    )
    with op.batch_alter_table("team_supervisors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_supervisors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "associate_keys",
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=False),
        sa.Column("scope_key_id", sa.Uuid(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_associate_keys_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_key_id"],
            ["scope_keys.id"],
            name=op.f("fk_associate_keys_scope_key_id_scope_keys"),
        ),
        sa.PrimaryKeyConstraint("associate_id", name=op.f("pk_associate_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_associate_keys_key_id")),
    )
    with op.batch_alter_table("associate_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_associate_keys_scope_key_id"), ["scope_key_id"], unique=False
        )

    op.create_table(
        "sealed_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_key_id", sa.Uuid(), nullable=False),
        sa.Column(
            "recipient_kind",
            sa.Enum(
                "user",
                "recovery",
                name="recipient",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recipient_user_id", sa.Uuid(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["users.id"], name=op.f("fk_sealed_keys_granted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"], ["users.id"], name=op.f("fk_sealed_keys_recipient_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["scope_key_id"], ["scope_keys.id"], name=op.f("fk_sealed_keys_scope_key_id_scope_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sealed_keys")),
        sa.UniqueConstraint(
            "scope_key_id", "recipient_user_id", name=op.f("uq_sealed_keys_scope_key_id")
        ),
    )
    with op.batch_alter_table("sealed_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sealed_keys_recipient_user_id"), ["recipient_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sealed_keys_scope_key_id"), ["scope_key_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("sealed_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sealed_keys_scope_key_id"))
        batch_op.drop_index(batch_op.f("ix_sealed_keys_recipient_user_id"))

    op.drop_table("sealed_keys")
    with op.batch_alter_table("associate_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_associate_keys_scope_key_id"))

    op.drop_table("associate_keys")
    with op.batch_alter_table("team_supervisors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_supervisors_user_id"))

    op.drop_table("team_supervisors")
    with op.batch_alter_table("team_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_grants_user_id"))

    op.drop_table("team_grants")
    op.drop_table("scope_keys")
    with op.batch_alter_table("associates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_associates_team_id"))

    op.drop_table("associates")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_site_id"))

    op.drop_table("users")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_site_id"))

    op.drop_table("teams")
    op.drop_table("sites")
    op.drop_table("organisation")
