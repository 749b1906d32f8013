"""Erasing an associate deletes their plans, updates, coaching sessions and evaluations
(children first, so the links between them never block it), and keeps the scorecards."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from crmsup.records.development import coaching as coaching_service
from crmsup.records.development import evaluations as coaching_evaluation_service
from crmsup.records.development import service as development_service
from crmsup.records.development.dto import NewEvaluation, NewSession
from crmsup.records.development.models import (
    CallEvaluation,
    CoachingSession,
    DevelopmentPlan,
    DevelopmentUpdate,
    Scorecard,
)
from crmsup.records.models import AssociateStatus
from crmsup.records.people.status import set_status
from crmsup.records.upkeep.erasure import erase_associate
from tests.factories import PASSWORD, Org
from tests.unit.records.development.matrix import TODAY, active_plan, new_scorecard


def test_erasure_deletes_the_development_file(org: Org) -> None:
    plan = active_plan(org)
    development_service.add_update(
        org.db, org.hr, "E100", plan.id, week_of=date(2026, 11, 2), text="x", today=TODAY
    )
    coaching_service.create_session(
        org.db, org.hr, "E100", NewSession(TODAY, "Hold", plan=plan.id), today=TODAY
    )
    card = new_scorecard(org)
    answers = {line.id: "pass" for line in card.items}
    coaching_evaluation_service.create_evaluation(
        org.db, org.hr, "E100", NewEvaluation(card.id, TODAY, answers, plan=plan.id), today=TODAY
    )
    set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2015, 1, 31)
    )
    done = erase_associate(org.db, org.hr, "E100", PASSWORD, today=TODAY)
    deleted = dict(done.deleted)
    for model in (CallEvaluation, CoachingSession, DevelopmentUpdate, DevelopmentPlan):
        assert deleted[model.__tablename__] == 1
    with org.db.transaction() as session:
        for model in (CallEvaluation, CoachingSession, DevelopmentUpdate, DevelopmentPlan):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        assert session.scalar(select(func.count()).select_from(Scorecard)) == 1
