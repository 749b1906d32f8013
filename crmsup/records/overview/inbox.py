"""The supervisor's inbox: what is due or overdue for the people in the actor's scope, across
every area of the associate's file, soonest first.

Each area answers for itself (`due_items` of its `service`, written in its `due`) from plain
columns only — dates, states, ids, employee numbers, team names — so the inbox decrypts
nothing, needs no key and shows a whole site quickly; an item links to its record (type and
id), whose content is fetched, checked and audited only when opened. A role that keeps no
records of an area simply gets none of its items (IT sees access requests, auditors
nothing). Not audited: it reveals no record content, and the screens refresh it often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from crmsup.records.access import service as access_service
from crmsup.records.actor import Actor
from crmsup.records.attendance import service as attendance_service
from crmsup.records.database import Database
from crmsup.records.development import service as development_service
from crmsup.records.discipline import service as discipline_service
from crmsup.records.due import DueItem
from crmsup.records.notes import service as notes_service
from crmsup.records.policies import service as policy_service
from crmsup.records.recommendations import service as recommendation_service
from crmsup.records.reviews import service as review_service
from crmsup.records.training import service as training_service

ByDay = Callable[[Database, Actor, date], tuple[DueItem, ...]]
ByTime = Callable[[Database, Actor, datetime], tuple[DueItem, ...]]

#: Areas whose items fall due on a day.
BY_DAY: tuple[ByDay, ...] = (
    discipline_service.due_items,
    review_service.due_items,
    recommendation_service.due_items,
    training_service.due_items,
    attendance_service.due_items,
    development_service.due_items,
    access_service.due_items,
)
#: Areas with deadlines within a day (a policy's two business hours, a claim's 30 minutes).
BY_TIME: tuple[ByTime, ...] = (policy_service.due_items, notes_service.due_items)


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
