"""Coaching sessions and call-monitoring evaluations: recorded, changed, linked to a plan or a
discipline record of the same associate only, scored on the scorecard revision they keep, and
every refusal (scope, stale version, bad input) changing nothing."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from crmsup.records.development import coaching as sessions
from crmsup.records.development import evaluations
from crmsup.records.development import scorecards as scorecard_service
from crmsup.records.development.dto import (
    EvaluationChanges,
    NewEvaluation,
    NewSession,
    ScorecardDetail,
    SessionChanges,
)
from crmsup.records.development.models import CallEvaluation, CoachingSession
from crmsup.records.development.scorecard_rules import Answer, ItemSpec
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org, add_associate
from tests.helpers.discipline import issue_coaching
from tests.unit.records.development.matrix import TODAY, active_plan, new_plan, new_scorecard

NOTES = "Agreed to paraphrase before each refund"


def _answers(card: ScorecardDetail, *given: str) -> dict[uuid.UUID, str]:
    return {line.id: answer for line, answer in zip(card.items, given, strict=True)}


def _audit(org: Org, prefix: str) -> list[tuple[str, str | None, str, object]]:
    with org.db.transaction() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.details)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.sequence)
        ).all()
    return [(a, who, out, json.loads(d or "{}").get("fields")) for a, who, out, d in rows]


def test_a_session_linked_to_a_plan_and_a_discipline_record(org: Org) -> None:
    plan = active_plan(org)
    record = issue_coaching(org, on=date(2026, 11, 20))
    new = NewSession(date(2026, 11, 20), "Refunds", NOTES, None, plan.short_id, record.id.hex[:8])
    made = sessions.create_session(org.db, org.sup_a, "E100", new, today=TODAY)
    assert (made.topic, made.notes, made.actions, made.coach) == ("Refunds", NOTES, None, "sup-a")
    assert (made.plan_id, made.discipline_id) == (plan.id, record.id)
    changed = sessions.update_session(
        org.db,
        org.manager,
        "E100",
        made.short_id,
        SessionChanges(actions="Listen to two calls", plan="", notes=NOTES),
        today=TODAY,
        expected_version=made.version,
    )
    assert (changed.actions, changed.plan_id, changed.discipline_id) == (
        "Listen to two calls",
        None,
        record.id,
    )
    (row,) = sessions.list_sessions(org.db, org.hr, "E100")
    assert (row.held_on, row.coach, row.version) == (date(2026, 11, 20), "sup-a", changed.version)
    assert sessions.get_session(org.db, org.hr, "E100", row.id).notes == NOTES
    assert _audit(org, "coaching_session.") == [
        ("coaching_session.create", "sup-a", "ok", ["notes", "topic"]),
        ("coaching_session.update", "manager", "ok", ["actions", "plan_id"]),
        ("coaching_session.list", "hr", "ok", None),
        ("coaching_session.view", "hr", "ok", None),
    ]
    with org.db.transaction() as session:
        stored = b"".join(
            b or b""
            for b in session.execute(
                select(CoachingSession.topic_enc, CoachingSession.notes_enc)
            ).one()
        )
    assert NOTES.encode() not in stored
    assert b"Refunds" not in stored


def test_links_reach_only_the_same_associates_records(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", first="Ada", last="Lovelace")
    other = new_plan(org, employee_no="E200")
    for new in (
        NewSession(TODAY, "x", plan=other.id),
        NewSession(TODAY, "x", plan=other.short_id),
    ):
        with pytest.raises(NotFound, match="associate E100 has no development plan"):
            sessions.create_session(org.db, org.hr, "E100", new, today=TODAY)
    with pytest.raises(ValidationFailed, match="the topic must not be empty"):
        sessions.create_session(org.db, org.hr, "E100", NewSession(TODAY, " "), today=TODAY)
    with pytest.raises(ValidationFailed, match="is in the future"):
        sessions.create_session(
            org.db, org.hr, "E100", NewSession(date(2026, 11, 24), "x"), today=TODAY
        )
    assert sessions.list_sessions(org.db, org.hr, "E100") == ()


def test_sessions_out_of_scope_or_stale_are_refused(org: Org) -> None:
    add_associate(org)
    made = sessions.create_session(
        org.db, org.sup_a, "E100", NewSession(TODAY, "Hold times"), today=TODAY
    )
    sessions.update_session(
        org.db, org.hr, "E100", made.id, SessionChanges(topic="Hold time"), today=TODAY
    )
    with pytest.raises(StaleEdit, match=r"coaching session .* changed by hr"):
        sessions.update_session(
            org.db,
            org.sup_a,
            "E100",
            made.id,
            SessionChanges(notes="n"),
            today=TODAY,
            expected_version=made.version,
        )
    with pytest.raises(PermissionDenied, match="outside your scope"):
        sessions.get_session(org.db, org.sup_b, "E100", made.id)
    with pytest.raises(PermissionDenied):
        sessions.create_session(org.db, org.admin, "E100", NewSession(TODAY, "x"), today=TODAY)
    assert sessions.get_session(org.db, org.sup_a, "E100", made.id).topic == "Hold time"
    outcomes = [(a, o) for a, _, o, _ in _audit(org, "coaching_session.") if o != "ok"]
    assert outcomes == [("coaching_session.view", "denied"), ("coaching_session.create", "denied")]


def test_an_evaluation_is_scored_and_keeps_its_scorecard_revision(org: Org) -> None:
    add_associate(org)
    card = new_scorecard(org)
    new = NewEvaluation(
        card.id, TODAY, _answers(card, "pass", "fail", "pass", "na"), "CALL-7731", "Warm greeting"
    )
    made = evaluations.create_evaluation(org.db, org.sup_a, "E100", new, today=TODAY)
    assert made.score == Decimal("50.00")
    assert [line.answer for line in made.lines] == [
        Answer.PASS,
        Answer.FAIL,
        Answer.PASS,
        Answer.NA,
    ]
    statement = card.items[2].id
    failed = evaluations.update_evaluation(
        org.db,
        org.sup_a,
        "E100",
        made.short_id,
        EvaluationChanges(answers={statement: "fail"}, actions="Read the statement first"),
        today=TODAY,
        expected_version=made.version,
    )
    assert failed.score == Decimal("0.00")
    revised = scorecard_service.revise_scorecard(
        org.db, org.hr, card.name, (ItemSpec("Greeting", 1),)
    )
    kept = evaluations.get_evaluation(org.db, org.hr, "E100", made.id)
    assert (kept.revision, kept.score, len(kept.lines)) == (1, Decimal("0.00"), 4)
    with pytest.raises(
        ValidationFailed, match="revision 1 of scorecard 'Inbound calls' is retired"
    ):
        evaluations.create_evaluation(org.db, org.sup_a, "E100", new, today=TODAY)
    (row,) = evaluations.list_evaluations(org.db, org.sup_a, "E100")
    assert (row.scorecard, row.revision, row.evaluator) == ("Inbound calls", 1, "sup-a")
    assert revised.revision == 2
    assert [f for a, _, _, f in _audit(org, "call_evaluation.update")] == [["answers", "actions"]]
    with org.db.transaction() as session:
        stored = b"".join(
            b or b""
            for b in session.execute(
                select(
                    CallEvaluation.answers_enc,
                    CallEvaluation.score_enc,
                    CallEvaluation.call_ref_enc,
                )
            ).one()
        )
    for plain in (b"CALL-7731", b"fail", b"0.00"):
        assert plain not in stored


def test_bad_or_stale_evaluations_change_nothing(org: Org) -> None:
    add_associate(org)
    card = new_scorecard(org)
    answers = _answers(card, "pass", "pass", "pass", "pass")
    with pytest.raises(ValidationFailed, match="answer every item"):
        evaluations.create_evaluation(
            org.db,
            org.hr,
            "E100",
            NewEvaluation(card.id, TODAY, {card.items[0].id: "pass"}),
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="pass, fail or na"):
        evaluations.create_evaluation(
            org.db,
            org.hr,
            "E100",
            NewEvaluation(card.id, TODAY, {**answers, card.items[0].id: "ok"}),
            today=TODAY,
        )
    made = evaluations.create_evaluation(
        org.db, org.hr, "E100", NewEvaluation(card.id, TODAY, answers), today=TODAY
    )
    assert made.score == Decimal("100.00")
    evaluations.update_evaluation(
        org.db, org.manager, "E100", made.id, EvaluationChanges(strengths="Calm"), today=TODAY
    )
    with pytest.raises(StaleEdit, match="changed by manager"):
        evaluations.update_evaluation(
            org.db,
            org.hr,
            "E100",
            made.id,
            EvaluationChanges(strengths="x"),
            today=TODAY,
            expected_version=made.version,
        )
    with pytest.raises(PermissionDenied):
        evaluations.update_evaluation(
            org.db, org.sup_b, "E100", made.id, EvaluationChanges(strengths="x"), today=TODAY
        )
    assert evaluations.get_evaluation(org.db, org.hr, "E100", made.id).strengths == "Calm"
