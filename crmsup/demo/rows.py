"""What the bulk writers of the demo share: seeded randomness, whole rows for executemany,
working-hours timestamps, the people a record names, and the tally the summary reports.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase, Session

from crmsup.demo.bulk import insert_many

#: Rows per executemany and per transaction: large enough to amortise a round trip, small
#: enough to keep memory flat and a PostgreSQL transaction short.
BATCH = 2_000

Row = dict[str, Any]
T = TypeVar("T")


def seeded(seed: int, stage: str) -> random.Random:
    """An independent generator per stage, so that changing one stage's draws leaves the
    others (say, the names for a seed) as they were."""
    return random.Random(f"crmsup-demo:{seed}:{stage}")  # noqa: S311 - demo data, not secrets


def table_of(model: type[DeclarativeBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # noqa: S101 - declarative models map tables
    return table


def full_row(table: Table, values: Mapping[str, Any]) -> Row:
    """Every column of `table`, None unless given, version 1: executemany needs the same
    keys in every row, and a bulk insert runs no ORM defaults."""
    row: Row = dict.fromkeys(table.columns.keys())
    if "version" in row:
        row["version"] = 1
    unknown = set(values) - set(row)
    if unknown:
        raise KeyError(f"{table.name} has no column {sorted(unknown)}")
    row.update(values)
    return row


def insert_rows(session: Session, model: type[DeclarativeBase], rows: Sequence[Row]) -> None:
    """Rows made by `full_row`, in one executemany on the session's connection."""
    insert_many(session, table_of(model), rows)


def at_work(day: date, rng: random.Random) -> datetime:
    """A moment of a working day (UTC) on `day`."""
    minutes = rng.randrange(8 * 60, 18 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=UTC)


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from `first` to `last` inclusive (`first` when the span is empty)."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randint(0, span))


def pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    """One of the values, drawn by weight."""
    values = [v for v, _ in weighted]
    return rng.choices(values, weights=[w for _, w in weighted])[0]


@dataclass(frozen=True, slots=True)
class Staff:
    """Who a record names: a team's supervisor writes it, the site's manager decides, HR
    finalises. Indexed by the team's number in the demo plan."""

    hr: uuid.UUID
    team_ids: tuple[uuid.UUID, ...]
    scope_key_ids: tuple[uuid.UUID, ...]
    supervisors: tuple[uuid.UUID, ...]
    managers: tuple[uuid.UUID, ...]
    #: The teams of each team's site (team numbers), for transfers.
    site_teams: tuple[tuple[int, ...], ...]


class Tally:
    """Counts of records per kind and state (and per variety: a review's kind, a
    recommendation's kind, a discipline record's category), for the summary."""

    def __init__(self) -> None:
        self._states: Counter[tuple[str, str]] = Counter()
        self._varieties: Counter[tuple[str, str]] = Counter()

    def add(self, kind: str, state: str, variety: str | None = None, count: int = 1) -> None:
        self._states[(kind, state)] += count
        if variety is not None:
            self._varieties[(kind, variety)] += count

    def states(self, kind: str) -> dict[str, int]:
        return {s: n for (k, s), n in sorted(self._states.items()) if k == kind}

    def varieties(self, kind: str) -> dict[str, int]:
        return {v: n for (k, v), n in sorted(self._varieties.items()) if k == kind}

    def merge(self, other: Tally) -> None:
        self._states.update(other._states)
        self._varieties.update(other._varieties)

    def total(self, kind: str) -> int:
        return sum(self.states(kind).values())


class Pending(Generic[T]):
    """Scenarios the demo must show at least once (every state of every kind), handed to
    the first subjects they fit; after that, chance decides."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = list(items)

    def take(self, fits: Callable[[T], bool]) -> T | None:
        for index, item in enumerate(self._items):
            if fits(item):
                return self._items.pop(index)
        return None

    def __len__(self) -> int:
        return len(self._items)
