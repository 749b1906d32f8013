"""The inputs of an associate's PTO ledger, read from plain columns: the accrual rules of
their job title, their start and last day, and the stored movements (PTO taken as events,
approved requests drawn on their first day, HR's adjustments). No key is needed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.attendance.models import (
    AttendanceEvent,
    AttendanceKind,
    PtoAccrualRule,
    PtoAdjustment,
    PtoRequest,
    PtoRequestState,
)
from crmsup.records.attendance.pto.rules import AccrualRule, LedgerLine, LineKind, Movement, ledger
from crmsup.records.models import Associate

EVENT_SOURCE = "attendance_event"
REQUEST_SOURCE = "pto_request"
ADJUSTMENT_SOURCE = "pto_adjustment"


def as_rule(row: PtoAccrualRule) -> AccrualRule:
    return AccrualRule(
        row.effective_from,
        row.frequency,
        row.hours_per_period,
        row.cap,
        row.carry_over_max,
        row.carry_over_months,
        row.anchor_on,
    )


def rules_for(session: Session, job_title: str | None) -> list[AccrualRule]:
    if job_title is None:
        return []
    query = select(PtoAccrualRule).where(PtoAccrualRule.job_title == job_title)
    return [as_rule(r) for r in session.scalars(query.order_by(PtoAccrualRule.effective_from))]


def movements_of(session: Session, associate_id: uuid.UUID) -> list[Movement]:
    """Every stored movement of the associate's balance, in a stable order."""
    found: list[Movement] = []
    taken = select(AttendanceEvent.occurred_on, AttendanceEvent.hours, AttendanceEvent.id).where(
        AttendanceEvent.associate_id == associate_id,
        AttendanceEvent.kind == AttendanceKind.PTO_TAKEN,
    )
    for on, hours, event_id in session.execute(taken):
        if hours is not None:
            found.append(Movement(on, LineKind.TAKEN, -hours, EVENT_SOURCE, event_id))
    booked = select(PtoRequest.start_on, PtoRequest.hours, PtoRequest.id).where(
        PtoRequest.associate_id == associate_id,
        PtoRequest.state == PtoRequestState.APPROVED,
    )
    for on, hours, request_id in session.execute(booked):
        found.append(Movement(on, LineKind.TAKEN, -hours, REQUEST_SOURCE, request_id))
    adjusted = select(PtoAdjustment.effective_on, PtoAdjustment.hours, PtoAdjustment.id).where(
        PtoAdjustment.associate_id == associate_id
    )
    for on, hours, adjustment_id in session.execute(adjusted):
        found.append(Movement(on, LineKind.ADJUSTMENT, hours, ADJUSTMENT_SOURCE, adjustment_id))
    found.sort(key=lambda m: (m.on, m.source_type or "", str(m.source_id)))
    return found


def ledger_of(
    session: Session,
    associate_id: uuid.UUID,
    until: date,
    extra: Sequence[Movement] = (),
    *,
    ahead: bool = False,
) -> tuple[str | None, date, tuple[LedgerLine, ...]]:
    """(job title, first accruing day, lines up to `until`), with `extra` movements added
    (a request being approved, to see where it would leave the balance). `ahead` carries
    the lines on past `until` as far as the latest stored movement (bookings to come)."""
    associate = session.get_one(Associate, associate_id)
    start = associate.hire_date or associate.created_at.date()
    movements = [*movements_of(session, associate_id), *extra]
    if ahead:
        until = max([until, *(m.on for m in movements)])
    lines = ledger(
        rules_for(session, associate.job_title),
        start,
        movements,
        until,
        stop=associate.termination_date,
    )
    return associate.job_title, start, lines
