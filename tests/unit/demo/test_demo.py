"""The demo organisation: sized as promised, readable by the real services and logins,
coherent in every state, deterministic for a seed, and refused on a database in use.

The demo of 60 associates is made once per backend (module scope; its accounts cost a
quarter second of Argon2id each) and the tests that follow read it; the refusal tests check
that nothing was written.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select

from crmsup.demo import plan
from crmsup.demo.generate import DemoSummary, generate_demo
from crmsup.demo.people import plan_people
from crmsup.demo.recommendation_plan import plan_recommendations
from crmsup.demo.rows import seeded
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import Database, open_database
from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline.models import (
    Acknowledgement,
    DisciplineLevel,
    DisciplineRecord,
    DisciplineState,
)
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import Associate, AssociateStatus, AuditEntry, Team, User
from crmsup.records.people import associates as associate_service
from crmsup.records.people.auth import login
from crmsup.records.recommendations import candidates as candidate_service
from crmsup.records.recommendations import service as recommendation_service
from crmsup.records.recommendations.models import (
    Candidate,
    Recommendation,
    RecommendationKind,
    RecommendationState,
)
from crmsup.records.reviews import service as review_service
from crmsup.records.reviews.models import Review, ReviewKind, ReviewState
from crmsup.security.permissions import Role
from crmsup.security.recovery import new_recovery_key
from tests.conftest import BACKENDS
from tests.factories import Org
from tests.helpers.postgres_server import PostgresServer

PASSWORD = "demo passphrase for tests"
TODAY = date(2025, 3, 14)
SEED = 11
SIZE = 60


@dataclass(frozen=True)
class Demo:
    db: Database
    summary: DemoSummary


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """As the `db` fixture, but made and filled once per backend for the module."""
    dropped: str | None = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'crmsup.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        dropped = f"crmsup_demo_{uuid.uuid4().hex}"
        url = server.create_database(dropped)
    db = open_database(url)
    try:
        summary = generate_demo(
            db,
            associates=SIZE,
            seed=SEED,
            password=PASSWORD,
            recovery=new_recovery_key(),
            today=TODAY,
        )
        yield Demo(db, summary)
    finally:
        db.dispose()
        if dropped is not None:
            server.drop_database(dropped)


def _count(db: Database, query: Select[Any]) -> int:
    with db.transaction() as session:
        return int(session.scalar(query) or 0)


def _state_of_the_database(db: Database) -> tuple[int, ...]:
    tables = (Associate, User, Team, DisciplineRecord, Review, Recommendation, Candidate)
    counts = [_count(db, select(func.count()).select_from(t)) for t in tables]
    return (*counts, _count(db, select(func.max(AuditEntry.sequence))))


# ---- the demo in the database ----------------------------------------------------------


def test_the_summary_counts_what_the_database_holds(demo: Demo) -> None:
    db, summary = demo.db, demo.summary
    assert summary.associates == SIZE == _count(db, select(func.count()).select_from(Associate))
    with db.transaction() as session:
        statuses = Counter(session.scalars(select(Associate.status)))
        levels = {lv.id: lv.live_months for lv in session.scalars(select(DisciplineLevel))}
        discipline = Counter(
            discipline_rules.effective_state(state, until, TODAY)
            for state, until in session.execute(
                select(DisciplineRecord.state, DisciplineRecord.live_until)
            )
        )
        reviews = Counter(s.value for s in session.scalars(select(Review.state)))
        recs = Counter(s.value for s in session.scalars(select(Recommendation.state)))
        candidates = session.scalar(select(func.count()).select_from(Candidate))
    assert levels  # seeded by the migration
    assert {c.name: c.count for c in summary.associates_by_status} == {
        s.value: n for s, n in statuses.items()
    }
    by_kind = {r.kind: {c.name: c.count for c in r.states} for r in summary.records}
    assert by_kind["discipline"] == dict(discipline)
    assert by_kind["review"] == dict(reviews)
    assert by_kind["recommendation"] == dict(recs)
    assert sum(by_kind["candidate"].values()) == candidates
    assert [t.associates for t in summary.teams] == [
        _count(
            db, select(func.count()).select_from(Associate).join(Team).where(Team.name == t.name)
        )
        for t in summary.teams
    ]
    roles = Counter(login_.role for login_ in summary.logins)
    assert roles == {
        Role.ADMIN: 1,
        Role.HR: 1,
        Role.AUDITOR: 1,
        Role.SITE_MANAGER: len(summary.sites),
        Role.SUPERVISOR: len(summary.teams),
    }
    assert PASSWORD not in repr(summary)


def test_every_state_of_every_kind_appears(demo: Demo) -> None:
    with demo.db.transaction() as session:
        discipline = set(
            session.execute(select(DisciplineRecord.state, DisciplineRecord.live_until))
        )
        acknowledgements = set(session.scalars(select(DisciplineRecord.acknowledgement)))
        reviews = set(session.execute(select(Review.state, Review.kind)))
        recs = set(session.execute(select(Recommendation.state, Recommendation.kind)))
        hired = session.scalar(select(func.count()).where(Candidate.hired_as.is_not(None)))
    shown = {discipline_rules.effective_state(s, until, TODAY) for s, until in discipline}
    assert shown == {s.value for s in DisciplineState} | {discipline_rules.EXPIRED}
    assert {Acknowledgement.SIGNED, Acknowledgement.REFUSED} <= acknowledgements
    assert {s for s, _ in reviews} == set(ReviewState)
    assert {k for _, k in reviews} == set(ReviewKind)
    assert {s for s, _ in recs} == set(RecommendationState)
    assert {k for _, k in recs} == set(RecommendationKind)
    assert hired


def test_each_state_carries_what_it_implies(demo: Demo) -> None:
    with demo.db.transaction() as session:
        levels = {lv.id: lv for lv in session.scalars(select(DisciplineLevel))}
        for r in session.scalars(select(DisciplineRecord)):
            issued = r.state in (DisciplineState.ISSUED, DisciplineState.ACKNOWLEDGED) or (
                r.state is DisciplineState.RESCINDED
            )
            assert (r.issued_on is not None) is issued
            assert (r.issued_by is not None) is issued
            if issued:
                assert r.issued_on is not None
                months = levels[r.level_id].live_months
                assert r.live_until == discipline_rules.live_until(r.issued_on, months)
            needs = levels[r.level_id].needs_approval
            decided = needs and r.state not in (
                DisciplineState.DRAFT,
                DisciplineState.PENDING_APPROVAL,
            )
            assert (r.decided_by is not None) is decided
            assert r.created_by != r.decided_by
            if r.state is DisciplineState.PENDING_APPROVAL:
                assert needs
                assert r.submitted_at is not None
            if r.acknowledgement is not None:
                assert r.acknowledged_on is not None
                assert r.issued_on is not None
                assert r.acknowledged_on >= r.issued_on
                assert (r.witness_enc is not None) is (r.acknowledgement is Acknowledgement.REFUSED)
            if r.state is DisciplineState.ACKNOWLEDGED:
                assert r.acknowledgement is not None
            rescinded = r.state is DisciplineState.RESCINDED
            assert (r.rescinded_on is not None) is rescinded
            assert (r.rescind_reason_enc is not None) is rescinded
            assert r.deviation_reason_enc is not None or r.level_id == r.suggested_level_id
        for v in session.scalars(select(Review)):
            assert v.period_start <= v.period_end < TODAY
            assert (v.submitted_at is not None) is (v.state is not ReviewState.DRAFT)
            assert (v.finalised_on is not None) is (v.state is ReviewState.FINALISED)
            acknowledged = v.state in (ReviewState.ACKNOWLEDGED, ReviewState.FINALISED)
            assert (v.acknowledged_on is not None) is acknowledged
            if v.finalised_on is not None and v.acknowledged_on is not None:
                assert v.acknowledged_on <= v.finalised_on < TODAY
        for rec in session.scalars(select(Recommendation)):
            waiting = rec.state in (RecommendationState.DRAFT,)
            assert (rec.submitted_at is None) is waiting
            if rec.state in (RecommendationState.MANAGER_APPROVED, RecommendationState.APPROVED):
                assert rec.manager_by is not None
                assert rec.manager_by != rec.created_by
            if rec.state is RecommendationState.APPROVED:
                assert rec.hr_by is not None
                assert rec.hr_at is not None
                if rec.kind is not RecommendationKind.HIRE:
                    assert rec.applied_at == rec.hr_at
            assert (rec.associate_id is None) is (rec.kind is RecommendationKind.HIRE)
            if rec.associate_id is not None and rec.state is RecommendationState.APPROVED:
                subject = session.get_one(Associate, rec.associate_id)
                if rec.kind is RecommendationKind.TERMINATION:
                    assert subject.status is AssociateStatus.TERMINATED
                    assert subject.termination_date == rec.proposed_date
                if rec.kind is RecommendationKind.TRANSFER:
                    assert subject.team_id == rec.proposed_team_id == rec.team_id


def test_a_supervisor_sees_exactly_their_team_and_the_names_follow_the_seed(demo: Demo) -> None:
    db, summary = demo.db, demo.summary
    team = summary.teams[1]
    supervisor = login(db, team.supervisor, PASSWORD)
    roster = associate_service.list_roster(db, supervisor)
    assert roster.pending_teams == ()
    assert {row.team for row in roster.rows} == {team.name}
    assert len(roster.rows) == team.associates
    made = plan.plan_organisation(SIZE, seeded(SEED, "organisation"))
    people, _ = plan_recommendations(plan_people(made, SEED, TODAY), made, SEED, TODAY)
    planned = {p.employee_no: p for p in people}
    for row in roster.rows:
        person = planned[row.employee_no]
        assert (row.first_name, row.last_name) == (person.first_name, person.last_name)
    detail = associate_service.get_associate(db, supervisor, roster.rows[0].employee_no)
    person = planned[detail.employee_no]
    assert (detail.email, detail.phone, detail.address) == (
        person.email,
        person.phone,
        person.address,
    )
    assert detail.date_of_birth == person.date_of_birth
    assert detail.status is person.status


def test_the_services_read_every_record_of_a_team(demo: Demo) -> None:
    db, summary = demo.db, demo.summary
    team = summary.teams[0]
    supervisor = login(db, team.supervisor, PASSWORD)
    seen = Counter[str]()
    for row in associate_service.list_roster(db, supervisor).rows:
        for record in discipline_service.list_records(db, supervisor, row.employee_no, TODAY):
            got = discipline_service.get_record(db, supervisor, row.employee_no, record.id, TODAY)
            assert got.description
            assert got.incident_dates
            seen["discipline"] += 1
        for review in review_service.list_reviews(db, supervisor, row.employee_no):
            detail = review_service.get_review(db, supervisor, row.employee_no, review.id)
            if detail.state is not ReviewState.DRAFT:
                assert detail.overall is not None
                assert all(line.rating is not None for line in detail.lines)
            seen["review"] += 1
    for rec in recommendation_service.list_recommendations(db, supervisor, team=team.name):
        opened = recommendation_service.get_recommendation(db, supervisor, rec.subject, rec.id)
        assert opened.rationale
        seen["recommendation"] += 1
    for candidate in candidate_service.list_candidates(db, supervisor, team.name):
        assert candidate_service.get_candidate(db, supervisor, candidate.id).first_name
        seen["candidate"] += 1
    assert seen["review"]
    assert seen["recommendation"]
    assert seen["candidate"]


def test_the_audit_trail_verifies_and_accounts_for_every_row(demo: Demo) -> None:
    assert audit_service.verify(demo.db).ok
    with demo.db.transaction() as session:
        entries = session.execute(
            select(AuditEntry.entity_type, AuditEntry.details).where(
                AuditEntry.action == "demo.generate"
            )
        ).all()
    rows = Counter[str]()
    for table, details in entries:
        if table is not None and table != "organisation":
            rows[table] += json.loads(details)["rows"]
    with demo.db.transaction() as session:
        held = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Associate, DisciplineRecord, Review)
        }
    assert {t: rows[t] for t in held} == held
    assert held[Associate.__tablename__] == SIZE
    assert not any(PASSWORD in str(d) for _, d in entries)


def test_a_second_run_is_refused_and_writes_nothing(demo: Demo) -> None:
    before = _state_of_the_database(demo.db)
    with pytest.raises(ValidationFailed, match="already holds an organisation"):
        generate_demo(
            demo.db,
            associates=SIZE,
            seed=SEED,
            password=PASSWORD,
            recovery=new_recovery_key(),
            today=TODAY,
        )
    assert _state_of_the_database(demo.db) == before


def test_a_database_in_use_is_refused(org: Org) -> None:
    before = _state_of_the_database(org.db)
    with pytest.raises(ValidationFailed, match=r"already holds an organisation \(Acme\)"):
        generate_demo(
            org.db,
            associates=10,
            seed=1,
            password=PASSWORD,
            recovery=new_recovery_key(),
            today=TODAY,
        )
    assert _state_of_the_database(org.db) == before


def test_a_short_password_is_refused_before_anything_is_written(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="password"):
        generate_demo(
            db, associates=5, seed=1, password="short", recovery=new_recovery_key(), today=TODAY
        )
    assert _state_of_the_database(db) == (0, 0, 0, 0, 0, 0, 0, 0)


def _plain_file(db: Database) -> list[tuple[object, ...]]:
    """Every associate's plain columns and the states of their records, by employee number."""
    with db.transaction() as session:
        people = session.execute(
            select(
                Associate.employee_no,
                Team.name,
                Associate.status,
                Associate.hire_date,
                Associate.job_title,
                Associate.termination_date,
            )
            .join(Team)
            .order_by(Associate.employee_no)
        ).all()
        files = Counter(
            session.execute(
                select(Associate.employee_no, DisciplineRecord.state, DisciplineRecord.issued_on)
                .join(DisciplineRecord)
                .order_by(Associate.employee_no)
            ).all()
        ) + Counter(
            session.execute(
                select(Associate.employee_no, Review.state, Review.period_end).join(Review)
            ).all()
        )
    return [tuple(p) for p in people] + sorted((*map(str, k), n) for k, n in files.items())


def test_workers_and_batches_change_nothing(tmp_path: Path) -> None:
    """Each associate draws from their own seeded generator: the same demo, built in this
    process in one batch or by two worker processes in batches of 25."""
    made = []
    for name, workers, batch in (("here.db", 0, 2_000), ("workers.db", 2, 25)):
        db = open_database(f"sqlite:///{tmp_path / name}")
        try:
            summary = generate_demo(
                db,
                associates=SIZE,
                seed=SEED,
                password=PASSWORD,
                recovery=new_recovery_key(),
                today=TODAY,
                workers=workers,
                batch=batch,
            )
            made.append((summary, _plain_file(db)))
            assert audit_service.verify(db).ok
        finally:
            db.dispose()
    (here, here_rows), (there, there_rows) = made
    assert here == there
    assert here_rows == there_rows
    assert len(here_rows) > SIZE
