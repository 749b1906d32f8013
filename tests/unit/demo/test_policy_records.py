"""The demo's policies, acknowledgements, notes and client claims, read back through their
services: published and current as planned, acknowledged as `outstanding` and the inbox say,
decrypted and coherent in every state, and still workable (respond, close, edit, record).

One demo of 60 associates on SQLite is made for the module (the full demo is tested on
every backend by `test_demo`); the tests that change records come last.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from crmsup.demo import policy_texts
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import Associate, AssociateStatus, Team, User
from crmsup.records.notes import service as note_service
from crmsup.records.notes.dto import NoteChanges
from crmsup.records.notes.models import ClaimOutcome, ClaimState, ClientClaim, Note, NoteKind
from crmsup.records.notes.rules import first_response_due, responded_late
from crmsup.records.people.auth import login
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.models import PolicyAssociateAck, PolicyVersion
from crmsup.security.permissions import Role
from tests.helpers.demo_db import Demo, sqlite_demo

PASSWORD = "demo passphrase for tests"
TODAY = date(2025, 3, 14)
#: The end of the demo's working day: what "now" is for the lists asked here.
EVENING = datetime.combine(TODAY, time(18), tzinfo=UTC)
SEED = 11
SIZE = 60


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with sqlite_demo(tmp_path_factory.mktemp("policy"), SIZE, SEED, TODAY, PASSWORD) as made:
        yield made


def _associates(db: Database) -> dict[uuid.UUID, tuple[str, str, AssociateStatus, date | None]]:
    """{id: (employee number, team name, status, hire date)}."""
    with db.transaction() as session:
        return {
            i: (number, team, status, hired)
            for i, number, team, status, hired in session.execute(
                select(
                    Associate.id,
                    Associate.employee_no,
                    Team.name,
                    Associate.status,
                    Associate.hire_date,
                ).join(Team)
            )
        }


def _supervisor(demo: Demo, team: str) -> Actor:
    (username,) = [t.supervisor for t in demo.summary.teams if t.name == team]
    return login(demo.db, username, PASSWORD)


# ---- policies and acknowledgements ---------------------------------------------------------


def test_the_policies_are_published_as_planned_and_hr_acknowledged_them(demo: Demo) -> None:
    listed = policy_service.list_policies(demo.db, demo.hr, TODAY)
    by_title = {row.title: row for row in listed}
    assert set(by_title) == {title for title, _ in policy_texts.POLICIES}
    for title, drafts in policy_texts.POLICIES:
        row = by_title[title]
        assert row.latest.number == len(drafts)
        if drafts[-1].effective < 0:  # published to come into force later
            assert row.current is None or row.current.number < row.latest.number
        else:
            assert row.current is not None
            assert row.current.number == len(drafts)
            assert row.acknowledged_at is not None
            assert row.current.body == drafts[-1].body
    hybrid = by_title["Hybrid working"]
    assert hybrid.current is None
    assert hybrid.latest.effective_on > TODAY


def test_acknowledgements_agree_with_who_is_outstanding(demo: Demo) -> None:
    db = demo.db
    people = _associates(db)
    with db.transaction() as session:
        versions = {
            v.id: v for v in session.scalars(select(PolicyVersion)) if v.effective_on <= TODAY
        }
        acks = session.scalars(select(PolicyAssociateAck)).all()
        staff = set(session.scalars(select(User.id).where(User.role != Role.ADMIN)))
    current = {v.policy_id: v for v in sorted(versions.values(), key=lambda v: v.number)}
    current_ids = {v.id for v in current.values()}
    acked = {(a.associate_id, a.version_id) for a in acks}
    for ack in acks:
        hired = people[ack.associate_id][3]
        assert hired is not None
        version = versions[ack.version_id]
        assert ack.version_id in current_ids
        assert max(version.published_at.date(), hired) <= ack.acknowledged_on <= TODAY
        assert ack.recorded_by in staff
    expected = {
        (people[a][0], v)
        for a in people
        for v in current_ids
        if people[a][2] is not AssociateStatus.TERMINATED and (a, v) not in acked
    }
    outstanding = policy_service.outstanding(db, demo.hr, EVENING)
    assert {(o.employee_no, o.version_id) for o in outstanding.associates} == expected
    assert expected  # the attendance policy's new version is still being acknowledged
    assert len(expected) < len(people)  # most have acknowledged
    # Some supervisors have not acknowledged the new attendance version yet; HR has.
    assert outstanding.users
    assert {u.role for u in outstanding.users} <= {Role.SUPERVISOR, Role.SITE_MANAGER}
    assert {u.title for u in outstanding.users} == {"Attendance, breaks and time off"}
    # Through the service, one associate's acknowledgements are the rows written.
    someone = next(iter({a.associate_id for a in acks}))
    listed = policy_service.associate_acknowledgements(db, demo.hr, people[someone][0])
    assert {a.version_id for a in listed} == {v for a, v in acked if a == someone}


def test_the_inbox_shows_missing_acknowledgements_and_open_claims(demo: Demo) -> None:
    db = demo.db
    people = _associates(db)
    with db.transaction() as session:
        open_claims = session.execute(
            select(ClientClaim.id, ClientClaim.associate_id, ClientClaim.received_at).where(
                ClientClaim.state == ClaimState.OPEN
            )
        ).all()
    assert any(first_response_due(received) < EVENING for *_, received in open_claims)
    team = people[open_claims[0].associate_id][1]
    supervisor = _supervisor(demo, team)
    items = policy_service.due_items(db, supervisor, EVENING)
    claims = {i.record_id: i.due_at for i in note_service.due_items(db, supervisor, EVENING)}
    assert all(i.kind == "policy.acknowledge" for i in items)
    assert claims == {
        claim_id: first_response_due(received)
        for claim_id, associate_id, received in open_claims
        if people[associate_id][1] == team
    }
    missing = policy_service.outstanding(db, supervisor, EVENING).associates
    assert {(i.employee_no, i.record_id) for i in items if i.kind == "policy.acknowledge"} >= {
        (m.employee_no, m.version_id) for m in missing
    }


# ---- notes and claims ----------------------------------------------------------------------


def test_every_note_and_claim_reads_back_coherent_in_its_state(demo: Demo) -> None:
    db, hr = demo.db, demo.hr
    people = _associates(db)
    with db.transaction() as session:
        holders = set(session.scalars(select(Note.associate_id))) | set(
            session.scalars(select(ClientClaim.associate_id))
        )
        usernames = set(session.scalars(select(User.username)))
    kinds = Counter[NoteKind]()
    states = Counter[ClaimState]()
    outcomes = set()
    for associate_id in holders:
        number, team, _, hired = people[associate_id]
        assert hired is not None
        for row in note_service.list_notes(db, hr, number):
            note = note_service.get_note(db, hr, number, row.id)
            assert note.text.strip()
            assert note.team == team
            assert note.author in usernames
            assert hired <= note.noted_on <= TODAY
            assert (note.updated_at is None) == (note.version == 1)
            kinds[note.kind] += 1
        for claim_row in note_service.list_claims(db, hr, number, now=EVENING):
            claim = note_service.get_claim(db, hr, number, claim_row.id, now=EVENING)
            assert claim.claim.strip()
            assert claim.received_at.date() >= hired
            assert claim.respond_by == first_response_due(claim.received_at)
            assert claim.late == responded_late(claim.received_at, claim.responded_at, EVENING)
            states[claim.state] += 1
            if claim.state is ClaimState.OPEN:
                assert (claim.responded_at, claim.response, claim.outcome) == (None, None, None)
                assert claim.version == 1
                continue
            assert claim.responded_at is not None
            assert claim.responded_at >= claim.received_at
            assert claim.response
            assert claim.responded_by in usernames
            if claim.state is ClaimState.RESPONDED:
                assert (claim.closed_at, claim.outcome) == (None, None)
                assert claim.version == 2
                continue
            assert claim.closed_at is not None
            assert claim.closed_at >= claim.responded_at
            assert claim.outcome is not None
            assert claim.closed_by in usernames
            assert claim.version == 3
            outcomes.add(claim.outcome)
    assert set(kinds) == set(NoteKind)
    assert set(states) == set(ClaimState)
    assert kinds[NoteKind.CONVERSATION] > kinds[NoteKind.FEEDBACK]
    assert outcomes <= set(ClaimOutcome)
    tallied = {c.name: c.count for r in demo.summary.records if r.kind == "note" for c in r.states}
    assert tallied["conversation"] == kinds[NoteKind.CONVERSATION]
    assert tallied["feedback"] == kinds[NoteKind.FEEDBACK]
    assert {s: tallied[f"claim {s.value}"] for s in ClaimState} == dict(states)


# ---- the services work on them (these change records: last) -------------------------------


def test_claims_and_notes_move_on_through_their_services(demo: Demo) -> None:
    db = demo.db
    people = _associates(db)
    with db.transaction() as session:
        claims = {
            state: session.execute(
                select(ClientClaim.id, ClientClaim.associate_id, ClientClaim.version).where(
                    ClientClaim.state == state
                )
            ).first()
            for state in (ClaimState.OPEN, ClaimState.RESPONDED)
        }
        note = session.execute(
            select(Note.id, Note.associate_id, Note.version, User.username)
            .join(User, User.id == Note.author_id)
            .where(User.role == Role.SUPERVISOR)
        ).first()
    opened = claims[ClaimState.OPEN]
    assert opened is not None
    number, team = people[opened.associate_id][:2]
    supervisor = _supervisor(demo, team)
    responded = note_service.respond_to_claim(
        db, supervisor, number, opened.id, "Called back.", expected_version=opened.version
    )
    assert responded.state is ClaimState.RESPONDED
    closed = note_service.close_claim(
        db, supervisor, number, opened.id, ClaimOutcome.NOT_UPHELD, expected_version=2
    )
    assert closed.state is ClaimState.CLOSED
    waiting = claims[ClaimState.RESPONDED]
    assert waiting is not None
    number = people[waiting.associate_id][0]
    assert (
        note_service.close_claim(
            db,
            demo.hr,
            number,
            waiting.id,
            ClaimOutcome.UPHELD,
            notes="Goodwill credit.",
            expected_version=waiting.version,
        ).outcome
        is ClaimOutcome.UPHELD
    )
    assert note is not None
    author = login(db, note.username, PASSWORD)
    number = people[note.associate_id][0]
    changed = note_service.update_note(
        db,
        author,
        number,
        note.id,
        NoteChanges(text="Corrected after the call."),
        today=TODAY,
        expected_version=note.version,
    )
    assert changed.text == "Corrected after the call."


def test_an_outstanding_acknowledgement_can_be_recorded(demo: Demo) -> None:
    db, hr = demo.db, demo.hr
    before = policy_service.outstanding(db, hr, EVENING).associates
    missing = before[0]
    recorded = policy_service.record_associate_acknowledgement(
        db, hr, missing.employee_no, missing.title, acknowledged_on=TODAY, today=TODAY
    )
    assert recorded.version_id == missing.version_id
    after = policy_service.outstanding(db, hr, EVENING).associates
    assert len(after) == len(before) - 1
