"""The demo's development records: HR's scorecards made through the scorecard service, and the
associates' plans, weekly updates, coaching sessions and call evaluations coherent with the
rules, readable by the services as a keeper, counted as the summary says, in every state,
agreeing with the inbox's due items, and changed by the services afterwards like any record.

One demo of 120 associates (SQLite, module scope: its accounts cost a quarter second of
Argon2id each) is read by every test; the tests that change records come last.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crmsup.demo import development_records
from crmsup.records.database import Database
from crmsup.records.development import coaching as coaching_service
from crmsup.records.development import due as development_due
from crmsup.records.development import evaluations as coaching_evaluation_service
from crmsup.records.development import scorecards as scorecard_service
from crmsup.records.development import service as development_service
from crmsup.records.development.dto import EvaluationChanges, NewEvaluation
from crmsup.records.development.models import (
    CallEvaluation,
    CoachingSession,
    DevelopmentPlan,
    DevelopmentUpdate,
    PlanState,
)
from crmsup.records.development.rules import month_start, plan_weeks, weeks_due
from crmsup.records.development.scorecard_rules import Answer, ItemRule, evaluation_score
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.people.auth import login
from tests.helpers.demo_db import Demo, sqlite_demo

PASSWORD = "demo passphrase for tests"
TODAY = date(2025, 3, 14)
SEED = 11
SIZE = 120
STATES = {"draft", "active", "closed", "held", "scored", "auto_failed"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with sqlite_demo(tmp_path_factory.mktemp("development"), SIZE, SEED, TODAY, PASSWORD) as made:
        yield made


def _people(db: Database) -> dict[uuid.UUID, Associate]:
    with db.transaction() as session:
        found = {a.id: a for a in session.scalars(select(Associate))}
        session.expunge_all()
        return found


def _hired(person: Associate) -> date:
    assert person.hire_date is not None
    return person.hire_date


def _auto_failed(demo: Demo, employee_no: str, evaluation_id: uuid.UUID) -> bool:
    detail = coaching_evaluation_service.get_evaluation(
        demo.db, demo.hr, employee_no, evaluation_id
    )
    return any(line.auto_fail and line.answer is Answer.FAIL for line in detail.lines)


# ---- what was written ----------------------------------------------------------------------


def test_the_summary_counts_every_state_the_database_holds(demo: Demo) -> None:
    people = _people(demo.db)
    with demo.db.transaction() as session:
        plans = Counter(s.value for s in session.scalars(select(DevelopmentPlan.state)))
        sessions = session.scalar(select(func.count()).select_from(CoachingSession)) or 0
        evaluations = session.execute(select(CallEvaluation.id, CallEvaluation.associate_id)).all()
    failed = sum(_auto_failed(demo, people[a].employee_no, e) for e, a in evaluations)
    found = plans + Counter(
        {"held": sessions, "auto_failed": failed, "scored": len(evaluations) - failed}
    )
    record = next(r for r in demo.summary.records if r.kind == development_records.KIND)
    assert {c.name: c.count for c in record.states} == +found
    assert {c.name: c.count for c in record.varieties} == {
        "plan": plans.total(),
        "coaching_session": sessions,
        "call_evaluation": len(evaluations),
    }
    assert set(+found) == STATES


def test_hr_made_the_scorecards_through_the_service(demo: Demo) -> None:
    cards = scorecard_service.list_scorecards(demo.db, demo.hr, include_retired=True)
    by_name = {(c.name, c.revision): c for c in cards}
    retired, voice = by_name["Voice call quality", 1], by_name["Voice call quality", 2]
    chat = by_name["Chat and e-mail quality", 1]
    assert (retired.active, voice.active, chat.active) == (False, True, True)
    assert retired.evaluations  # last month's evaluations keep the retired revision
    assert voice.evaluations
    with demo.db.transaction() as session:
        chat_teams = set(session.scalars(select(Team.id).where(Team.name.ilike("%chat%"))))
        scored = session.execute(
            select(
                CallEvaluation.scorecard_id, CallEvaluation.evaluated_on, Associate.team_id
            ).join(Associate)
        ).all()
    for card, day, team in scored:
        if team in chat_teams:
            assert card == chat.id
        else:
            assert card == (voice.id if day >= month_start(TODAY) else retired.id)


def test_every_record_is_coherent_with_the_rules_and_the_associates_dates(demo: Demo) -> None:
    people = _people(demo.db)
    this = month_start(TODAY)
    with demo.db.transaction() as session:
        plans = {p.id: p for p in session.scalars(select(DevelopmentPlan))}
        updates = list(session.scalars(select(DevelopmentUpdate)))
        sessions = list(session.scalars(select(CoachingSession)))
        evaluations = list(session.scalars(select(CallEvaluation)))
        session.expunge_all()
    for plan in plans.values():
        person = people[plan.associate_id]
        last = person.termination_date or TODAY
        assert plan.month.day == 1
        assert _hired(person) <= plan.created_at.date() <= min(last, TODAY)
        assert (plan.activated_at is None) is (plan.state is PlanState.DRAFT)
        assert (plan.closed_on is not None) is (plan.state is PlanState.CLOSED)
        assert (plan.outcome_enc is not None) is (plan.state is PlanState.CLOSED)
        if plan.state is not PlanState.CLOSED:
            assert person.status is AssociateStatus.ACTIVE  # no inbox item for a leaver
        if plan.closed_on is not None:
            assert plan.activated_at is not None
            assert plan.month <= plan.closed_on <= min(last, TODAY)
            assert plan.closed_on >= plan.activated_at.date()
        if plan.month > this:
            assert plan.state is PlanState.DRAFT
    for update in updates:
        plan = plans[update.plan_id]
        assert update.associate_id == plan.associate_id
        assert update.week_of in weeks_due(plan.month, TODAY - timedelta(days=1))
        assert plan.activated_at is not None
        assert plan.activated_at <= update.written_at
        assert update.written_at.date() <= (plan.closed_on or TODAY - timedelta(days=1))
    dated = [
        *((s.associate_id, s.held_on, s.created_at.date(), s.plan_id) for s in sessions),
        *((e.associate_id, e.evaluated_on, e.created_at.date(), e.plan_id) for e in evaluations),
    ]
    for associate_id, day, created, plan_id in dated:
        person = people[associate_id]
        assert _hired(person) <= day <= min(person.termination_date or TODAY, TODAY)
        assert day.weekday() < 5
        assert day <= created <= TODAY
        if plan_id is not None:
            assert plans[plan_id].associate_id == associate_id
            assert plans[plan_id].state is not PlanState.DRAFT


def test_a_keeper_reads_every_state_through_the_services(demo: Demo) -> None:
    people = _people(demo.db)
    with demo.db.transaction() as session:
        plans = session.execute(
            select(DevelopmentPlan.id, DevelopmentPlan.associate_id, DevelopmentPlan.state)
        ).all()
        sessions = session.execute(select(CoachingSession.id, CoachingSession.associate_id)).all()
        evaluations = session.execute(select(CallEvaluation.id, CallEvaluation.associate_id)).all()
    seen: set[PlanState] = set()
    for plan_id, associate_id, state in plans:
        if state in seen and len(seen) < len(PlanState):
            continue
        seen.add(state)
        detail = development_service.get_plan(
            demo.db, demo.hr, people[associate_id].employee_no, plan_id
        )
        assert detail.goals
        assert all(g.strip() for g in detail.goals)
        assert (detail.outcome is not None) is (state is PlanState.CLOSED)
        assert {u.week_of for u in detail.updates} <= set(plan_weeks(detail.month))
        assert all(u.text for u in detail.updates)
        assert detail.created_by.startswith(("sup-", "manager"))
    assert seen == set(PlanState)
    for session_id, associate_id in sessions[:20]:
        got = coaching_service.get_session(
            demo.db, demo.hr, people[associate_id].employee_no, session_id
        )
        assert got.topic
        assert got.coach.startswith(("sup-", "manager"))
    for evaluation_id, associate_id in evaluations:
        scored = coaching_evaluation_service.get_evaluation(
            demo.db, demo.hr, people[associate_id].employee_no, evaluation_id
        )
        rules = {line.item_id: ItemRule(line.weight, line.auto_fail) for line in scored.lines}
        answers = {line.item_id: line.answer for line in scored.lines}
        assert scored.score == evaluation_score(answers, rules)
        assert scored.score is not None


def test_the_inbox_agrees_with_what_was_written(demo: Demo) -> None:
    team = demo.summary.teams[0]
    supervisor = login(demo.db, team.supervisor, PASSWORD)
    this = month_start(TODAY)
    with demo.db.transaction() as session:
        members = {
            a.id: a
            for a in session.scalars(select(Associate).join(Team).where(Team.name == team.name))
        }
        session.expunge_all()
        plans = session.execute(
            select(
                DevelopmentPlan.id,
                DevelopmentPlan.associate_id,
                DevelopmentPlan.month,
                DevelopmentPlan.state,
            ).where(DevelopmentPlan.associate_id.in_(members))
        ).all()
        written = set(session.execute(select(DevelopmentUpdate.plan_id, DevelopmentUpdate.week_of)))
    planned = {a for _, a, month, _ in plans if month == this}
    last = month_start(this - timedelta(days=1))
    continuing = {
        a for _, a, month, state in plans if month == last and state is not PlanState.DRAFT
    }
    want_plans = {
        a
        for a, p in members.items()
        if p.status is AssociateStatus.ACTIVE and a in continuing and a not in planned
    }
    want_updates = Counter(
        plan_id
        for plan_id, _, month, state in plans
        if state is PlanState.ACTIVE
        for week in weeks_due(month, TODAY)
        if (plan_id, week) not in written
    )
    items = development_due.due_items(demo.db, supervisor, TODAY)
    assert {i.record_id for i in items if i.kind == "development.plan"} == want_plans
    assert Counter(i.record_id for i in items if i.kind == "development.update") == want_updates
    assert want_updates  # some weeks are waiting for their update


# ---- changed by the services afterwards ----------------------------------------------------


def test_the_services_take_the_demo_plans_through_their_life_cycle(demo: Demo) -> None:
    people = _people(demo.db)
    this = month_start(TODAY)
    with demo.db.transaction() as session:
        plans = session.execute(
            select(DevelopmentPlan.id, DevelopmentPlan.associate_id, DevelopmentPlan.state).where(
                DevelopmentPlan.month == this
            )
        ).all()
    draft = next((p, a) for p, a, s in plans if s is PlanState.DRAFT)
    active = next((p, a) for p, a, s in plans if s is PlanState.ACTIVE)
    number = people[draft[1]].employee_no
    activated = development_service.activate_plan(demo.db, demo.hr, number, draft[0])
    assert activated.state is PlanState.ACTIVE
    number = people[active[1]].employee_no
    detail = development_service.get_plan(demo.db, demo.hr, number, active[0])
    missing = [w for w in weeks_due(this, TODAY) if w not in {u.week_of for u in detail.updates}]
    if missing:
        development_service.add_update(
            demo.db, demo.hr, number, active[0], week_of=missing[0], text="Caught up.", today=TODAY
        )
    closed = development_service.close_plan(
        demo.db,
        demo.hr,
        number,
        active[0],
        outcome="Goals met.",
        today=TODAY,
        expected_version=development_service.get_plan(demo.db, demo.hr, number, active[0]).version,
    )
    assert closed.state is PlanState.CLOSED
    assert closed.outcome == "Goals met."


def test_the_services_score_a_new_evaluation_and_revise_a_demo_one(demo: Demo) -> None:
    people = _people(demo.db)
    voice = scorecard_service.get_scorecard(demo.db, demo.hr, "Voice call quality")
    with demo.db.transaction() as session:
        old_id, associate_id = session.execute(
            select(CallEvaluation.id, CallEvaluation.associate_id)
            .where(CallEvaluation.scorecard_id != voice.id)
            .limit(1)
        ).one()
    number = people[associate_id].employee_no
    old = coaching_evaluation_service.get_evaluation(demo.db, demo.hr, number, old_id)
    flipped = {
        line.item_id: ("pass" if line.answer is Answer.FAIL else "fail")
        for line in old.lines
        if not line.auto_fail and line.answer is not Answer.NA
    }
    changed = coaching_evaluation_service.update_evaluation(
        demo.db,
        demo.hr,
        number,
        old_id,
        EvaluationChanges(answers=flipped),
        today=TODAY,
        expected_version=old.version,
    )
    assert changed.version == old.version + 1
    new = coaching_evaluation_service.create_evaluation(
        demo.db,
        demo.hr,
        number,
        NewEvaluation(voice.id, TODAY, {i.id: "pass" for i in voice.items}),
        today=TODAY,
    )
    assert new.score == 100
