"""the associate's file, part one: discipline, reviews, recommendations, attachments

New tables only (see `crmsup.records.file_models`) and, for an organisation set up before
this revision, HR's default discipline levels (`init` gives a new one the same):
coaching (live 6 months), verbal warning (9), written warning (12), final written warning
(12, approval needed) and termination (never expires, approval needed). HR may rename,
re-time or retire them; downgrading drops every table made here, with its records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name, live period in months (None: never expires), approval needed before issuing.
DEFAULT_LEVELS: tuple[tuple[str, int | None, bool], ...] = (
    ("coaching", 6, False),
    ("verbal warning", 9, False),
    ("written warning", 12, False),
    ("final written warning", 12, True),
    ("termination", None, True),
)


def upgrade() -> None:
    op.create_table(
        "discipline_levels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("live_months", sa.Integer(), nullable=True),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "live_months IS NULL OR live_months > 0",
            name=op.f("ck_discipline_levels_live_months_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_levels")),
        sa.UniqueConstraint("name", name=op.f("uq_discipline_levels_name")),
        sa.UniqueConstraint("rank", name=op.f("uq_discipline_levels_rank")),
    )
    levels = sa.table(
        "discipline_levels",
        sa.column("id", sa.Uuid()),
        sa.column("rank", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("live_months", sa.Integer()),
        sa.column("needs_approval", sa.Boolean()),
        sa.column("active", sa.Boolean()),
        sa.column("version", sa.Integer()),
    )
    # A database without an organisation yet (new, or the target of a restore) gets its
    # levels from `init`, or from the backup; one set up before this revision gets them here.
    if op.get_bind().execute(sa.text("SELECT count(*) FROM organisation")).scalar():
        op.bulk_insert(
            levels,
            [
                {
                    "id": uuid.UUID(int=rank),
                    "rank": rank,
                    "name": name,
                    "live_months": months,
                    "needs_approval": approval,
                    "active": True,
                    "version": 1,
                }
                for rank, (name, months, approval) in enumerate(DEFAULT_LEVELS, start=1)
            ],
        )
    op.create_table(
        "review_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_review_templates_name")),
    )
    op.create_table(
        "review_competencies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight > 0", name=op.f("ck_review_competencies_weight_positive")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["review_templates.id"],
            name=op.f("fk_review_competencies_template_id_review_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_competencies")),
    )
    with op.batch_alter_table("review_competencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_competencies_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("filename_enc", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_attachments_added_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"], ["associates.id"], name=op.f("fk_attachments_associate_id_associates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachments_record_id"), ["record_id"], unique=False)

    op.create_table(
        "candidates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("name_enc", sa.LargeBinary(), nullable=True),
        sa.Column("contact_enc", sa.LargeBinary(), nullable=True),
        sa.Column("interview_notes_enc", sa.LargeBinary(), nullable=True),
        sa.Column("result_enc", sa.LargeBinary(), nullable=True),
        sa.Column("interviewed_on", sa.Date(), nullable=True),
        sa.Column("hired_as", sa.Uuid(), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hired_as"], ["associates.id"], name=op.f("fk_candidates_hired_as_associates")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_candidates_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidates_team_id"), ["team_id"], unique=False)

    op.create_table(
        "discipline_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "attendance",
                "performance",
                "conduct",
                "policy",
                "other",
                name="discipline_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("level_id", sa.Uuid(), nullable=False),
        sa.Column("suggested_level_id", sa.Uuid(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "pending_approval",
                "approved",
                "issued",
                "acknowledged",
                "rescinded",
                name="discipline_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("incident_dates_enc", sa.LargeBinary(), nullable=False),
        sa.Column("description_enc", sa.LargeBinary(), nullable=False),
        sa.Column("expectation_enc", sa.LargeBinary(), nullable=True),
        sa.Column("improvement_enc", sa.LargeBinary(), nullable=True),
        sa.Column("improve_by", sa.Date(), nullable=True),
        sa.Column("consequences_enc", sa.LargeBinary(), nullable=True),
        sa.Column("statement_enc", sa.LargeBinary(), nullable=True),
        sa.Column("deviation_reason_enc", sa.LargeBinary(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("live_until", sa.Date(), nullable=True),
        sa.Column(
            "acknowledgement",
            sa.Enum(
                "signed",
                "refused",
                name="discipline_acknowledgement",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("witness_enc", sa.LargeBinary(), nullable=True),
        sa.Column("rescinded_by", sa.Uuid(), nullable=True),
        sa.Column("rescinded_on", sa.Date(), nullable=True),
        sa.Column("rescind_reason_enc", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_discipline_records_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_discipline_records_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_discipline_records_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["users.id"], name=op.f("fk_discipline_records_issued_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["discipline_levels.id"],
            name=op.f("fk_discipline_records_level_id_discipline_levels"),
        ),
        sa.ForeignKeyConstraint(
            ["rescinded_by"], ["users.id"], name=op.f("fk_discipline_records_rescinded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["suggested_level_id"],
            ["discipline_levels.id"],
            name=op.f("fk_discipline_records_suggested_level_id_discipline_levels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_records")),
    )
    with op.batch_alter_table("discipline_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discipline_records_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discipline_records_follow_up_on"), ["follow_up_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discipline_records_issued_on"), ["issued_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discipline_records_live_until"), ["live_until"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "annual",
                "probation",
                "mid_year",
                "ad_hoc",
                name="review_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "acknowledged",
                "finalised",
                name="review_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=False),
        sa.Column("ratings_enc", sa.LargeBinary(), nullable=True),
        sa.Column("overall_enc", sa.LargeBinary(), nullable=True),
        sa.Column("strengths_enc", sa.LargeBinary(), nullable=True),
        sa.Column("improvements_enc", sa.LargeBinary(), nullable=True),
        sa.Column("goals_enc", sa.LargeBinary(), nullable=True),
        sa.Column("associate_comments_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("finalised_by", sa.Uuid(), nullable=True),
        sa.Column("finalised_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_reviews_period_ordered")),
        sa.ForeignKeyConstraint(
            ["associate_id"], ["associates.id"], name=op.f("fk_reviews_associate_id_associates")
        ),
        sa.ForeignKeyConstraint(
            ["finalised_by"], ["users.id"], name=op.f("fk_reviews_finalised_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_reviews_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["review_templates.id"],
            name=op.f("fk_reviews_template_id_review_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_associate_id"), ["associate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_finalised_on"), ["finalised_on"], unique=False)

    op.create_table(
        "candidate_keys",
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=False),
        sa.Column("scope_key_id", sa.Uuid(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_keys_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_key_id"],
            ["scope_keys.id"],
            name=op.f("fk_candidate_keys_scope_key_id_scope_keys"),
        ),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_candidate_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_candidate_keys_key_id")),
    )
    with op.batch_alter_table("candidate_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_keys_scope_key_id"), ["scope_key_id"], unique=False
        )

    op.create_table(
        "discipline_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("associate_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_discipline_notes_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_discipline_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["discipline_records.id"],
            name=op.f("fk_discipline_notes_record_id_discipline_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_notes")),
    )
    with op.batch_alter_table("discipline_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discipline_notes_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discipline_notes_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "recommendations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "hire",
                "promotion",
                "advancement",
                "transfer",
                "termination",
                name="recommendation_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("associate_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "manager_approved",
                "approved",
                "rejected",
                "withdrawn",
                name="recommendation_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("proposed_title_enc", sa.LargeBinary(), nullable=True),
        sa.Column("proposed_team_id", sa.Uuid(), nullable=True),
        sa.Column("proposed_date", sa.Date(), nullable=True),
        sa.Column("rationale_enc", sa.LargeBinary(), nullable=False),
        sa.Column("links_enc", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manager_by", sa.Uuid(), nullable=True),
        sa.Column("manager_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manager_comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("hr_by", sa.Uuid(), nullable=True),
        sa.Column("hr_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hr_comment_enc", sa.LargeBinary(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(associate_id IS NULL) <> (candidate_id IS NULL)",
            name=op.f("ck_recommendations_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["associate_id"],
            ["associates.id"],
            name=op.f("fk_recommendations_associate_id_associates"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_recommendations_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_recommendations_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["hr_by"], ["users.id"], name=op.f("fk_recommendations_hr_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["manager_by"], ["users.id"], name=op.f("fk_recommendations_manager_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_team_id"],
            ["teams.id"],
            name=op.f("fk_recommendations_proposed_team_id_teams"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_recommendations_submitted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_recommendations_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendations_associate_id"), ["associate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendations_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recommendations_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_team_id"))
        batch_op.drop_index(batch_op.f("ix_recommendations_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_recommendations_associate_id"))

    op.drop_table("recommendations")
    with op.batch_alter_table("discipline_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discipline_notes_record_id"))
        batch_op.drop_index(batch_op.f("ix_discipline_notes_associate_id"))

    op.drop_table("discipline_notes")
    with op.batch_alter_table("candidate_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_keys_scope_key_id"))

    op.drop_table("candidate_keys")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_finalised_on"))
        batch_op.drop_index(batch_op.f("ix_reviews_associate_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("discipline_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discipline_records_live_until"))
        batch_op.drop_index(batch_op.f("ix_discipline_records_issued_on"))
        batch_op.drop_index(batch_op.f("ix_discipline_records_follow_up_on"))
        batch_op.drop_index(batch_op.f("ix_discipline_records_associate_id"))

    op.drop_table("discipline_records")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidates_team_id"))

    op.drop_table("candidates")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_record_id"))
        batch_op.drop_index(batch_op.f("ix_attachments_associate_id"))

    op.drop_table("attachments")
    with op.batch_alter_table("review_competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_competencies_template_id"))

    op.drop_table("review_competencies")
    op.drop_table("review_templates")
    op.drop_table("discipline_levels")
