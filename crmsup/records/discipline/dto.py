"""Frozen data of progressive discipline for the CLI, the screens and the printed forms:
never ORM objects.

Every editable thing carries its `version`: pass it back to change it (optimistic locking).
Records carry both their stored `state` and the state on the day they were read for
(`state_today`, `as_of`); `effective_state(day)` works it out for any other day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline.models import Acknowledgement, DisciplineCategory, DisciplineState


class Clear(Enum):
    """Given for an optional date in `DisciplineChanges`: remove it."""

    CLEAR = "clear"


CLEAR = Clear.CLEAR


@dataclass(frozen=True, slots=True)
class LevelDetail:
    id: uuid.UUID
    #: 1 is the mildest step; the suggestion climbs one active rank at a time.
    rank: int
    name: str
    #: How long an issued record counts, in calendar months; None: for ever.
    live_months: int | None
    #: A site manager or HR approves before the record is issued.
    needs_approval: bool
    #: A retired level stays on the records given at it but is neither suggested nor given.
    active: bool
    version: int


@dataclass(frozen=True, slots=True)
class NewLevel:
    name: str
    live_months: int | None
    needs_approval: bool = False
    #: The rank it takes (levels from there on move one up); None: above every other.
    position: int | None = None


@dataclass(frozen=True, slots=True)
class LevelChange:
    """What HR changes on a level; None leaves a field as it is. Records already issued keep
    the live period they were issued with."""

    name: str | None = None
    live_months: int | None = None
    #: Make the level one that never stops counting (as a termination).
    never_expires: bool = False
    needs_approval: bool | None = None
    #: False retires the level, True restores it.
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The level proposed for a new record of `category` on `day`, and why."""

    category: DisciplineCategory
    day: date
    level: LevelDetail
    #: The highest level among the live records of the category (None: nothing is live).
    highest_live: LevelDetail | None
    #: Ids of the records of the category live on `day`.
    live_records: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class NewDiscipline:
    """What a caller supplies to open a draft; the creator is the acting user."""

    category: DisciplineCategory
    level_id: uuid.UUID
    incident_dates: tuple[date, ...]
    #: The facts: required.
    description: str
    #: The policy or expectation breached.
    expectation: str | None = None
    improvement: str | None = None
    improve_by: date | None = None
    consequences: str | None = None
    #: The associate's own statement.
    statement: str | None = None
    follow_up_on: date | None = None
    #: Required when `level_id` is not the suggested level.
    deviation_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DisciplineChanges:
    """Changes to a draft. None leaves a field as it is; an empty text clears an optional
    one; `CLEAR` removes an optional date."""

    category: DisciplineCategory | None = None
    level_id: uuid.UUID | None = None
    incident_dates: tuple[date, ...] | None = None
    description: str | None = None
    expectation: str | None = None
    improvement: str | None = None
    improve_by: date | Clear | None = None
    consequences: str | None = None
    statement: str | None = None
    follow_up_on: date | Clear | None = None
    deviation_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DisciplineRow:
    """A record as the associate's file lists it: plain columns only, nothing decrypted."""

    id: uuid.UUID
    employee_no: str
    category: DisciplineCategory
    level_id: uuid.UUID
    level: str
    level_rank: int
    suggested_level_id: uuid.UUID | None
    state: DisciplineState
    #: The day `state_today` was worked out for.
    as_of: date
    #: The stored state, or "expired" (an issued or acknowledged record past its live period).
    state_today: str
    #: The user name of the record's creator.
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    issued_by: str | None
    issued_on: date | None
    live_until: date | None
    acknowledgement: Acknowledgement | None
    acknowledged_on: date | None
    improve_by: date | None
    follow_up_on: date | None
    rescinded_on: date | None
    version: int

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]

    def effective_state(self, day: date) -> str:
        return discipline_rules.effective_state(self.state, self.live_until, day)

    def counts_on(self, day: date) -> bool:
        """Whether the record is live on `day` (see `discipline_rules.counts_on`)."""
        return discipline_rules.counts_on(self.history_entry(), day)

    def history_entry(self) -> discipline_rules.HistoryEntry:
        return discipline_rules.HistoryEntry(
            self.category, self.level_rank, self.state, self.issued_on, self.live_until
        )


@dataclass(frozen=True, slots=True)
class NoteDetail:
    id: uuid.UUID
    author: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """An attachment as listed: its name is decrypted, its content is not."""

    id: uuid.UUID
    employee_no: str
    record_type: str
    record_id: uuid.UUID
    filename: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class AttachmentContent:
    info: AttachmentInfo
    content: bytes


@dataclass(frozen=True, slots=True)
class DisciplineDetail:
    """A record opened: its plain columns (`row`), its decrypted content, notes and the
    names of its attachments."""

    row: DisciplineRow
    team: str
    incident_dates: tuple[date, ...]
    description: str
    expectation: str | None
    improvement: str | None
    consequences: str | None
    statement: str | None
    deviation_reason: str | None
    #: Who approved or sent back the record last, when, and their comment.
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str | None
    #: The name of the witness when the associate refused to sign.
    witness: str | None
    rescinded_by: str | None
    rescind_reason: str | None
    notes: tuple[NoteDetail, ...]
    attachments: tuple[AttachmentInfo, ...]

    @property
    def id(self) -> uuid.UUID:
        return self.row.id

    @property
    def version(self) -> int:
        return self.row.version


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """How the associate received an issued record: signed on a date, or refused to sign
    before a named witness on a date."""

    kind: Acknowledgement
    on: date
    witness: str | None = None


@dataclass(frozen=True, slots=True)
class ConsistencyRow:
    """Levels given for one comparable history, by one supervisor (or the whole site)."""

    site: str
    category: DisciplineCategory
    #: The highest level live in the category when the record was issued; None: nothing was.
    prior_level: str | None
    prior_rank: int | None
    #: The issuer's user name; None for the site's row, the sum of its supervisors.
    supervisor: str | None
    #: How many records were issued at each level, in the order of `ConsistencyReport.levels`.
    counts: tuple[int, ...]
    total: int
    #: The level(s) given most often for this history (several when tied).
    most_common: tuple[str, ...]
    #: The same for the whole site.
    site_most_common: tuple[str, ...]
    #: True when this supervisor's most common level is none of the site's most common ones:
    #: the uneven treatment the report exists to show.
    uneven: bool


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    start: date
    end: date
    #: The column headers of `ConsistencyRow.counts`: every level, mildest first.
    levels: tuple[str, ...]
    #: By site, category and prior history; the site's row first, then its supervisors.
    rows: tuple[ConsistencyRow, ...]
    #: Records counted (issued in the range, not rescinded).
    records: int
