"""`inbox`: the inbox of a site manager over a demo site of 5,000 associates, every area of
the file with its records in realistic proportions (`crmsup-admin demo`).

Floor: the same due dates by bare SQL — every distinct statement the inbox sends to the
database (captured once, with its parameters), replayed on a raw `sqlite3` connection and
fetched into tuples, with no ORM, no Python rules, no sorting. The ratio is what the
services' checks, transactions and rules cost over the queries alone. Target ratio <= 4.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import event

from bench.timing import paired_medians, report
from crmsup.demo.generate import generate_demo
from crmsup.records.database import Database, open_database
from crmsup.records.overview.inbox import inbox
from crmsup.records.people.auth import login
from crmsup.security.permissions import Role

ASSOCIATES = 5_000
TARGET = 4.0
PASSWORD = "benchmark passphrase"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _statements(db: Database, run: Any) -> list[tuple[str, Any]]:
    """The distinct (statement, parameters) `run()` sends, transactions left out."""
    seen: dict[tuple[str, str], tuple[str, Any]] = {}

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(_TRANSACTION):
            seen.setdefault((statement, repr(parameters)), (statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return list(seen.values())


def _floor(path: Path, statements: list[tuple[str, Any]]) -> int:
    rows = 0
    with sqlite3.connect(path) as connection:
        for statement, parameters in statements:
            rows += len(connection.execute(statement, parameters).fetchall())
    connection.close()
    return rows


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = open_database(f"sqlite:///{path}")
        try:
            made = generate_demo(
                db,
                associates=ASSOCIATES,
                seed=7,
                password=PASSWORD,
                recovery=X25519PrivateKey.generate(),
                today=TODAY,
            )
            name = next(u.username for u in made.logins if u.role is Role.SITE_MANAGER)
            manager = login(db, name, PASSWORD)
            expected = len(inbox(db, manager, NOW).items)
            statements = _statements(db, lambda: inbox(db, manager, NOW))

            def measured() -> None:
                assert len(inbox(db, manager, NOW).items) == expected

            def floor() -> None:
                assert _floor(path, statements) > 0

            floor_s, measured_s = paired_medians(floor, measured, rounds=9)
            print(f"inbox: {expected} items, {len(statements)} distinct statements")
            return report("inbox", measured_s, floor_s, TARGET)
        finally:
            db.dispose()
