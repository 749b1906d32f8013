"""development and coaching

Development plans, coaching sessions, scorecards and call-monitoring evaluations.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scorecards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("revision > 0", name=op.f("ck_scorecards_revision_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_scorecards_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecards")),
        sa.UniqueConstraint("name", "revision", name="uq_scorecards_name_revision"),
    )
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scorecards_name"), ["name"], unique=False)

    op.create_table(
        "development_plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "active",
                "closed",
                name="development_plan_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("goals_enc", sa.LargeBinary(), nullable=False),
        sa.Column("outcome_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_development_plans_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_development_plans_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_development_plans_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plans")),
        sa.UniqueConstraint("associate_id", "month", name="uq_development_plans_associate_month"),
    )
    with op.batch_alter_table("development_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_development_plans_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_development_plans_month"), ["month"], unique=False)

    op.create_table(
        "scorecard_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("auto_fail", sa.Boolean(), nullable=False),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_scorecard_items_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_scorecard_items_scorecard_id_scorecards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_items")),
    )
    with op.batch_alter_table("scorecard_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_items_scorecard_id"), ["scorecard_id"], unique=False
        )

    op.create_table(
        "call_evaluations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("call_ref_enc", sa.LargeBinary(), nullable=True),
        sa.Column("answers_enc", sa.LargeBinary(), nullable=False),
        sa.Column("score_enc", sa.LargeBinary(), nullable=True),
        sa.Column("strengths_enc", sa.LargeBinary(), nullable=True),
        sa.Column("actions_enc", sa.LargeBinary(), nullable=True),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("discipline_id", sa.Uuid(), nullable=True),
        sa.Column("evaluator_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_call_evaluations_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["discipline_records.id"],
            name=op.f("fk_call_evaluations_discipline_id_discipline_records"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_id"], ["users.id"], name=op.f("fk_call_evaluations_evaluator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_call_evaluations_plan_id_development_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_call_evaluations_scorecard_id_scorecards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_evaluations")),
    )
    with op.batch_alter_table("call_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_evaluations_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_evaluations_discipline_id"), ["discipline_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_call_evaluations_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_evaluations_scorecard_id"), ["scorecard_id"], unique=False
        )

    op.create_table(
        "coaching_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic_enc", sa.LargeBinary(), nullable=False),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("actions_enc", sa.LargeBinary(), nullable=True),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("discipline_id", sa.Uuid(), nullable=True),
        sa.Column("coach_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_coaching_sessions_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_coaching_sessions_coach_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["discipline_records.id"],
            name=op.f("fk_coaching_sessions_discipline_id_discipline_records"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_coaching_sessions_plan_id_development_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_sessions")),
    )
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_sessions_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coaching_sessions_discipline_id"), ["discipline_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coaching_sessions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "development_updates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.Column("written_by", sa.Uuid(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_development_updates_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_development_updates_plan_id_development_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by"], ["users.id"], name=op.f("fk_development_updates_written_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_updates")),
        sa.UniqueConstraint("plan_id", "week_of", name="uq_development_updates_plan_week"),
    )
    with op.batch_alter_table("development_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_development_updates_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_development_updates_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("development_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_updates_plan_id"))
        batch_op.drop_index(batch_op.f("ix_development_updates_associate_id"))

    op.drop_table("development_updates")
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_plan_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_discipline_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_associate_id"))

    op.drop_table("coaching_sessions")
    with op.batch_alter_table("call_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_evaluations_scorecard_id"))
        batch_op.drop_index(batch_op.f("ix_call_evaluations_plan_id"))
        batch_op.drop_index(batch_op.f("ix_call_evaluations_discipline_id"))
        batch_op.drop_index(batch_op.f("ix_call_evaluations_associate_id"))

    op.drop_table("call_evaluations")
    with op.batch_alter_table("scorecard_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_items_scorecard_id"))

    op.drop_table("scorecard_items")
    with op.batch_alter_table("development_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_plans_month"))
        batch_op.drop_index(batch_op.f("ix_development_plans_associate_id"))

    op.drop_table("development_plans")
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecards_name"))

    op.drop_table("scorecards")
