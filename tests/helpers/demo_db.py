"""A demo organisation on SQLite for the demo-area tests, built once per module, with HR
logged in to read it back through the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from crmsup.demo.generate import DemoSummary, generate_demo
from crmsup.records.actor import Actor
from crmsup.records.database import Database, open_database
from crmsup.records.people.auth import login
from crmsup.security.permissions import Role
from crmsup.security.recovery import new_recovery_key


@dataclass(frozen=True)
class Demo:
    db: Database
    summary: DemoSummary
    hr: Actor


@contextmanager
def sqlite_demo(folder: Path, size: int, seed: int, today: date, password: str) -> Iterator[Demo]:
    """`demo --associates size --seed seed` as of `today` in `folder`, every login sharing
    `password`; the database is closed when the block ends."""
    db = open_database(f"sqlite:///{folder / 'crmsup.db'}")
    try:
        summary = generate_demo(
            db,
            associates=size,
            seed=seed,
            password=password,
            recovery=new_recovery_key(),
            today=today,
        )
        hr = next(x.username for x in summary.logins if x.role is Role.HR)
        yield Demo(db, summary, login(db, hr, password))
    finally:
        db.dispose()
