"""`generate_demo`: an empty database in, a realistic organisation out, and its summary.

Order: plan everything (pure and seeded), refuse a database that holds an organisation, make
the structure and accounts with the real services (each step audited by them), HR's review
templates (`reviews.templates`), then the associates and their files batch by batch,
built by worker processes (`workers`) and written here, one transaction per batch; the
hires last.

The audit trail: each batch writes, in its transaction and signed by HR, one
`demo.generate` entry per table naming how many rows it wrote and for which employee
numbers (for associates, the names of the fields set). Measured on this 2-core machine
with 50,000 associates, an `associate.create` entry per associate, as `add_associate`
writes, made the demo 47 s instead of 37 s on SQLite and 85 s instead of 45 s on PostgreSQL
(three round trips per entry): too close to the 2-minute budget on a busy
machine, so the demo accounts per batch, as the issue allowed.

A demo that fails midway leaves what it wrote so far (the services commit as they go): start
again on a new, empty database.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import partial

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmsup.demo import (
    access_records,
    discipline_records,
    recommendation_records,
    review_records,
    texts,
)
from crmsup.demo.areas import AREAS
from crmsup.demo.bulk import insert_values
from crmsup.demo.file_batch import Built, Job, Setting
from crmsup.demo.organisation import DemoOrg, Login, build_organisation
from crmsup.demo.people import Person, given_fields, plan_people
from crmsup.demo.plan import (
    MAX_TEAMS,
    ORGANISATION,
    TEAM_SIZES,
    OrgPlan,
    check_associates,
    plan_organisation,
)
from crmsup.demo.recommendation_plan import RecPlan, plan_recommendations
from crmsup.demo.rows import BATCH, Pending, Tally, seeded
from crmsup.demo.workers import Builders
from crmsup.records import audit, validation
from crmsup.records.access.models import AccessRequest
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import Associate, Base, Organisation
from crmsup.records.recommendations.models import Recommendation
from crmsup.records.reviews.models import Review
from crmsup.records.schema import METADATA
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import Detail

ACTION = "demo.generate"
#: Tables whose rows a batch accounts for with one entry each (associates have their own).
_ACCOUNTED_MODELS: tuple[type[Base], ...] = (
    Associate,
    DisciplineRecord,
    Review,
    Recommendation,
    *(model for area in AREAS for model in area.TABLES),
)
ACCOUNTED = frozenset(m.__tablename__ for m in _ACCOUNTED_MODELS)
LOGIN_NOTE = "Every login shares the password given by CRMSUP_NEW_PASSWORD or --new-password-file."


@dataclass(frozen=True, slots=True)
class Count:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class RecordCount:
    """How many records of one kind, per state (and per variety: category, review kind,
    recommendation kind). Discipline states are as of the demo's day: "expired" is an issued
    or acknowledged record whose live period is over."""

    kind: str
    total: int
    states: tuple[Count, ...]
    varieties: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class TeamSummary:
    name: str
    site: str
    supervisor: str
    associates: int


@dataclass(frozen=True, slots=True)
class DemoSummary:
    organisation: str
    seed: int
    as_of: date
    sites: tuple[str, ...]
    teams: tuple[TeamSummary, ...]
    #: Why teams are larger than a real call-centre team, when they are.
    team_note: str | None
    associates: int
    associates_by_status: tuple[Count, ...]
    review_templates: int
    records: tuple[RecordCount, ...]
    logins: tuple[Login, ...]
    #: That every login shares the one password given (never the password itself).
    login_note: str


def _refuse_non_empty(db: Database) -> None:
    with db.transaction() as session:
        name = session.scalar(select(Organisation.name).limit(1))
    if name is not None:
        raise ValidationFailed(
            f"this database already holds an organisation ({name}); the demo fills only an "
            "empty database: give --db a new SQLite file or an empty PostgreSQL database"
        )


def _counts(values: dict[str, int]) -> tuple[Count, ...]:
    return tuple(Count(k, n) for k, n in values.items())


def _team_note(plan: OrgPlan) -> str | None:
    if not plan.capped:
        return None
    average = plan.associates // len(plan.teams)
    return (
        f"Teams are capped at {MAX_TEAMS}: each has a supervisor, each supervisor is an account, "
        "and each account costs an Argon2id derivation. So they hold about "
        f"{average} associates each instead of a call centre's usual "
        f"{TEAM_SIZES[0]}–{TEAM_SIZES[1]}."
    )


def _jobs(people: list[Person], recs: list[RecPlan], today: date, size: int) -> list[Job]:
    """The batches, each associate with the scenarios they show (the first associates each
    scenario fits get it, so every state appears at least once) and their recommendations."""
    discipline_due = Pending(discipline_records.SCENARIOS)
    reviews_due = Pending(review_records.SCENARIOS)
    discipline: list[str | None] = []
    reviews: list[str | None] = []
    for person in people:
        discipline.append(
            discipline_due.take(partial(discipline_records.fits, person=person, today=today))
        )
        reviews.append(reviews_due.take(partial(review_records.fits, person=person, today=today)))
    by_person: dict[int, list[RecPlan]] = {}
    for rec in recs:
        if rec.person is not None:
            by_person.setdefault(rec.person, []).append(rec)
    return [
        Job(
            first,
            tuple(people[first : first + size]),
            tuple(discipline[first : first + size]),
            tuple(reviews[first : first + size]),
            tuple(
                tuple(by_person.get(n, ())) for n in range(first, min(first + size, len(people)))
            ),
        )
        for first in range(0, len(people), size)
    ]


def _account(
    session: Session,
    hr: Actor,
    table: str,
    rows: int,
    span: str,
    fields: list[str] | None = None,
) -> None:
    """One `demo.generate` entry for the rows of `table` written with a batch."""
    details: dict[str, Detail] = {"rows": rows, "associates": span}
    if fields is not None:
        details["fields"] = fields
    audit.append(session, ACTION, actor=hr, entity_type=table, details=details)


def _write(db: Database, org: DemoOrg, job: Job, built: Built) -> None:
    """A batch in one transaction: the associates, their keys and their files, one audit
    entry per table naming how many rows (and, for associates, which fields), and what
    approvals set off."""
    hr = org.hr
    with db.transaction() as session:
        span = f"{job.people[0].employee_no}–{job.people[-1].employee_no}"
        for name, values in built.tables.items():
            insert_values(session, METADATA.tables[name], values)
            if name in ACCOUNTED and values:
                fields = given_fields(job.people) if name == Associate.__tablename__ else None
                _account(session, hr, name, len(values), span, fields)
        ended = {
            associate_id: person.termination_date
            for associate_id, person in zip(built.associate_ids, job.people, strict=True)
            if person.termination_date is not None
        }
        recommendation_records.after_approvals(session, hr, built.terminations, ended)


def _hires(
    db: Database,
    org: DemoOrg,
    recs: list[RecPlan],
    associate_ids: dict[int, uuid.UUID],
    setting: Setting,
    tally: Tally,
) -> None:
    with db.transaction() as session:
        count = recommendation_records.write_hires(
            session,
            org.hr,
            recs,
            associate_ids,
            org.staff,
            setting.today,
            seeded(setting.seed, "hires"),
            tally,
        )
        if count:
            _account(session, org.hr, "candidates", count, "hires")


def _automatic_revocations(db: Database, tally: Tally) -> None:
    """Count the revocations the terminations opened (`reactions`) with the requests
    the batches filed: the summary shows every request IT will find."""
    query = (
        select(AccessRequest.state, AccessRequest.kind, func.count())
        .where(AccessRequest.automatic.is_(True))
        .group_by(AccessRequest.state, AccessRequest.kind)
    )
    with db.transaction() as session:
        for state, kind, count in session.execute(query):
            tally.add(access_records.KIND, state.value, kind.value, count)


def _records(tally: Tally) -> tuple[RecordCount, ...]:
    kinds = (
        discipline_records.KIND,
        review_records.KIND,
        recommendation_records.KIND,
        recommendation_records.CANDIDATES,
        *(area.KIND for area in AREAS),
    )
    return tuple(
        RecordCount(k, tally.total(k), _counts(tally.states(k)), _counts(tally.varieties(k)))
        for k in kinds
    )


def generate_demo(
    db: Database,
    *,
    associates: int,
    seed: int,
    password: str,
    recovery: X25519PrivateKey,
    today: date,
    workers: int | None = None,
    batch: int = BATCH,
) -> DemoSummary:
    """Fill the empty database `db`; ValidationFailed (nothing written) when it is not
    empty or the input is wrong. Every login gets `password`; `recovery` is the organisation's
    recovery key, whose sheet the caller has already written. `workers` processes build the
    batches (default: one per processor); the result is the same with any number."""
    check_associates(associates)
    validation.password(password)
    _refuse_non_empty(db)
    plan = plan_organisation(associates, seeded(seed, "organisation"))
    people = plan_people(plan, seed, today)
    people, recs = plan_recommendations(people, plan, seed, today)
    jobs = _jobs(people, recs, today, batch)
    with Builders(workers, len(jobs)) as builders:
        org = build_organisation(db, plan, password, recovery)
        try:
            templates = review_records.create_templates(db, org.hr)
            with db.transaction() as session:
                levels = discipline_records.load_levels(session)
            setting = Setting(
                org.staff,
                org.team_keys,
                levels,
                templates,
                today,
                seed,
                prepared=tuple(area.prepare(db, org.hr, today) for area in AREAS),
                now=utcnow(),
                drivername=db.engine.url.drivername,
            )
            tally = Tally()
            associate_ids: dict[int, uuid.UUID] = {}
            for job, built in zip(jobs, builders.built(setting, jobs), strict=True):
                _write(db, org, job, built)
                tally.merge(built.tally)
                associate_ids.update(enumerate(built.associate_ids, start=job.first))
            _hires(db, org, [r for r in recs if r.person is None], associate_ids, setting, tally)
            _automatic_revocations(db, tally)
            summary = _summary(plan, people, org, tally, seed, today)
            with db.transaction() as session:
                audit.append(
                    session,
                    ACTION,
                    actor=org.hr,
                    entity_type="organisation",
                    details={
                        "seed": seed,
                        "associates": len(people),
                        "sites": len(plan.sites),
                        "teams": len(plan.teams),
                        "records": [f"{r.kind}: {r.total}" for r in summary.records],
                    },
                )
            return summary
        finally:
            org.forget()


def _summary(
    plan: OrgPlan, people: list[Person], org: DemoOrg, tally: Tally, seed: int, today: date
) -> DemoSummary:
    per_team = Counter(p.team for p in people)
    statuses = Counter(p.status.value for p in people)
    return DemoSummary(
        organisation=ORGANISATION,
        seed=seed,
        as_of=today,
        sites=tuple(site.name for site in plan.sites),
        teams=tuple(
            TeamSummary(t.name, t.site, t.supervisor, per_team[n]) for n, t in enumerate(plan.teams)
        ),
        team_note=_team_note(plan),
        associates=len(people),
        associates_by_status=_counts(dict(sorted(statuses.items()))),
        review_templates=len(texts.TEMPLATES),
        records=_records(tally),
        logins=org.logins,
        login_note=LOGIN_NOTE,
    )
