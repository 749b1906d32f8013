"""policies and notes

Policies and acknowledgements; notes, feedback and client claims (see
`crmsup.records.policy_models`). New tables only; HR's acknowledgement settings start at their
defaults (2 business hours, Monday to Friday 08:00-18:00, Europe/Paris) until HR changes them,
so no row is written here. Downgrading drops every table made here, with its records.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ack_minutes", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("opens_minute", sa.Integer(), nullable=False),
        sa.Column("closes_minute", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ack_minutes > 0", name=op.f("ck_policy_settings_ack_minutes_positive")),
        sa.CheckConstraint(
            "opens_minute >= 0 AND closes_minute <= 1440 AND opens_minute < closes_minute",
            name=op.f("ck_policy_settings_business_day_ordered"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_settings")),
    )
    op.create_table(
        "policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_policies_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("title", name=op.f("uq_policies_title")),
    )
    op.create_table(
        "associate_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "conversation",
                "feedback",
                name="note_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_associate_notes_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_associate_notes_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_associate_notes")),
    )
    with op.batch_alter_table("associate_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_associate_notes_associate_id"), ["associate_id"], unique=False
        )
    op.create_table(
        "client_claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "responded",
                "closed",
                name="claim_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_enc", sa.LargeBinary(), nullable=True),
        sa.Column("claim_enc", sa.LargeBinary(), nullable=False),
        sa.Column("logged_by", sa.Uuid(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_by", sa.Uuid(), nullable=True),
        sa.Column("response_enc", sa.LargeBinary(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "partly_upheld",
                "not_upheld",
                "withdrawn",
                name="claim_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("outcome_notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_client_claims_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_client_claims_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["logged_by"], ["users.id"], name=op.f("fk_client_claims_logged_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by"], ["users.id"], name=op.f("fk_client_claims_responded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_claims")),
    )
    with op.batch_alter_table("client_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_claims_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_client_claims_state"), ["state"], unique=False)
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("policy_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("document_name", sa.String(length=255), nullable=True),
        sa.Column("document_type", sa.String(length=100), nullable=True),
        sa.Column("document_size", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.Uuid(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledge_by", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "body IS NOT NULL OR document_name IS NOT NULL",
            name=op.f("ck_policy_versions_has_content"),
        ),
        sa.CheckConstraint("number > 0", name=op.f("ck_policy_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_policy_versions_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_policy_versions_published_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("policy_id", "number", name="uq_policy_versions_policy_number"),
    )
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_versions_effective_on"), ["effective_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_policy_versions_policy_id"), ["policy_id"], unique=False
        )
    op.create_table(
        "policy_associate_acks",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_policy_associate_acks_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_policy_associate_acks_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_associate_acks_version_id_policy_versions"),
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "associate_id", name=op.f("pk_policy_associate_acks")
        ),
    )
    with op.batch_alter_table("policy_associate_acks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_associate_acks_associate_id"), ["associate_id"], unique=False
        )
    op.create_table(
        "policy_documents",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_documents_version_id_policy_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_policy_documents")),
    )
    op.create_table(
        "policy_user_acks",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_policy_user_acks_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_user_acks_version_id_policy_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "user_id", name=op.f("pk_policy_user_acks")),
    )


def downgrade() -> None:
    op.drop_table("policy_user_acks")
    op.drop_table("policy_documents")
    with op.batch_alter_table("policy_associate_acks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_associate_acks_associate_id"))
    op.drop_table("policy_associate_acks")
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_versions_policy_id"))
        batch_op.drop_index(batch_op.f("ix_policy_versions_effective_on"))
    op.drop_table("policy_versions")
    with op.batch_alter_table("client_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_claims_state"))
        batch_op.drop_index(batch_op.f("ix_client_claims_associate_id"))
    op.drop_table("client_claims")
    with op.batch_alter_table("associate_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_associate_notes_associate_id"))
    op.drop_table("associate_notes")
    op.drop_table("policies")
    op.drop_table("policy_settings")
