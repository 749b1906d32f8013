"""The coaching sessions and call evaluations of the demo's development records
(`development_records`): HR's scorecards as evaluations need them, and one associate's
sessions and evaluations, encrypted as `development.coaching` and `development.evaluations`
encrypt them.

Each month of a plan under way has a session or two (most on the plan) and one or two
evaluated calls (most linked to it); associates on no plan are now and then coached after an
evaluation, and some have a recent evaluated call. A call is scored on the team's scorecard in
the revision current that day, its score the one `scorecard_rules.evaluation_score` makes.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from crmsup.demo import development_texts as texts
from crmsup.demo.people import Owner
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.dates import is_working_day
from crmsup.records.development.models import CallEvaluation, CoachingSession, PlanState
from crmsup.records.development.rules import next_month
from crmsup.records.development.scorecard_rules import Answer, ItemRule, evaluation_score
from crmsup.records.sealed_fields import seal, seal_json

#: The kind the summary counts plans, sessions and evaluations under (one per area).
KIND = "development"
_SESSIONS = table_of(CoachingSession)
_EVALUATIONS = table_of(CallEvaluation)
_P = PlanState

#: Associates on no plan coached anyway (after an evaluation) in the last weeks.
AD_HOC_COACHING = 0.03
#: Evaluations recorded in a month of a plan under way (the calls the coaching is about),
#: by weight; of those on no plan, the share with a recent one (QA's monthly sample lives
#: in the QA tool: the file keeps the calls a supervisor acts on).
EVALUATIONS = ((1, 75), (2, 25))
SAMPLED = 0.12
#: Days after hire before calls are evaluated (nesting on the floor).
NESTING_DAYS = 7


@dataclass(frozen=True, slots=True)
class Card:
    """A scorecard revision as an evaluation needs it."""

    id: uuid.UUID
    #: (item id as the answers JSON keys it, weight, auto-fail, often not applicable).
    items: tuple[tuple[str, int, bool, bool], ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    voice_retired: Card
    voice: Card
    chat: Card
    #: Evaluations of voice teams before this day were scored on the retired revision.
    revised_on: date
    chat_teams: frozenset[uuid.UUID]


def card_of(detail_id: uuid.UUID, lines: tuple[tuple[str, int, bool, str], ...]) -> Card:
    return Card(detail_id, tuple((i, w, a, t in texts.OFTEN_NA) for i, w, a, t in lines))


@dataclass(frozen=True, slots=True)
class PlanRef:
    id: uuid.UUID
    month: date
    state: PlanState


def writer(owner: Owner, staff: Staff, rng: random.Random) -> uuid.UUID:
    """Who writes in an associate's development file: mostly their supervisor."""
    team = owner.person.team
    return staff.supervisors[team] if rng.random() < 0.92 else staff.managers[team]


# ---- coaching and evaluations ------------------------------------------------------------


def working_day(rng: random.Random, first: date, last: date) -> date | None:
    """A working day from `first` to `last`, or None when there is none."""
    for _ in range(6):
        day = day_between(rng, first, last)
        if first <= day <= last and is_working_day(day):
            return day
    return None


def coaching_rows(
    owner: Owner,
    staff: Staff,
    plans: list[PlanRef],
    end: date,
    today: date,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> None:
    """One or two sessions in each month with a plan under way (most on the plan), or now
    and then one after an evaluation."""
    person = owner.person
    days: list[tuple[date, uuid.UUID | None]] = []
    for plan in plans:
        if plan.state is _P.DRAFT:
            continue
        first = max(plan.month, person.hire_date)
        last = min(next_month(plan.month) - timedelta(days=1), end)
        for _ in range(pick(rng, ((1, 85), (2, 15)))):
            day = working_day(rng, first, last)
            if day is not None:
                days.append((day, plan.id if rng.random() < 0.85 else None))
    if not plans and rng.random() < AD_HOC_COACHING:
        day = working_day(rng, max(person.hire_date, today - timedelta(days=45)), end)
        if day is not None:
            days.append((day, None))
    for day, plan_id in days:
        session_id = uuid.uuid4()
        notes = rng.choice(texts.NOTES) if rng.random() < 0.8 else None
        actions = rng.choice(texts.ACTIONS) if rng.random() < 0.6 else None
        topic = texts.TOPICS[0] if plan_id is not None else rng.choice(texts.TOPICS[1:])
        sealed = seal(
            owner.cipher,
            _SESSIONS.name,
            session_id,
            {"topic_enc": topic, "notes_enc": notes, "actions_enc": actions},
        )
        out[_SESSIONS.name].append(
            full_row(
                _SESSIONS,
                {
                    "id": session_id,
                    "associate_id": owner.associate_id,
                    "held_on": day,
                    "plan_id": plan_id,
                    "coach_id": writer(owner, staff, rng),
                    "created_at": at_work(
                        min(day + timedelta(days=rng.choice((0, 0, 1))), end), rng
                    ),
                    **sealed,
                },
            )
        )
        tally.add(KIND, "held", "coaching_session")


def _answers(card: Card, skill: float, fail: bool, rng: random.Random) -> dict[str, Answer]:
    """Each item passed as the associate's skill goes, a compliance item failed now and then
    (the first one when `fail`), items that often do not apply marked so."""
    answers: dict[str, Answer] = {}
    for item_id, _weight, auto_fail, often_na in card.items:
        if often_na and rng.random() < 0.55:
            answers[item_id] = Answer.NA
        elif auto_fail:
            answers[item_id] = Answer.FAIL if fail or rng.random() < 0.025 else Answer.PASS
            fail = False
        else:
            answers[item_id] = Answer.PASS if rng.random() < skill else Answer.FAIL
    return answers


def evaluation_rows(
    owner: Owner,
    staff: Staff,
    prepared: Prepared,
    plans: list[PlanRef],
    end: date,
    today: date,
    scenario: str | None,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> None:
    """One or two monitored calls in each month of a plan under way (most linked to it),
    or now and then a recent one, from the end of nesting; scored on the team's scorecard,
    in the revision current that day."""
    person = owner.person
    chat = staff.team_ids[person.team] in prepared.chat_teams
    live = [p for p in plans if p.state is not _P.DRAFT]
    skill = min(0.98, max(0.55, rng.gauss(0.80 if live else 0.88, 0.07)))
    start = person.hire_date + timedelta(days=NESTING_DAYS)
    spans: list[tuple[date, date, uuid.UUID | None, int]] = [
        (p.month, next_month(p.month) - timedelta(days=1), p.id, pick(rng, EVALUATIONS))
        for p in live
    ]
    fail = scenario == "auto_failed"
    if not live and (fail or rng.random() < SAMPLED):
        spans.append((today - timedelta(days=30), end, None, 1))
    for first, last, plan_id, count in spans:
        for _ in range(count):
            day = working_day(rng, max(first, start), min(last, end))
            if day is None:
                continue
            if chat:
                card = prepared.chat
            else:
                card = prepared.voice if day >= prepared.revised_on else prepared.voice_retired
            linked = plan_id if rng.random() < 0.75 else None
            _evaluation(owner, staff, card, chat, day, end, skill, fail, linked, rng, out, tally)
            fail = False


def _evaluation(
    owner: Owner,
    staff: Staff,
    card: Card,
    chat: bool,
    day: date,
    end: date,
    skill: float,
    fail: bool,
    plan_id: uuid.UUID | None,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> None:
    evaluation_id = uuid.uuid4()
    answers = _answers(card, skill, fail, rng)
    rules = {i: ItemRule(w, a) for i, w, a, _ in card.items}
    score = evaluation_score(answers, rules)
    failed = any(answers[i] is Answer.FAIL and a for i, _, a, _ in card.items)
    low = score is not None and score < 90
    prefix = "CH" if chat else "C"
    cipher, name = owner.cipher, _EVALUATIONS.name
    texts_in = {
        "call_ref_enc": f"{prefix}-{day:%Y%m%d}-{rng.randrange(10**6):06d}"
        if rng.random() < 0.5
        else None,
        "strengths_enc": rng.choice(texts.STRENGTHS) if rng.random() < 0.5 else None,
        "actions_enc": rng.choice(texts.EVALUATION_ACTIONS)
        if rng.random() < (0.85 if low else 0.2)
        else None,
        "score_enc": None if score is None else str(score),
    }
    stored = {k: v.value for k, v in answers.items()}
    out[name].append(
        full_row(
            _EVALUATIONS,
            {
                "id": evaluation_id,
                "associate_id": owner.associate_id,
                "scorecard_id": card.id,
                "evaluated_on": day,
                "answers_enc": seal_json(cipher, name, evaluation_id, "answers_enc", stored),
                "plan_id": plan_id,
                "evaluator_id": writer(owner, staff, rng),
                "created_at": at_work(min(day + timedelta(days=rng.choice((0, 0, 1))), end), rng),
                **seal(cipher, name, evaluation_id, texts_in),
            },
        )
    )
    tally.add(KIND, "auto_failed" if failed else "scored", "call_evaluation")
