"""What is due or overdue: the items each area's `due_items(actor, today)` returns and the
supervisor's inbox gathers.

An item names its record (type and id) and the associate's employee number, never a name or
any content: the inbox decrypts nothing to list what is due, and fetches details on demand.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class DueItem:
    #: What is due, as a stable key: "review.annual", "discipline.follow_up",
    #: "discipline.approval", "recommendation.approval", …
    kind: str
    #: The day it is due; overdue once that day has passed.
    due_on: date
    record_type: str
    record_id: uuid.UUID
    employee_no: str | None
    team: str
    #: A precise deadline for what is due within a day (a claim's 30 minutes), else None.
    due_at: datetime | None = None

    def overdue(self, today: date, now: datetime | None = None) -> bool:
        if self.due_at is not None and now is not None:
            return now > self.due_at
        return today > self.due_on
