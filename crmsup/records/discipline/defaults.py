"""HR's default steps of progressive discipline, given to every new organisation by `init`.

name, live period in months (None: never expires), approval needed before issuing. HR may
rename, re-time, add or retire levels afterwards (`levels`). Migration
0005 keeps its own copy for organisations set up before it.
"""

from __future__ import annotations

import uuid

from crmsup.records.discipline.models import DisciplineLevel

DEFAULT_LEVELS: tuple[tuple[str, int | None, bool], ...] = (
    ("coaching", 6, False),
    ("verbal warning", 9, False),
    ("written warning", 12, False),
    ("final written warning", 12, True),
    ("termination", None, True),
)


def default_levels() -> list[DisciplineLevel]:
    return [
        # The same ids in every database (and as migration 0005 gave them), so that
        # fixtures and the demo can name a default level; levels HR adds get random ids.
        DisciplineLevel(
            id=uuid.UUID(int=rank),
            rank=rank,
            name=name,
            live_months=months,
            needs_approval=approval,
        )
        for rank, (name, months, approval) in enumerate(DEFAULT_LEVELS, start=1)
    ]
