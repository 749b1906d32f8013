"""Two writers at once (two workstations on one PostgreSQL server) leave one unbroken chain."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.audit_trail.service import verify
from crmsup.records.database import open_database
from crmsup.records.models import AuditEntry
from tests.factories import Org

PER_WRITER = 15


def test_concurrent_writers_keep_one_chain(org: Org) -> None:
    url = org.db.engine.url.render_as_string(hide_password=False)
    with org.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(actor: Actor) -> None:
        db = open_database(url)  # a workstation of its own: its own engine and connections
        try:
            start.wait(timeout=30)
            for n in range(PER_WRITER):
                with db.transaction() as session:
                    audit.append(session, "test.write", actor=actor, details={"n": n})
        except BaseException as exc:  # handed to the main thread below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=writer, args=(a,)) for a in (org.sup_a, org.sup_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    verdict = verify(org.db)
    assert verdict.ok, verdict.reason
    assert verdict.checked == before + 2 * PER_WRITER
