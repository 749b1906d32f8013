"""Which recommendations the demo holds, planned before anyone is written (pure, seeded).

About 2% of associates are the subject of one: promotion, advancement, transfer or
termination, in every state of the approval chain. An approved one has been applied, so the
plan changes the people it concerns before they are written: a promoted associate carries the
new title, a transferred one is on the new team, a terminated one is terminated on the
proposed date. Hires are planned per team, with their candidates; an approved hire that HR
has completed became one of the team's recent hires (same name and contact).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from crmsup.demo.names import CITIES, CULTURES, EMAIL_DOMAINS, SENIOR_PREFIX, SPECIAL_TITLES
from crmsup.demo.names import ascii_fold as fold
from crmsup.demo.people import Person
from crmsup.demo.plan import OrgPlan
from crmsup.demo.rows import day_between, pick, seeded
from crmsup.records.models import AssociateStatus
from crmsup.records.recommendations.models import RecommendationKind, RecommendationState

SHARE = 0.02
_K = RecommendationKind
_S = RecommendationState
#: Every kind for an associate and every state, at least once.
FORCED = (
    (_K.PROMOTION, _S.APPROVED),
    (_K.ADVANCEMENT, _S.SUBMITTED),
    (_K.TRANSFER, _S.MANAGER_APPROVED),
    (_K.TERMINATION, _S.REJECTED),
    (_K.PROMOTION, _S.DRAFT),
    (_K.ADVANCEMENT, _S.WITHDRAWN),
    (_K.TERMINATION, _S.APPROVED),
    (_K.TRANSFER, _S.APPROVED),
)
#: Hires: `True` marks an approved hire HR has completed (the candidate is an associate now).
FORCED_HIRES: tuple[tuple[RecommendationState, bool], ...] = (
    (_S.APPROVED, True),
    (_S.APPROVED, False),
    (_S.DRAFT, False),
    (_S.SUBMITTED, False),
    (_S.MANAGER_APPROVED, False),
    (_S.REJECTED, False),
    (_S.WITHDRAWN, False),
)
KINDS = ((_K.PROMOTION, 30), (_K.ADVANCEMENT, 30), (_K.TRANSFER, 20), (_K.TERMINATION, 20))
STATES = (
    (_S.DRAFT, 12),
    (_S.SUBMITTED, 15),
    (_S.MANAGER_APPROVED, 10),
    (_S.APPROVED, 40),
    (_S.REJECTED, 15),
    (_S.WITHDRAWN, 8),
)
#: Still waiting: made in the last few weeks. Decided ones reach back two years.
_WAITING = (_S.DRAFT, _S.SUBMITTED, _S.MANAGER_APPROVED)


@dataclass(frozen=True, slots=True)
class Candidate:
    first_name: str
    last_name: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class RecPlan:
    kind: RecommendationKind
    state: RecommendationState
    #: The team the subject is on (after an applied transfer, the new one).
    team: int
    #: The day the supervisor wrote it.
    created: date
    #: Index of the associate it is about (in the people list), None for a hire.
    person: int | None = None
    candidate: Candidate | None = None
    #: For a completed hire: index of the associate the candidate became.
    hired: int | None = None
    proposed_team: int | None = None
    proposed_title: str | None = None
    proposed_date: date | None = None
    #: A rejection by HR after the site manager's approval (else by the site manager).
    rejected_by_hr: bool = False


def _created(state: RecommendationState, first: date, today: date, rng: random.Random) -> date:
    if state in _WAITING:
        return day_between(rng, max(first, today - timedelta(days=25)), today - timedelta(days=1))
    return day_between(rng, max(first, today - timedelta(days=720)), today - timedelta(days=30))


def _for_associate(
    index: int,
    person: Person,
    kind: RecommendationKind,
    state: RecommendationState,
    plan: OrgPlan,
    today: date,
    rng: random.Random,
) -> tuple[Person, RecPlan]:
    created = _created(state, person.hire_date + timedelta(days=180), today, rng)
    teams = plan.teams
    rec = RecPlan(
        kind, state, person.team, created, person=index, rejected_by_hr=rng.random() < 0.4
    )
    approved = state is _S.APPROVED
    if kind is _K.PROMOTION:
        role = rng.choice(SPECIAL_TITLES)
        rec = replace(rec, proposed_title=role, proposed_date=created + timedelta(days=30))
        person = replace(person, job_title=role) if approved else person
    elif kind is _K.ADVANCEMENT:
        base = person.job_title.removeprefix(SENIOR_PREFIX)
        title: str | None = (
            None if person.job_title.startswith(SENIOR_PREFIX) else SENIOR_PREFIX + base
        )
        rec = replace(rec, proposed_title=title, proposed_date=created + timedelta(days=30))
        person = replace(person, job_title=title) if approved and title else person
    elif kind is _K.TRANSFER:
        same_site = [t for t, team in enumerate(teams) if team.site == teams[person.team].site]
        choices = [t for t in same_site if t != person.team] or [
            t for t in range(len(teams)) if t != person.team
        ]
        target = rng.choice(choices)
        rec = replace(rec, proposed_team=target, proposed_date=created + timedelta(days=21))
        if approved:
            rec = replace(rec, team=target)
            person = replace(person, team=target)
    else:
        ends = created + timedelta(days=rng.randint(14, 28))
        if approved:
            ends = min(ends, today - timedelta(days=1))
            person = replace(person, status=AssociateStatus.TERMINATED, termination_date=ends)
        rec = replace(rec, proposed_date=ends)
    return person, rec


def _candidate(site: str, rng: random.Random) -> Candidate:
    city = next(c for c in CITIES if c.name == site)
    culture = CULTURES[pick(rng, city.cultures)]
    female = rng.random() < 0.55
    first = rng.choice(culture.female if female else culture.male)
    last = culture.last_name(rng.choice(culture.last), female)
    email = f"{fold(first.split()[0])}.{fold(last)}@{rng.choice(EMAIL_DOMAINS)}"
    phone = "".join(str(rng.randrange(10)) if c == "#" else c for c in city.phone)
    return Candidate(first, last, email, phone)


def _hires(
    people: list[Person], busy: set[int], plan: OrgPlan, today: date, rng: random.Random
) -> list[RecPlan]:
    teams = plan.teams
    recent = [
        i
        for i, p in enumerate(people)
        if i not in busy
        and p.status is AssociateStatus.ACTIVE
        and today - timedelta(days=200) <= p.hire_date <= today - timedelta(days=14)
    ]
    wanted = list(FORCED_HIRES)
    for _ in range(max(0, len(teams) * 3 // 2 - len(wanted))):
        state = pick(rng, STATES)
        wanted.append((state, state is _S.APPROVED and rng.random() < 0.6))
    out = []
    for number, (state, completed) in enumerate(wanted):
        team = number % len(teams)
        if completed and recent:
            hired = recent.pop(rng.randrange(len(recent)))
            person = people[hired]
            who = Candidate(person.first_name, person.last_name, person.email, person.phone)
            created = person.hire_date - timedelta(days=rng.randint(10, 20))
            out.append(
                RecPlan(
                    _K.HIRE,
                    state,
                    person.team,
                    created,
                    candidate=who,
                    hired=hired,
                    proposed_title=person.job_title,
                    proposed_date=person.hire_date,
                )
            )
            continue
        created = _created(state, today - timedelta(days=400), today, rng)
        out.append(
            RecPlan(
                _K.HIRE,
                state,
                team,
                created,
                candidate=_candidate(teams[team].site, rng),
                proposed_title=teams[team].queue.title,
                proposed_date=created + timedelta(days=rng.randint(20, 40)),
                rejected_by_hr=rng.random() < 0.3,
            )
        )
    return out


def plan_recommendations(
    people: list[Person], plan: OrgPlan, seed: int, today: date
) -> tuple[list[Person], list[RecPlan]]:
    """The recommendations, and the people as the approved ones left them."""
    rng = seeded(seed, "recommendations")
    people = list(people)
    eligible = [
        i
        for i, p in enumerate(people)
        if p.status is AssociateStatus.ACTIVE and p.tenure_days(today) >= 210
    ]
    forced = [
        (_K.PROMOTION if kind is _K.TRANSFER and len(plan.teams) < 2 else kind, state)
        for kind, state in FORCED
    ]
    count = min(len(eligible), max(len(forced), round(SHARE * len(people))))
    chosen = rng.sample(eligible, count)
    recs: list[RecPlan] = []
    for number, index in enumerate(chosen):
        if number < len(forced):
            kind, state = forced[number]
        else:
            kind, state = pick(rng, KINDS), pick(rng, STATES)
            if kind is _K.TRANSFER and len(plan.teams) < 2:
                kind = _K.ADVANCEMENT
        people[index], rec = _for_associate(index, people[index], kind, state, plan, today, rng)
        recs.append(rec)
    recs += _hires(people, set(chosen), plan, today, rng)
    return people, recs
