"""Call-monitoring evaluations: a monitored call scored on one revision of an HR scorecard,
with strengths and actions, optionally linked to a development plan or a discipline record of
the same associate.

Kept by whoever keeps the associate's file (DEVELOPMENT_WRITE), read with DEVELOPMENT_VIEW.
The answers, the score they make (`scorecard_rules.evaluation_score`), the call reference,
strengths and actions are encrypted under the associate's data key; the date, scorecard and
links stay plain. An evaluation keeps the scorecard revision it was scored on, even once that
revision is retired. Every change is audited in its transaction (field names only), every read
of content as "call_evaluation.view"; a stale version is refused, naming who changed it since.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.content import changed_link, in_file, link, locked_change
from crmsup.records.development.dto import (
    EvaluationChanges,
    EvaluationDetail,
    EvaluationLine,
    EvaluationRow,
    NewEvaluation,
    ScorecardLine,
)
from crmsup.records.development.models import CallEvaluation, DevelopmentPlan, Scorecard
from crmsup.records.development.rules import check_not_future, clean_text
from crmsup.records.development.scorecard_rules import (
    Answer,
    ItemRule,
    clean_answers,
    evaluation_score,
)
from crmsup.records.development.scorecards import active_scorecard, lines_by_scorecard
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import IntegrityFailure
from crmsup.records.models import User
from crmsup.records.names import team_name, usernames
from crmsup.records.sealed_fields import open_json, open_text, seal, seal_json
from crmsup.records.subject import Subject, checked_session, cipher_for
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

TABLE = CallEvaluation.__tablename__
ENTITY = "call_evaluation"
TEXTS = {
    "call_ref": ("call_ref_enc", "call reference"),
    "strengths": ("strengths_enc", "strengths"),
    "actions": ("actions_enc", "actions"),
}


def _answers(cipher: FieldCipher, row: CallEvaluation) -> dict[str, Answer]:
    raw = open_json(cipher, TABLE, row.id, "answers_enc", row.answers_enc)
    try:
        if not isinstance(raw, dict):
            raise ValueError
        return {str(k): Answer(v) for k, v in raw.items()}
    except ValueError:
        raise IntegrityFailure(
            "the answers of an evaluation do not hold what was written"
        ) from None


def _score(cipher: FieldCipher, row: CallEvaluation) -> Decimal | None:
    text = open_text(cipher, TABLE, row.id, "score_enc", row.score_enc)
    try:
        return None if text is None else Decimal(text)
    except InvalidOperation:
        raise IntegrityFailure("the score of an evaluation is damaged") from None


def _seal_answers(
    cipher: FieldCipher,
    row: CallEvaluation,
    given: Mapping[uuid.UUID, str],
    lines: tuple[ScorecardLine, ...],
) -> None:
    """Store the answers and the score they make."""
    answers = clean_answers(given, [line.id for line in lines])
    rules = {line.id: ItemRule(line.weight, line.auto_fail) for line in lines}
    score = evaluation_score(answers, rules)
    stored = {str(k): v.value for k, v in answers.items()}
    row.answers_enc = seal_json(cipher, TABLE, row.id, "answers_enc", stored)
    row.score_enc = (
        None if score is None else cipher.encrypt(TABLE, "score_enc", str(row.id), str(score))
    )


def _detail(
    session: Session, cipher: FieldCipher, subject: Subject, row: CallEvaluation
) -> EvaluationDetail:
    session.flush()
    card = session.get_one(Scorecard, row.scorecard_id)
    answers = _answers(cipher, row)
    lines = tuple(
        EvaluationLine(i.id, i.position, i.text, i.weight, i.auto_fail, answers[str(i.id)])
        for i in lines_by_scorecard(session, [card.id]).get(card.id, ())
    )
    texts = {f: open_text(cipher, TABLE, row.id, c, getattr(row, c)) for f, (c, _) in TEXTS.items()}
    return EvaluationDetail(
        id=row.id,
        employee_no=subject.employee_no,
        team=team_name(session, subject.team_id),
        evaluated_on=row.evaluated_on,
        scorecard_id=card.id,
        scorecard=card.name,
        revision=card.revision,
        lines=lines,
        score=_score(cipher, row),
        plan_id=row.plan_id,
        discipline_id=row.discipline_id,
        evaluator=usernames(session, [row.evaluator_id])[row.evaluator_id],
        created_at=row.created_at,
        version=row.version,
        **texts,
    )


def list_evaluations(db: Database, actor: Actor, employee_no: str) -> tuple[EvaluationRow, ...]:
    """The associate's evaluations, newest first: plain columns (no score), nothing decrypted."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "call_evaluation.list", employee_no, "associate"
    ) as (subject, session):
        query = (
            select(CallEvaluation, Scorecard.name, Scorecard.revision, User.username)
            .join(Scorecard, Scorecard.id == CallEvaluation.scorecard_id)
            .join(User, User.id == CallEvaluation.evaluator_id)
            .where(CallEvaluation.associate_id == subject.associate_id)
            .order_by(CallEvaluation.evaluated_on.desc(), CallEvaluation.created_at.desc())
        )
        rows = tuple(
            EvaluationRow(e.id, subject.employee_no, e.evaluated_on, name, rev, who, e.version)
            for e, name, rev, who in session.execute(query)
        )
        audit.append(
            session,
            "call_evaluation.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"evaluations": len(rows)},
        )
        return rows


def get_evaluation(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> EvaluationDetail:
    """One evaluation, decrypted (audited as "call_evaluation.view")."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "call_evaluation.view", employee_no, "associate"
    ) as (subject, session):
        row = in_file(session, CallEvaluation, subject, ref)
        detail = _detail(session, cipher_for(session, actor, subject), subject, row)
        audit.append(
            session, "call_evaluation.view", actor=actor, entity_type=ENTITY, entity_id=row.id
        )
        return detail


def create_evaluation(
    db: Database, actor: Actor, employee_no: str, new: NewEvaluation, *, today: date
) -> EvaluationDetail:
    """An evaluation on an active scorecard revision, every item answered, with the acting
    user as evaluator."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_WRITE, "call_evaluation.create", employee_no, "associate"
    ) as (subject, session):
        evaluated_on = check_not_future(new.evaluated_on, today, "evaluation date")
        lines = active_scorecard(session, new.scorecard_id)
        texts = {c: clean_text(getattr(new, f), label) for f, (c, label) in TEXTS.items()}
        plan_id = link(session, DevelopmentPlan, subject, new.plan)
        discipline_id = link(session, DisciplineRecord, subject, new.discipline)
        cipher = cipher_for(session, actor, subject)
        row = CallEvaluation(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            scorecard_id=new.scorecard_id,
            evaluated_on=evaluated_on,
            plan_id=plan_id,
            discipline_id=discipline_id,
            evaluator_id=actor.user_id,
        )
        _seal_answers(cipher, row, new.answers, lines)
        for column, sealed in seal(cipher, TABLE, row.id, texts).items():
            setattr(row, column, sealed)
        session.add(row)
        session.flush()
        audit.append(
            session,
            "call_evaluation.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=row.id,
            details={"associate": str(subject.associate_id), "scorecard": str(new.scorecard_id)},
        )
        return _detail(session, cipher, subject, row)


def update_evaluation(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: EvaluationChanges,
    *,
    today: date,
    expected_version: int | None = None,
) -> EvaluationDetail:
    """Change an evaluation's date, answers (merged item by item; the score follows), texts
    or links; nothing is written when nothing changes."""
    with locked_change(
        db, actor, employee_no, CallEvaluation, ref, "call_evaluation.update", expected_version
    ) as change:
        row, cipher, fields = change.row, change.cipher, []
        if changes.evaluated_on is not None and changes.evaluated_on != row.evaluated_on:
            row.evaluated_on = check_not_future(changes.evaluated_on, today, "evaluation date")
            fields.append("evaluated_on")
        if changes.answers is not None:
            lines = lines_by_scorecard(change.session, [row.scorecard_id]).get(row.scorecard_id, ())
            old = {uuid.UUID(k): v.value for k, v in _answers(cipher, row).items()}
            merged = {**old, **{k: str(v).strip().lower() for k, v in changes.answers.items()}}
            if merged != old:
                _seal_answers(cipher, row, merged, lines)
                fields.append("answers")
        for field, (column, label) in TEXTS.items():
            value = getattr(changes, field)
            if value is None:
                continue
            text = clean_text(value, label)
            if text != open_text(cipher, TABLE, row.id, column, getattr(row, column)):
                setattr(row, column, seal(cipher, TABLE, row.id, {column: text})[column])
                fields.append(field)
        moved, plan_id = changed_link(
            change.session, DevelopmentPlan, change.subject, changes.plan, row.plan_id
        )
        if moved:
            row.plan_id = plan_id
            fields.append("plan_id")
        moved, discipline_id = changed_link(
            change.session, DisciplineRecord, change.subject, changes.discipline, row.discipline_id
        )
        if moved:
            row.discipline_id = discipline_id
            fields.append("discipline_id")
        if fields:
            change.record("call_evaluation.update", fields)
        return _detail(change.session, cipher, change.subject, row)
