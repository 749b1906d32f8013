"""Builders for the discipline tests: the seeded levels, a record's facts, an issued coaching,
and the discipline entries of the audit trail (checked to hold no record text)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline import workflow as discipline_workflow
from crmsup.records.discipline.dto import DisciplineRow, NewDiscipline
from crmsup.records.discipline.models import DisciplineCategory, DisciplineRecord
from crmsup.records.models import AuditEntry
from tests.factories import Org

#: The levels migration 0005 seeds, by rank.
COACHING, VERBAL, WRITTEN, FINAL, TERMINATION = (uuid.UUID(int=rank) for rank in range(1, 6))
TODAY = date(2025, 6, 2)
FACTS = "Shouted at a colleague on the floor during the morning briefing"
_BASE = NewDiscipline(DisciplineCategory.CONDUCT, COACHING, (date(2025, 5, 28),), FACTS)


def new_record(level: uuid.UUID = COACHING, **changes: Any) -> NewDiscipline:
    """A conduct record of `level` about an incident of 2025-05-28, with `changes`."""
    return replace(_BASE, level_id=level, **changes)


def issue_coaching(
    org: Org, on: date = TODAY, actor: Actor | None = None, employee_no: str = "E100"
) -> DisciplineRow:
    """A coaching for an incident that day, issued on `on` by `actor` (default sup-a)."""
    actor = actor or org.sup_a
    new = new_record(incident_dates=(on,))
    draft = discipline_service.create_record(org.db, actor, employee_no, new, on)
    return discipline_workflow.issue(
        org.db, actor, employee_no, draft.id, expected_version=1, today=on
    )


def audit_rows(org: Org, prefix: str = "discipline.") -> list[tuple[str, str | None, str]]:
    """(action, actor, outcome) of the entries whose action starts with `prefix`."""
    with org.db.transaction() as session:
        query = (
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.details)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.sequence)
        )
        rows = list(session.execute(query))
    for *_, details in rows:
        assert FACTS not in (details or "")
    return [(action, who, outcome) for action, who, outcome, _ in rows]


def stored(org: Org, record_id: uuid.UUID) -> DisciplineRecord:
    with org.db.transaction() as session:
        return session.get_one(DisciplineRecord, record_id)
