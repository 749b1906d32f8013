"""Development plans, coaching sessions, scorecards and call-monitoring evaluations.

A development plan covers one calendar month of one associate (`month` is its first day) and
goes draft → active → closed, with an outcome. Its weekly updates are keyed by the Monday of
their week: a week belongs to the plan of the month its Monday is in
(`crmsup.records.development_rules`).

Scorecards are HR's call-monitoring forms: plain (no personal data), one row per revision of a
named scorecard, never edited once written, so that an evaluation keeps the revision it was
scored on. Goals, update texts, outcomes, coaching topics, notes and actions, an evaluation's
answers, score, strengths and actions are encrypted under the associate's data key; months,
weeks, dates, states and links stay plain so that due lists need no key.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class PlanState(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class Scorecard(Base):
    """One revision of a named call-monitoring scorecard (HR). A new revision is a new row;
    the previous one is retired, and the evaluations made on it keep it."""

    __tablename__ = "scorecards"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        UniqueConstraint("name", "revision", name="uq_scorecards_name_revision"),
        CheckConstraint("revision > 0", name="revision_positive"),
    )


class ScorecardItem(Base):
    """One item of a scorecard: its weight in the percentage, and whether failing it fails
    the whole evaluation (an auto-fail item, such as a compliance statement not read)."""

    __tablename__ = "scorecard_items"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    scorecard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scorecards.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    weight: Mapped[int] = mapped_column(Integer)
    auto_fail: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (CheckConstraint("weight >= 0", name="weight_not_negative"),)


class DevelopmentPlan(Base):
    __tablename__ = "development_plans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    #: The first day of the calendar month the plan covers.
    month: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[PlanState] = mapped_column(
        enum_column(PlanState, "development_plan_state"), default=PlanState.DRAFT
    )
    goals_enc: Mapped[bytes] = mapped_column(LargeBinary)  # JSON list of texts
    outcome_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        UniqueConstraint("associate_id", "month", name="uq_development_plans_associate_month"),
    )


class DevelopmentUpdate(Base):
    """The weekly update of a plan; `week_of` is the Monday of its week."""

    __tablename__ = "development_updates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("development_plans.id"), index=True)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    week_of: Mapped[date] = mapped_column(Date)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    written_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        UniqueConstraint("plan_id", "week_of", name="uq_development_updates_plan_week"),
    )


class CoachingSession(Base):
    __tablename__ = "coaching_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    topic_enc: Mapped[bytes] = mapped_column(LargeBinary)
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    actions_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("development_plans.id"), index=True
    )
    discipline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("discipline_records.id"), index=True
    )
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class CallEvaluation(Base):
    """A monitored call scored on one scorecard revision. `answers_enc`: JSON {item id:
    "pass" | "fail" | "na"}; `score_enc`: the percentage it makes (`scorecard_rules`)."""

    __tablename__ = "call_evaluations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    scorecard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scorecards.id"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    call_ref_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    answers_enc: Mapped[bytes] = mapped_column(LargeBinary)
    score_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    strengths_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    actions_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("development_plans.id"), index=True
    )
    discipline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("discipline_records.id"), index=True
    )
    evaluator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`). Sessions and evaluations point at plans.
ERASED_ROWS: ErasedRows = (
    CallEvaluation.associate_id,
    CoachingSession.associate_id,
    DevelopmentUpdate.associate_id,
    DevelopmentPlan.associate_id,
)
