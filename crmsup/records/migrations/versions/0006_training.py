"""training

Training: the course catalogue, assignments, completions, certificates and admissions to projects.

New tables only (see `crmsup.records.training_models`); downgrading drops every table made
here, with its records.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_courses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "onboarding",
                "product",
                "compliance",
                "soft_skills",
                name="training_course_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_training_courses_minutes_positive")),
        sa.CheckConstraint(
            "validity_months IS NULL OR validity_months > 0",
            name=op.f("ck_training_courses_validity_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
        sa.UniqueConstraint("code", name=op.f("uq_training_courses_code")),
    )
    op.create_table(
        "training_course_titles",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_course_titles_course_id_training_courses"),
        ),
        sa.PrimaryKeyConstraint("course_id", "job_title", name=op.f("pk_training_course_titles")),
    )
    with op.batch_alter_table("training_course_titles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_course_titles_job_title"), ["job_title"], unique=False
        )

    op.create_table(
        "training_admissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_training_admissions_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_training_admissions_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_admissions")),
    )
    with op.batch_alter_table("training_admissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_admissions_associate_id"), ["associate_id"], unique=False
        )

    op.create_table(
        "training_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "completed",
                "cancelled",
                name="training_assignment_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("assigned_by", sa.Uuid(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_training_assignments_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_training_assignments_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_training_assignments_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_assignments_course_id_training_courses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assignments")),
    )
    with op.batch_alter_table("training_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_assignments_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_assignments_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_assignments_due_on"), ["due_on"], unique=False
        )

    op.create_table(
        "training_completions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("assignment_id", sa.Uuid(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("score_enc", sa.LargeBinary(), nullable=True),
        sa.Column("trainer_id", sa.Uuid(), nullable=True),
        sa.Column("trainer_enc", sa.LargeBinary(), nullable=True),
        sa.Column("notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["training_assignments.id"],
            name=op.f("fk_training_completions_assignment_id_training_assignments"),
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_training_completions_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_completions_course_id_training_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_training_completions_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["users.id"], name=op.f("fk_training_completions_trainer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completions")),
    )
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_completions_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_completions_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_completions_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_completions_expires_on"), ["expires_on"], unique=False
        )

    op.create_table(
        "training_admission_basis",
        sa.Column("admission_id", sa.Uuid(), nullable=False),
        sa.Column("completion_id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admission_id"],
            ["training_admissions.id"],
            name=op.f("fk_training_admission_basis_admission_id_training_admissions"),
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_training_admission_basis_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["completion_id"],
            ["training_completions.id"],
            name=op.f("fk_training_admission_basis_completion_id_training_completions"),
        ),
        sa.PrimaryKeyConstraint(
            "admission_id", "completion_id", name=op.f("pk_training_admission_basis")
        ),
    )
    with op.batch_alter_table("training_admission_basis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_admission_basis_associate_id"), ["associate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_admission_basis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_admission_basis_associate_id"))

    op.drop_table("training_admission_basis")
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_completions_expires_on"))
        batch_op.drop_index(batch_op.f("ix_training_completions_course_id"))
        batch_op.drop_index(batch_op.f("ix_training_completions_associate_id"))
        batch_op.drop_index(batch_op.f("ix_training_completions_assignment_id"))

    op.drop_table("training_completions")
    with op.batch_alter_table("training_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_assignments_due_on"))
        batch_op.drop_index(batch_op.f("ix_training_assignments_course_id"))
        batch_op.drop_index(batch_op.f("ix_training_assignments_associate_id"))

    op.drop_table("training_assignments")
    with op.batch_alter_table("training_admissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_admissions_associate_id"))

    op.drop_table("training_admissions")
    with op.batch_alter_table("training_course_titles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_course_titles_job_title"))

    op.drop_table("training_course_titles")
    op.drop_table("training_courses")
