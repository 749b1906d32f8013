"""Demo development records: monthly development plans with their weekly updates, coaching
sessions and call-monitoring evaluations, coherent with `crmsup.records.development_rules`
and `scorecard_rules`.

HR's scorecards are made once with the real service (`prepare`): a voice scorecard revised
once at the start of this month (so last month's evaluations keep its retired first
revision) and a chat and e-mail one, which the teams whose name says so are scored on.

Associates are on a monthly plan when they need one: nearly every newcomer in their first 90
days, and about one in twelve of the others (a gap to close, a step up to prepare). This
month's plan is a draft while it is being agreed, then active with an update for each week
that has begun (a few missing: the inbox shows them due or overdue); most of those on a plan
had last month's, now closed with its outcome (a few supervisors are late closing one), and
late in the month some have next month's drafted. The coaching sessions and evaluated calls
around the plans are `development_calls`'. States follow the life cycle: a draft has no
updates, an active plan its activation, a closed one who closed it, when and with what
outcome, every update written while its plan was active and once its week had begun.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from crmsup.demo import development_calls
from crmsup.demo import development_texts as texts
from crmsup.demo.development_calls import (
    Card,
    PlanRef,
    Prepared,
    card_of,
    coaching_rows,
    evaluation_rows,
    writer,
)
from crmsup.demo.people import FIRST_EMPLOYEE_NO, Owner, Person
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development import scorecards as scorecard_service
from crmsup.records.development.dto import ScorecardSpec
from crmsup.records.development.models import (
    CallEvaluation,
    CoachingSession,
    DevelopmentPlan,
    DevelopmentUpdate,
    PlanState,
)
from crmsup.records.development.rules import month_start, next_month, plan_due_on, weeks_due
from crmsup.records.models import AssociateStatus, Base, Team
from crmsup.records.sealed_fields import seal_json

KIND = development_calls.KIND
TABLES: tuple[type[Base], ...] = (
    DevelopmentPlan,
    DevelopmentUpdate,
    CoachingSession,
    CallEvaluation,
)
_PLANS = table_of(DevelopmentPlan)
_UPDATES = table_of(DevelopmentUpdate)
_SESSIONS = table_of(CoachingSession)
_EVALUATIONS = table_of(CallEvaluation)
_P = PlanState

#: Associates on a development plan this month: nearly every newcomer (first 90 days), and
#: of the others those working on a gap or towards a step up. A plan lasts some months: of
#: those on one now, most had last month's; a few others finished theirs last month.
NEWCOMER_DAYS = 90
ON_PLAN_NEW, ON_PLAN_OTHERS = 0.90, 0.08
CONTINUED, FINISHED_LAST_MONTH = 0.60, 0.03
#: Of the plans of this month, those still in draft: more before the plan's due day.
DRAFT_EARLY, DRAFT_LATE = 0.35, 0.08
#: Last month's plans not yet closed by their supervisor, once the month is well over.
LATE_CLOSE = 0.05
#: From this day of the month, some of those on a plan have next month's drafted.
NEXT_MONTH_FROM_DAY = 20
NEXT_MONTH_SHARE = 0.30
#: A week's update is written (the rest show as due or overdue in the inbox).
UPDATE_SHARE = 0.85
#: What the first associates show for sure, so that a demo of a few dozen has every state:
#: an associate whose employee number is `FIRST_EMPLOYEE_NO` + n, n up to `SHOWN`, shows
#: `SCENARIOS[n % 3]` when it fits them (numbers grow by 1 to 4 an associate).
SCENARIOS = ("draft", "closed", "auto_failed")
SHOWN = 90


def prepare(db: Database, hr: Actor, today: date) -> Prepared:
    """HR's scorecards, through `scorecard_service` (validated and audited), and which teams
    work chat and e-mail."""
    made: list[Card] = []
    for name, revisions in texts.SCORECARDS:
        detail = scorecard_service.create_scorecard(db, hr, ScorecardSpec(name, revisions[0]))
        details = [detail]
        for items in revisions[1:]:
            detail = scorecard_service.revise_scorecard(db, hr, detail.id, items)
            details.append(detail)
        made.extend(
            card_of(d.id, tuple((str(i.id), i.weight, i.auto_fail, i.text) for i in d.items))
            for d in details
        )
    voice_retired, voice, chat = made
    with db.transaction() as session:
        teams = session.execute(select(Team.id, Team.name)).all()
    chat_teams = frozenset(t for t, name in teams if "chat" in name.lower())
    return Prepared(voice_retired, voice, chat, month_start(today), chat_teams)


def scenario_of(person: Person) -> str | None:
    """The state the associate's employee number asks their file to show, if any."""
    try:
        offset = int(person.employee_no[1:]) - FIRST_EMPLOYEE_NO
    except ValueError:
        return None
    return SCENARIOS[offset % len(SCENARIOS)] if 0 < offset <= SHOWN else None


def rows(
    owner: Owner,
    staff: Staff,
    prepared: object,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> dict[str, list[Row]]:
    """The associate's plans of last month, this month and (drafts) next month, with their
    updates, coaching sessions and evaluations."""
    if not isinstance(prepared, Prepared):
        raise TypeError("development_records.rows takes what its prepare returned")
    person = owner.person
    out: dict[str, list[Row]] = {t.name: [] for t in (_PLANS, _UPDATES, _SESSIONS, _EVALUATIONS)}
    yesterday = today - timedelta(days=1)
    end = min(person.last_day(today), yesterday)
    if end < person.hire_date:
        return out
    this = month_start(today)
    last = month_start(this - timedelta(days=1))
    active = person.status is AssociateStatus.ACTIVE
    newcomer = (today - person.hire_date).days < NEWCOMER_DAYS
    scenario = scenario_of(person)
    on_plan = active and rng.random() < (ON_PLAN_NEW if newcomer else ON_PLAN_OTHERS)
    on_plan = on_plan or (active and scenario == "draft")
    plans: list[PlanRef] = []
    worked_last = person.hire_date <= min(last + timedelta(days=20), end)
    continued = rng.random() < (CONTINUED if on_plan else FINISHED_LAST_MONTH)
    continued = continued or scenario == "closed"
    if worked_last and end >= last + timedelta(days=7) and continued:
        plans.append(_past_plan(owner, staff, last, end, today, scenario, rng, out, tally))
    if on_plan:
        plans.append(_current_plan(owner, staff, this, today, scenario, rng, out, tally))
        if today.day >= NEXT_MONTH_FROM_DAY and rng.random() < NEXT_MONTH_SHARE:
            plans.append(_draft(owner, staff, next_month(this), today, yesterday, rng, out, tally))
    coaching_rows(owner, staff, plans, end, today, rng, out, tally)
    evaluation_rows(owner, staff, prepared, plans, end, today, scenario, rng, out, tally)
    return out


# ---- plans -------------------------------------------------------------------------------


def _created(owner: Owner, month: date, latest: date, rng: random.Random) -> datetime:
    """When a month's plan was written: in the days before its due day, a few late."""
    due = plan_due_on(month)
    first = max(owner.person.hire_date, month - timedelta(days=6))
    last = due + timedelta(days=rng.randint(0, 6)) if rng.random() < 0.15 else due
    return at_work(day_between(rng, first, max(first, min(last, latest))), rng)


def _plan_row(
    owner: Owner,
    staff: Staff,
    month: date,
    created: datetime,
    rng: random.Random,
) -> Row:
    plan_id = uuid.uuid4()
    focus = rng.sample(texts.GOALS, pick(rng, ((1, 60), (2, 40))))
    goals = [g for pool in focus for g in rng.sample(pool, min(len(pool), rng.randint(1, 2)))]
    return full_row(
        _PLANS,
        {
            "id": plan_id,
            "associate_id": owner.associate_id,
            "month": month,
            "state": _P.DRAFT,
            "goals_enc": seal_json(owner.cipher, _PLANS.name, plan_id, "goals_enc", goals),
            "created_by": writer(owner, staff, rng),
            "created_at": created,
        },
    )


def _activate(row: Row, rng: random.Random, latest: date) -> datetime:
    created: datetime = row["created_at"]
    when = created + timedelta(days=rng.choice((0, 0, 1, 2)), hours=rng.randint(0, 3))
    if when.date() > latest:
        when = created + timedelta(minutes=rng.randint(5, 60))
    row.update(state=_P.ACTIVE, activated_at=when, version=row["version"] + 1)
    return when


def _past_plan(
    owner: Owner,
    staff: Staff,
    month: date,
    end: date,
    today: date,
    scenario: str | None,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> PlanRef:
    """Last month's plan: closed with its outcome (on the associate's last day when they
    left), or still active when its supervisor is late."""
    person = owner.person
    row = _plan_row(owner, staff, month, _created(owner, month, end, rng), rng)
    activated = _activate(row, rng, end)
    month_end = next_month(month) - timedelta(days=1)
    if person.termination_date is not None:
        closed: date | None = max(activated.date(), min(person.termination_date, month_end))
    else:
        closed = day_between(rng, month_end - timedelta(days=2), month_end + timedelta(days=6))
        closed = max(closed, activated.date())
        if scenario == "closed":
            closed = min(closed, today - timedelta(days=1))
        elif closed >= today or rng.random() < LATE_CLOSE:
            closed = None
    until = end if closed is None else closed
    _updates(owner, row, activated, until, rng, out)
    if closed is not None:
        row.update(
            state=_P.CLOSED,
            closed_by=writer(owner, staff, rng),
            closed_on=closed,
            outcome_enc=owner.cipher.encrypt(
                _PLANS.name, "outcome_enc", str(row["id"]), pick(rng, texts.OUTCOMES)
            ),
            version=row["version"] + 1,
        )
    out[_PLANS.name].append(row)
    tally.add(KIND, row["state"].value, "plan")
    return PlanRef(row["id"], month, row["state"])


def _current_plan(
    owner: Owner,
    staff: Staff,
    month: date,
    today: date,
    scenario: str | None,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> PlanRef:
    """This month's plan: in draft while it is agreed, else active with its updates."""
    yesterday = today - timedelta(days=1)
    row = _plan_row(owner, staff, month, _created(owner, month, yesterday, rng), rng)
    draft = DRAFT_EARLY if today <= plan_due_on(month) else DRAFT_LATE
    if scenario != "draft" and rng.random() >= draft:
        activated = _activate(row, rng, yesterday)
        _updates(owner, row, activated, yesterday, rng, out)
    out[_PLANS.name].append(row)
    tally.add(KIND, row["state"].value, "plan")
    return PlanRef(row["id"], month, row["state"])


def _draft(
    owner: Owner,
    staff: Staff,
    month: date,
    today: date,
    yesterday: date,
    rng: random.Random,
    out: dict[str, list[Row]],
    tally: Tally,
) -> PlanRef:
    """Next month's plan, drafted ahead."""
    first = max(owner.person.hire_date, today - timedelta(days=5))
    row = _plan_row(owner, staff, month, at_work(day_between(rng, first, yesterday), rng), rng)
    out[_PLANS.name].append(row)
    tally.add(KIND, row["state"].value, "plan")
    return PlanRef(row["id"], month, row["state"])


def _updates(
    owner: Owner,
    plan: Row,
    activated: datetime,
    until: date,
    rng: random.Random,
    out: dict[str, list[Row]],
) -> None:
    """The weekly updates of an active plan up to `until` (its closing day, or yesterday):
    written at the end of their week or a few days late, never before the plan was active."""
    for week in weeks_due(plan["month"], until):
        if rng.random() >= UPDATE_SHARE:
            continue
        day = week + timedelta(days=pick(rng, ((3, 25), (4, 50), (7, 15), (8, 10))))
        written = max(at_work(day, rng), activated + timedelta(minutes=10))
        if written.date() > until:
            continue
        update_id = uuid.uuid4()
        text = rng.choice(texts.UPDATES)
        out[_UPDATES.name].append(
            full_row(
                _UPDATES,
                {
                    "id": update_id,
                    "plan_id": plan["id"],
                    "associate_id": owner.associate_id,
                    "week_of": week,
                    "text_enc": owner.cipher.encrypt(
                        _UPDATES.name, "text_enc", str(update_id), text
                    ),
                    "written_by": plan["created_by"],
                    "written_at": written,
                },
            )
        )
