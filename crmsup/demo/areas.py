"""The areas of the associate's file that later issues add to the demo, each in its own module
(`crmsup.demo.<area>_records`) behind one small interface, so that adding one touches no
other area's draws and no orchestration code.

An area module provides:

- `KIND`: its kind in the summary's record counts (`Tally`), e.g. "training".
- `TABLES`: its models, in an order their foreign keys allow (written after the associates,
  their keys and issue 4's records, so an area may point at those).
- `prepare(db, hr, today) -> object`: run once in the main process, through the real services
  (catalogues, rules, scorecards, policies); returns what `rows` needs of it, which must
  pickle (worker processes receive it).
- `rows(owner, staff, prepared, today, rng, tally) -> dict[str, list[Row]]`: one associate's
  rows per table name, every personal field sealed with `owner.cipher` exactly as the
  services seal it, each record counted in `tally` under `KIND` (state, variety).

Each associate's area draws come from a generator seeded by the demo's seed, the area's kind
and the associate's number, so the demo stays the same whatever the batch size.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Protocol

from crmsup.demo import (
    access_records,
    attendance_records,
    development_records,
    policy_records,
    training_records,
)
from crmsup.demo.people import Owner
from crmsup.demo.rows import Row, Staff, Tally
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import Base


class FileArea(Protocol):
    KIND: str
    TABLES: tuple[type[Base], ...]

    def prepare(self, db: Database, hr: Actor, today: date) -> object: ...

    def rows(
        self,
        owner: Owner,
        staff: Staff,
        prepared: object,
        today: date,
        rng: random.Random,
        tally: Tally,
    ) -> dict[str, list[Row]]: ...


#: The areas the demo fills beyond discipline, reviews and recommendations, in writing order.
AREAS: tuple[FileArea, ...] = (
    development_records,
    attendance_records,
    policy_records,
    training_records,
    access_records,
)
