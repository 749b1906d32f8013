"""Building one batch of associates and their files as rows, without a database: the CPU
half of the demo (drawing, encrypting), which worker processes share while the main process
writes what they built.

Each associate draws from a generator seeded by the demo's seed and their number alone, so
the demo is the same whatever the batch size or the number of workers. A worker holds the
team keys it wraps data keys with for as long as the demo runs, as the main process does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Table

from crmsup.demo import discipline_records, recommendation_records, review_records
from crmsup.demo.areas import AREAS
from crmsup.demo.bulk import Values, to_values
from crmsup.demo.people import Owner, Person, associate_rows
from crmsup.demo.recommendation_plan import RecPlan
from crmsup.demo.rows import Row, Staff, Tally, seeded, table_of
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.discipline.rules import LevelRule
from crmsup.records.models import Associate, AssociateKey, Base
from crmsup.records.recommendations.models import Recommendation as RecommendationModel
from crmsup.records.recommendations.models import RecommendationKind, RecommendationState
from crmsup.records.reviews.models import Review


@dataclass(frozen=True, slots=True)
class Setting:
    """What every batch shares."""

    staff: Staff
    team_keys: tuple[bytes, ...] = field(repr=False)
    levels: tuple[LevelRule, ...]
    templates: review_records.Templates
    today: date
    seed: int
    #: What each of `areas.AREAS` prepared (`FileArea.prepare`), in the same order.
    prepared: tuple[object, ...]
    #: When the associates were added (their `created_at`).
    now: datetime
    #: The database's driver (`sqlite`, `postgresql+psycopg`): rows are converted for it.
    drivername: str


@dataclass(frozen=True, slots=True)
class Job:
    """Associates `first`, `first + 1`, … with what their files must show."""

    first: int
    people: tuple[Person, ...]
    #: Per associate: the discipline and review scenario they were given, if any.
    discipline: tuple[str | None, ...]
    reviews: tuple[str | None, ...]
    recommendations: tuple[tuple[RecPlan, ...], ...]


@dataclass(frozen=True, slots=True)
class Built:
    """A batch, ready for the driver."""

    #: In the order of the job's people.
    associate_ids: list[uuid.UUID]
    #: Per table, in the order they are written: rows converted for the driver (`bulk`).
    tables: dict[str, list[Values]]
    #: (recommendation id, associate id) of each approved termination.
    terminations: list[tuple[uuid.UUID, uuid.UUID]]
    tally: Tally


#: The tables a batch writes, in an order their foreign keys allow.
WRITTEN: tuple[type[Base], ...] = (
    Associate,
    AssociateKey,
    DisciplineRecord,
    Review,
    RecommendationModel,
    *(model for area in AREAS for model in area.TABLES),
)


def ready() -> bool:
    """Called once per worker at start-up, so its imports overlap the accounts' set-up."""
    return True


def build(setting: Setting, job: Job) -> Built:
    staff, today = setting.staff, setting.today
    tally = Tally()
    tables: dict[Table, list[Row]] = {table_of(m): [] for m in WRITTEN}
    associates, keys, discipline_all, reviews_all, recommendations = list(tables.values())[:5]
    by_name = {table.name: rows for table, rows in tables.items()}
    for offset, person in enumerate(job.people):
        rng = seeded(setting.seed, f"file:{job.first + offset}")
        team = person.team
        row, key, cipher = associate_rows(
            person,
            staff.team_ids[team],
            staff.scope_key_ids[team],
            setting.team_keys[team],
            setting.now,
        )
        associates.append(row)
        keys.append(key)
        owner = Owner(row["id"], person, cipher)
        scenario = job.discipline[offset]
        discipline: list[Row] = []
        if scenario is not None or (
            discipline_records.fits(None, person, today) and rng.random() < discipline_records.SHARE
        ):
            discipline = discipline_records.discipline_rows(
                owner, staff, setting.levels, today, rng, scenario, tally
            )
        wanted = job.reviews[offset]
        reviews: list[Row] = []
        if wanted is not None or review_records.fits(None, person, today):
            reviews = review_records.review_rows(
                owner, staff, setting.templates, today, rng, wanted, tally
            )
        discipline_all.extend(discipline)
        reviews_all.extend(reviews)
        recommendations.extend(
            recommendation_records.associate_recommendations(
                owner, job.recommendations[offset], staff, today, rng, (discipline, reviews), tally
            )
        )
        for area, prepared in zip(AREAS, setting.prepared, strict=True):
            area_rng = seeded(setting.seed, f"{area.KIND}:{job.first + offset}")
            for name, rows in area.rows(owner, staff, prepared, today, area_rng, tally).items():
                by_name[name].extend(rows)
    return Built(
        associate_ids=[row["id"] for row in associates],
        tables={t.name: to_values(t, setting.drivername, rows) for t, rows in tables.items()},
        terminations=[
            (r["id"], r["associate_id"])
            for r in recommendations
            if r["kind"] is RecommendationKind.TERMINATION
            and r["state"] is RecommendationState.APPROVED
        ],
        tally=tally,
    )
