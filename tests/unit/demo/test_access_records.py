"""The demo's access and IT requests: sealed under the access key as the services seal them,
readable through `access_service` by IT (the admin) and HR, in every state, coherent with the
rules of access (lines, dates, due items, versions), found by the terminations' revocations,
and changed by the services afterwards like any request.

One demo of 300 associates (SQLite, module scope) is read by every test; the tests that
change requests come last.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crmsup.demo import access_records
from crmsup.demo.generate import DemoSummary, generate_demo
from crmsup.records import keyring
from crmsup.records.access import service as access_service
from crmsup.records.access.dto import AccessRequestRow
from crmsup.records.access.models import (
    AccessKind,
    AccessRequest,
    AccessRequestLine,
    AccessState,
    LineAction,
    LineState,
)
from crmsup.records.access.revocation import person_name
from crmsup.records.access.rules import approval_due, provision_due
from crmsup.records.actor import Actor
from crmsup.records.database import Database, open_database
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import Associate
from crmsup.records.people.auth import login
from crmsup.security.permissions import Role
from crmsup.security.recovery import new_recovery_key

PASSWORD = "demo passphrase for tests"
TODAY = date(2025, 3, 14)
SEED = 12
SIZE = 300
_S = AccessState


@dataclass(frozen=True)
class Demo:
    db: Database
    summary: DemoSummary
    hr: Actor
    admin: Actor


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    path: Path = tmp_path_factory.mktemp("access") / "crmsup.db"
    db = open_database(f"sqlite:///{path}")
    try:
        summary = generate_demo(
            db,
            associates=SIZE,
            seed=SEED,
            password=PASSWORD,
            recovery=new_recovery_key(),
            today=TODAY,
        )
        hr = next(x.username for x in summary.logins if x.role is Role.HR)
        admin = next(x.username for x in summary.logins if x.role is Role.ADMIN)
        yield Demo(db, summary, login(db, hr, PASSWORD), login(db, admin, PASSWORD))
    finally:
        db.dispose()


def _requests(db: Database) -> list[AccessRequest]:
    with db.transaction() as session:
        found = list(session.scalars(select(AccessRequest)))
        session.expunge_all()
        return found


def _associates(db: Database) -> dict[uuid.UUID, Associate]:
    with db.transaction() as session:
        found = {a.id: a for a in session.scalars(select(Associate))}
        session.expunge_all()
        return found


def _lines(db: Database) -> dict[uuid.UUID, list[AccessRequestLine]]:
    out: dict[uuid.UUID, list[AccessRequestLine]] = {}
    with db.transaction() as session:
        query = select(AccessRequestLine).order_by(AccessRequestLine.position)
        for line in session.scalars(query):
            out.setdefault(line.request_id, []).append(line)
        session.expunge_all()
    return out


# ---- what was written ----------------------------------------------------------------------


def test_every_state_and_kind_appears_and_the_summary_counts_them(demo: Demo) -> None:
    requests = _requests(demo.db)
    filed = [r for r in requests if not r.automatic]
    assert {r.state.value for r in filed} == {s.value for s in AccessState}
    assert {r.kind.value for r in filed} == {"new", "change", "equipment", "other"}
    automatic = [r for r in requests if r.automatic]
    assert automatic, "the demo's terminations open revocations"
    assert {r.kind.value for r in automatic} == {"revoke"}
    (count,) = [r for r in demo.summary.records if r.kind == access_records.KIND]
    assert {c.name: c.count for c in count.states} == dict(Counter(r.state.value for r in requests))
    assert {c.name: c.count for c in count.varieties} == dict(
        Counter(r.kind.value for r in requests)
    )
    assert count.total == len(requests)


def test_lines_dates_and_people_follow_the_life_cycle(demo: Demo) -> None:
    associates, lines = _associates(demo.db), _lines(demo.db)
    partly = 0
    for request in _requests(demo.db):
        if request.automatic:
            continue
        person = associates[request.associate_id]
        assert person.hire_date is not None
        mine = lines.get(request.id, [])
        done = [x.state is LineState.DONE for x in mine]
        assert [x.position for x in mine] == list(range(1, len(mine) + 1))
        provisioned = request.state is _S.PROVISIONED or (
            request.state is _S.CLOSED and request.provisioned_at is not None
        )
        if provisioned:
            assert all(done)
            assert request.provisioned_by is not None
        elif request.state is _S.APPROVED:
            assert not all(done) or not mine
            partly += any(done)
        else:
            assert not any(done)
        if request.kind is AccessKind.NEW:
            assert mine
            assert all(x.action is LineAction.GRANT for x in mine)
            assert request.effective_on == person.hire_date
            window = TODAY - timedelta(days=access_records.WINDOW_DAYS)
            assert person.hire_date >= window
        moments = [
            request.filed_at,
            request.decided_at,
            request.provisioned_at,
            request.closed_at,
        ]
        present = [m for m in moments if m is not None]
        assert present == sorted(present)
        assert request.filed_at.date() <= TODAY
        if person.termination_date is not None:
            assert request.state in (_S.CLOSED, _S.DENIED, _S.CANCELLED)
            assert all(m.date() <= person.termination_date for m in present)
        assert (request.decided_by is None) == (request.state in (_S.REQUESTED, _S.CANCELLED))
        assert (request.closed_by is None) == (request.state not in (_S.CLOSED, _S.CANCELLED))
    assert partly  # IT works some approved requests line by line


def test_requests_read_back_through_the_service_as_it_and_hr(demo: Demo) -> None:
    db, hr, admin = demo.db, demo.hr, demo.admin
    rows = access_service.list_requests(db, admin, today=TODAY)
    assert len(rows) == len(access_service.list_requests(db, hr, today=TODAY))
    seen: set[AccessState] = set()
    for row in rows:
        if row.state in seen or row.automatic:
            continue
        seen.add(row.state)
        for actor in (admin, hr):
            detail = access_service.get_request(db, actor, row.id, today=TODAY)
            assert detail.justification
            assert len(detail.lines) == row.lines
            if row.state is _S.DENIED:
                assert detail.decision_comment
        with db.transaction() as session:
            associate_id = session.get_one(AccessRequest, row.id).associate_id
            assert detail.person_name == person_name(session, hr, associate_id)
    assert seen == set(AccessState)


def test_due_items_agree_with_the_rules(demo: Demo) -> None:
    db = demo.db
    requests = {r.id: r for r in _requests(demo.db)}
    approvals = access_service.due_items(db, demo.hr, TODAY)
    provisions = access_service.due_items(db, demo.admin, TODAY)
    waiting = {i for i, r in requests.items() if r.state is _S.REQUESTED}
    approved = {i for i, r in requests.items() if r.state is _S.APPROVED}
    assert {x.record_id for x in approvals if x.kind == "access.approval"} == waiting
    assert {x.record_id for x in provisions if x.kind == "access.provision"} == approved
    for item in approvals:
        assert item.due_on == approval_due(requests[item.record_id].filed_at.date())
    late = [x for x in (*approvals, *provisions) if x.due_on < TODAY]
    assert late  # some wait past their due day
    for item in provisions:
        r = requests[item.record_id]
        assert r.decided_at is not None
        assert item.due_on == provision_due(r.kind, r.decided_at.date(), r.effective_on)


def test_terminations_revoke_what_was_provisioned(demo: Demo) -> None:
    lines = _lines(demo.db)
    revocations = [r for r in _requests(demo.db) if r.automatic]
    assert revocations
    listed = 0
    for revocation in revocations:
        assert revocation.kind is AccessKind.REVOKE
        assert revocation.state is _S.APPROVED
        held: list[tuple[str, str]] = []
        for request in _requests(demo.db):
            if request.associate_id != revocation.associate_id or request.automatic:
                continue
            for line in lines.get(request.id, []):
                if line.state is LineState.DONE:
                    key = (line.system, line.role)
                    if line.action is LineAction.GRANT:
                        held.append(key)
                    elif key in held:
                        held.remove(key)
        revoked = [(x.system, x.role) for x in lines.get(revocation.id, [])]
        assert sorted(revoked) == sorted(held)
        listed += bool(revoked)
    assert listed  # at least one terminated associate had access provisioned through crmsup


def test_the_admin_reads_access_requests_but_no_discipline(demo: Demo) -> None:
    with demo.db.transaction() as session:
        record = session.scalars(select(DisciplineRecord)).first()
        assert record is not None
        associate = session.get_one(Associate, record.associate_id)
        number, record_id = associate.employee_no, record.id
        with pytest.raises(PermissionDenied):
            keyring.data_cipher(session, demo.admin, associate.id)
    with pytest.raises(PermissionDenied):
        discipline_service.get_record(demo.db, demo.admin, number, record_id, TODAY)


# ---- changed afterwards ----------------------------------------------------------------------


def _first(rows: tuple[AccessRequestRow, ...], state: AccessState, lines: bool) -> AccessRequestRow:
    return next(
        r for r in rows if r.state is state and not r.automatic and (r.lines_pending > 1) == lines
    )


def test_the_services_transition_demo_requests(demo: Demo) -> None:
    db, hr, admin = demo.db, demo.hr, demo.admin
    rows = access_service.list_requests(db, admin, today=TODAY)
    approved = _first(rows, _S.APPROVED, lines=True)
    first = access_service.provision_request(
        db,
        admin,
        approved.id,
        line=1 + approved.lines - approved.lines_pending,
        expected_version=approved.version,
    )
    assert first.row.state is _S.APPROVED
    done = access_service.provision_request(
        db, admin, approved.id, note="Done.", expected_version=first.row.version
    )
    assert done.row.state is _S.PROVISIONED
    assert done.row.lines_pending == 0
    closed = access_service.close_request(db, admin, approved.id, expected_version=done.row.version)
    assert closed.row.state is _S.CLOSED
    waiting = next(r for r in rows if r.state is _S.REQUESTED)
    decided = access_service.decide_request(
        db, hr, waiting.id, approve=True, comment="Fine.", expected_version=waiting.version
    )
    assert decided.row.state is _S.APPROVED
    assert decided.decision_comment == "Fine."
