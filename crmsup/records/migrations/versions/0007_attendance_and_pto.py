"""attendance and pto

Attendance and PTO: events, points, accrual rules, the PTO ledger and time-off requests.

New tables only (see `crmsup.records.attendance_models`); hours are whole hundredths.
Downgrading drops every table made here, with its rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attendance_point_rules",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "window_days > 0", name=op.f("ck_attendance_point_rules_window_positive")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_attendance_point_rules_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_point_rules")),
    )
    op.create_table(
        "pto_accrual_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum(
                "biweekly",
                "monthly",
                name="pto_accrual_frequency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("hours_per_period", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("carry_over_max", sa.Integer(), nullable=True),
        sa.Column("carry_over_months", sa.Integer(), nullable=True),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "cap IS NULL OR cap > 0", name=op.f("ck_pto_accrual_rules_cap_positive")
        ),
        sa.CheckConstraint(
            "carry_over_max IS NULL OR carry_over_max >= 0",
            name=op.f("ck_pto_accrual_rules_carry_not_negative"),
        ),
        sa.CheckConstraint(
            "carry_over_months IS NULL OR carry_over_months BETWEEN 1 AND 12",
            name=op.f("ck_pto_accrual_rules_carry_months_range"),
        ),
        sa.CheckConstraint(
            "hours_per_period >= 0", name=op.f("ck_pto_accrual_rules_hours_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_pto_accrual_rules_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pto_accrual_rules")),
        sa.UniqueConstraint(
            "job_title", "effective_from", name=op.f("uq_pto_accrual_rules_job_title")
        ),
    )
    op.create_table(
        "attendance_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "absence_excused",
                "absence_unexcused",
                "late_arrival",
                "early_leave",
                "no_call_no_show",
                "pto_taken",
                name="attendance_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Integer(), nullable=True),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "hours IS NULL OR hours > 0", name=op.f("ck_attendance_events_hours_positive")
        ),
        sa.CheckConstraint(
            "minutes IS NULL OR minutes > 0", name=op.f("ck_attendance_events_minutes_positive")
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_attendance_events_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_attendance_events_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_events")),
    )
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_events_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_attendance_events_occurred_on"), ["occurred_on"], unique=False
        )

    op.create_table(
        "pto_adjustments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("reason_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hours <> 0", name=op.f("ck_pto_adjustments_hours_not_zero")),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_pto_adjustments_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_pto_adjustments_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pto_adjustments")),
    )
    with op.batch_alter_table("pto_adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pto_adjustments_associate_id"), ["associate_id"], unique=False
        )

    op.create_table(
        "pto_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "requested",
                "approved",
                "denied",
                "cancelled",
                name="pto_request_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("decision_comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("end_on >= start_on", name=op.f("ck_pto_requests_dates_ordered")),
        sa.CheckConstraint("hours > 0", name=op.f("ck_pto_requests_hours_positive")),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_pto_requests_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_pto_requests_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_pto_requests_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pto_requests")),
    )
    with op.batch_alter_table("pto_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pto_requests_associate_id"), ["associate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pto_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pto_requests_associate_id"))

    op.drop_table("pto_requests")
    with op.batch_alter_table("pto_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pto_adjustments_associate_id"))

    op.drop_table("pto_adjustments")
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_events_occurred_on"))
        batch_op.drop_index(batch_op.f("ix_attendance_events_associate_id"))

    op.drop_table("attendance_events")
    op.drop_table("pto_accrual_rules")
    op.drop_table("attendance_point_rules")
