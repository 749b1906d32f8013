"""`audit_append`: what writing its audit entry adds to one small change.

Batches of N changes, each in its own transaction (rename a team, which also bumps its
version), with and without an `audit.append` in the same transaction, timed in alternating
pairs. The change alone is the floor; the
figure that matters is the time added per change. Target: <= 1 ms.
"""

from __future__ import annotations

import itertools
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.timing import paired_medians
from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database, open_database
from crmsup.records.models import Team
from crmsup.records.people import org as org_service
from crmsup.records.people.auth import login

CHANGES = 500
ROUNDS = 15
TARGET_MS = 1.0
PASSWORD = "benchmark passphrase"


def _changes(
    db: Database, actor: Actor, team_id: uuid.UUID, *, audited: bool
) -> Callable[[], None]:
    numbers = itertools.count()

    def run() -> None:
        for _ in range(CHANGES):
            with db.transaction() as session:
                team = session.get_one(Team, team_id)
                team.name = f"Team {'B' if audited else 'A'} {next(numbers)}"
                if audited:
                    audit.append(
                        session,
                        "team.update",
                        actor=actor,
                        entity_type="team",
                        entity_id=team_id,
                        details={"fields": ["name"]},
                    )

    return run


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            org_service.initialise(
                db, organisation="Bench", site="Lyon", admin="root", hr="hr", password=PASSWORD
            )
            hr = login(db, "hr", PASSWORD)
            team_id = org_service.add_team(db, hr, "Team A", "Lyon").id
            floor_s, measured_s = paired_medians(
                _changes(db, hr, team_id, audited=False),
                _changes(db, hr, team_id, audited=True),
                rounds=ROUNDS,
            )
        finally:
            db.dispose()
    alone_ms = floor_s / CHANGES * 1000
    with_ms = measured_s / CHANGES * 1000
    added_ms = with_ms - alone_ms
    verdict = "ok" if added_ms <= TARGET_MS else "SLOW"
    print(
        f"audit_append: {added_ms:.3f} ms added per change (target <= {TARGET_MS:g} ms; "
        f"change alone {alone_ms:.3f} ms, with its entry {with_ms:.3f} ms, "
        f"ratio {with_ms / alone_ms:.2f}) {verdict}"
    )
    return added_ms <= TARGET_MS
