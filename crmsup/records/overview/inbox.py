"""The supervisor's inbox: what is due or overdue for the people in the actor's scope, across
every area of the associate's file, soonest first.

Each area answers for itself (`<area>_due.due_items`) from plain columns only — dates,
states, ids, employee numbers, team names — so the inbox decrypts nothing, needs no key and
shows a whole site quickly; an item links to its record (type and id), whose content is
fetched, checked and audited only when opened. A role that keeps no records of an area
simply gets none of its items (IT sees access requests, auditors nothing). Not audited: it
reveals no record content, and the screens refresh it often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from crmsup.records.access import due as access_due
from crmsup.records.actor import Actor
from crmsup.records.attendance import due as attendance_due
from crmsup.records.database import Database
from crmsup.records.development import due as development_due
from crmsup.records.discipline import due as discipline_due
from crmsup.records.due import DueItem
from crmsup.records.notes import due as notes_due
from crmsup.records.policies import due as policy_due
from crmsup.records.recommendations import due as recommendation_due
from crmsup.records.reviews import due as review_due
from crmsup.records.training import due as training_due

ByDay = Callable[[Database, Actor, date], tuple[DueItem, ...]]
ByTime = Callable[[Database, Actor, datetime], tuple[DueItem, ...]]

#: Areas whose items fall due on a day.
BY_DAY: tuple[ByDay, ...] = (
    discipline_due.due_items,
    review_due.due_items,
    recommendation_due.due_items,
    training_due.due_items,
    attendance_due.due_items,
    development_due.due_items,
    access_due.due_items,
)
#: Areas with deadlines within a day (a policy's two business hours, a claim's 30 minutes).
BY_TIME: tuple[ByTime, ...] = (policy_due.due_items, notes_due.due_items)


@dataclass(frozen=True, slots=True)
class Inbox:
    """The actor's items as of `now`, soonest first."""

    now: datetime
    today: date
    items: tuple[DueItem, ...]

    @property
    def overdue(self) -> tuple[DueItem, ...]:
        return tuple(i for i in self.items if i.overdue(self.today, self.now))

    def counts(self) -> dict[str, int]:
        """How many items of each kind ("review.annual": 12, …), by kind."""
        return dict(sorted(Counter(i.kind for i in self.items).items()))


def inbox(db: Database, actor: Actor, now: datetime) -> Inbox:
    """Everything due or overdue for `actor` as of `now` (an aware time; its day is taken in
    this workstation's time zone, where the supervisor works)."""
    today = now.astimezone().date()
    items = [item for area in BY_DAY for item in area(db, actor, today)]
    items += [item for area in BY_TIME for item in area(db, actor, now)]
    items.sort(key=lambda i: (_deadline(i, now), i.kind, i.employee_no or "", i.record_id))
    return Inbox(now, today, tuple(items))


def _deadline(item: DueItem, now: datetime) -> datetime:
    """When the item falls due: its precise time, else the end of its day (local time)."""
    if item.due_at is not None:
        return item.due_at
    return datetime.combine(item.due_on, time.max).replace(tzinfo=now.astimezone().tzinfo)
