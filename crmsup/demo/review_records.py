"""Demo performance reviews: HR's templates (made with the real service), then each
associate's reviews, encrypted as `reviews.content` encrypts them.

Associates with a completed year have finalised annual reviews of their last one or two
years; some of the active ones have this year's still in draft, submitted or acknowledged;
newcomers have a probation review, and a few have a mid-year or an ad-hoc one. Ratings are
JSON {competency id: {"rating", "comment"}}; the overall score is the weighted one of
`reviews.rules.overall_score`, once every competency is rated. Each state carries what it
implies: submitted ones their submission, acknowledged ones the date, finalised ones who
finalised them and when.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from crmsup.demo import texts
from crmsup.demo.names import SENIOR_PREFIX, SPECIAL_TITLES
from crmsup.demo.people import Owner, Person
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import AssociateStatus
from crmsup.records.reviews import templates as review_template_service
from crmsup.records.reviews.dto import CompetencySpec, TemplateSpec
from crmsup.records.reviews.models import Review, ReviewKind, ReviewState
from crmsup.records.reviews.rules import one_year_after, overall_score
from crmsup.records.sealed_fields import seal, seal_json

KIND = "review"
_TABLE = table_of(Review)
_S = ReviewState
#: States and kinds the demo shows at least once each.
SCENARIOS = ("draft", "submitted", "acknowledged", "finalised", "probation", "mid_year", "ad_hoc")
#: Probation lasts this long; its review follows.
PROBATION_DAYS = 90


@dataclass(frozen=True, slots=True)
class Template:
    id: uuid.UUID
    #: (competency id as the ratings JSON keys it, weight), in the form's order.
    competencies: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Templates:
    annual: Template
    probation: Template
    senior: Template


def create_templates(db: Database, hr: Actor) -> Templates:
    """HR's three templates, through `review_template_service` (validated and audited)."""
    made = []
    for name, competencies in texts.TEMPLATES:
        spec = TemplateSpec(
            name, texts.SCALE, tuple(CompetencySpec(c, w, d) for c, w, d in competencies)
        )
        detail = review_template_service.create_template(db, hr, spec)
        made.append(Template(detail.id, tuple((str(c.id), c.weight) for c in detail.competencies)))
    annual, probation, senior = made
    return Templates(annual, probation, senior)


def _anniversaries(hired: date, until: date) -> list[tuple[date, date]]:
    """The associate's completed years of service up to `until`, oldest first."""
    periods: list[tuple[date, date]] = []
    start = hired
    while True:
        following = one_year_after(start)
        if following > until:
            return periods
        periods.append((start, following - timedelta(days=1)))
        start = following


def fits(scenario: str | None, person: Person, today: date) -> bool:
    """Whether the associate's file can show `scenario` (None: any review at all)."""
    active = person.status is AssociateStatus.ACTIVE
    years = person.tenure_days(today)
    if scenario in ("draft", "submitted", "acknowledged", "mid_year"):
        return active and years >= 400
    if scenario == "finalised":
        return years >= 400
    if scenario == "probation":
        return active and PROBATION_DAYS + 10 <= years < 365
    if scenario == "ad_hoc":
        return active and years >= 120
    return years >= PROBATION_DAYS + 10


def review_rows(
    owner: Owner,
    staff: Staff,
    templates: Templates,
    today: date,
    rng: random.Random,
    scenario: str | None,
    tally: Tally,
) -> list[Row]:
    """The associate's reviews (`fits(None, …)` must hold); one shows `scenario` if given."""
    person = owner.person
    senior = person.job_title.startswith(SENIOR_PREFIX) or person.job_title in SPECIAL_TITLES
    annual = templates.senior if senior else templates.annual
    active = person.status is AssociateStatus.ACTIVE
    plans: list[tuple[ReviewKind, Template, date, date, ReviewState]] = []
    years = _anniversaries(person.hire_date, person.last_day(today))
    completed = list(years)
    current: ReviewState | None = None
    if scenario in ("draft", "submitted", "acknowledged"):
        current = ReviewState(scenario)
    elif active and years and years[-1][1] >= today - timedelta(days=60) and rng.random() < 0.6:
        current = pick(rng, ((_S.DRAFT, 4), (_S.SUBMITTED, 3), (_S.ACKNOWLEDGED, 3)))
    if current is not None:
        start, end = years.pop()
        plans.append((ReviewKind.ANNUAL, annual, start, end, current))
    for start, end in years[-pick(rng, ((1, 45), (2, 55))) :]:
        plans.append((ReviewKind.ANNUAL, annual, start, end, _S.FINALISED))
    if not years and person.tenure_days(today) >= PROBATION_DAYS + 10:
        end = person.hire_date + timedelta(days=PROBATION_DAYS)
        state = _S.FINALISED
        if active:
            state = pick(
                rng, ((_S.FINALISED, 5), (_S.ACKNOWLEDGED, 2), (_S.SUBMITTED, 1), (_S.DRAFT, 2))
            )
        plans.append((ReviewKind.PROBATION, templates.probation, person.hire_date, end, state))
    if completed and (scenario == "mid_year" or (active and rng.random() < 0.08)):
        start = completed[-1][0]
        plans.append(
            (ReviewKind.MID_YEAR, annual, start, start + timedelta(days=182), _S.FINALISED)
        )
    if scenario == "ad_hoc" or (active and rng.random() < 0.02):
        end = today - timedelta(days=rng.randint(5, 40))
        start = max(person.hire_date, end - timedelta(days=rng.choice((30, 60, 90))))
        plans.append(
            (
                ReviewKind.AD_HOC,
                annual,
                start,
                end,
                pick(rng, ((_S.SUBMITTED, 1), (_S.FINALISED, 2))),
            )
        )
    rows = []
    mean = min(4.6, max(1.8, rng.gauss(3.4, 0.6)))
    for kind, template, start, end, state in plans:
        rows.append(_review(owner, staff, kind, template, start, end, state, mean, today, rng))
        tally.add(KIND, state.value, kind.value)
    return rows


def _ratings(
    template: Template, mean: float, complete: bool, rng: random.Random
) -> dict[str, tuple[int, str | None]]:
    """{competency id: (rating, comment)}: every competency once the review is submitted,
    some of them in a draft."""
    out: dict[str, tuple[int, str | None]] = {}
    for key, _ in template.competencies:
        if not complete and rng.random() < 0.5:
            continue
        rating = min(5, max(1, round(rng.gauss(mean, 0.7))))
        comment = rng.choice(texts.RATING_COMMENTS[rating]) if rng.random() < 0.35 else None
        out[key] = (rating, comment)
    return out


def _review(
    owner: Owner,
    staff: Staff,
    kind: ReviewKind,
    template: Template,
    start: date,
    end: date,
    state: ReviewState,
    mean: float,
    today: date,
    rng: random.Random,
) -> Row:
    person, cipher = owner.person, owner.cipher
    review_id = uuid.uuid4()
    eve = today - timedelta(days=1)  # nothing later than the day before the demo runs
    written = max(start, min(end + timedelta(days=rng.randint(0, 7)), eve))
    complete = state is not _S.DRAFT
    ratings = _ratings(template, mean, complete, rng)
    weights = dict(template.competencies)
    score = overall_score({key: rating for key, (rating, _) in ratings.items()}, weights)
    stored = {key: {"rating": r, "comment": c} for key, (r, c) in ratings.items()}
    values: dict[str, object] = {
        "id": review_id,
        "associate_id": owner.associate_id,
        "template_id": template.id,
        "kind": kind,
        "state": state,
        "period_start": start,
        "period_end": end,
        "reviewer_id": staff.supervisors[person.team],
        "created_at": at_work(written, rng),
        "ratings_enc": seal_json(cipher, _TABLE.name, review_id, "ratings_enc", stored)
        if stored
        else None,
    }
    narrative = {
        "overall_enc": None if score is None else str(score),
        "strengths_enc": rng.choice(texts.STRENGTHS) if complete or rng.random() < 0.5 else None,
        "improvements_enc": rng.choice(texts.IMPROVE) if complete else None,
        "goals_enc": rng.choice(texts.GOALS) if complete else None,
        "associate_comments_enc": None,
    }
    steps = 0
    if state is not _S.DRAFT:
        submitted = day_between(rng, written, min(written + timedelta(days=14), eve))
        values["submitted_at"] = at_work(submitted, rng)
        steps += 1
        if state in (_S.ACKNOWLEDGED, _S.FINALISED):
            acknowledged = day_between(rng, submitted, min(submitted + timedelta(days=10), eve))
            values["acknowledged_on"] = acknowledged
            if rng.random() < 0.6:
                narrative["associate_comments_enc"] = rng.choice(texts.ASSOCIATE_COMMENTS)
            steps += 1
            if state is _S.FINALISED:
                values["finalised_by"] = staff.hr
                values["finalised_on"] = day_between(
                    rng, acknowledged, min(acknowledged + timedelta(days=20), eve)
                )
                steps += 1
    values["version"] = 1 + steps + (1 if ratings else 0)
    values.update(seal(cipher, _TABLE.name, review_id, narrative))
    return full_row(_TABLE, values)
