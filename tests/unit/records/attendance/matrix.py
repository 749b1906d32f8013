"""The permission-matrix walk's executors for the attendance actions (issue 5).

Each executor sets up what the action needs with `org.hr` (who may do everything here) and
then performs the action as the actor under test. The builders also serve the attendance and
PTO tests (tests/unit/records/test_attendance_*.py, test_pto_*.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.attendance import service as attendance_service
from crmsup.records.attendance import settings as attendance_rules_service
from crmsup.records.attendance.dto import EventDetail, NewEvent
from crmsup.records.attendance.models import AttendanceKind
from crmsup.records.attendance.pto import requests as pto_request_service
from crmsup.records.attendance.pto import service as pto_service
from crmsup.records.attendance.pto.dto import NewRequest, RequestDetail
from crmsup.records.attendance.rules import DEFAULT_RULES
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

TODAY = date(2025, 3, 3)
POINTS = {k.value: str(v) for k, v in DEFAULT_RULES.points.items()}


def late(org: Org, actor: Actor | None = None, on: date = TODAY) -> EventDetail:
    new = NewEvent(AttendanceKind.LATE_ARRIVAL, on, minutes=12, notes="Bus strike, called ahead")
    return attendance_service.record_event(org.db, actor or org.hr, "E100", new, today=TODAY)


def requested(org: Org, hours: str = "16", actor: Actor | None = None) -> RequestDetail:
    """E100 (added here) with 40 hours adjusted in and a request for `hours` in April."""
    add_associate(org)
    pto_service.adjust_balance(org.db, org.hr, "E100", Decimal(40), date(2025, 1, 1), "Opening")
    new = NewRequest(date(2025, 4, 7), date(2025, 4, 8), Decimal(hours), "Family wedding")
    return pto_request_service.file_request(org.db, actor or org.hr, "E100", new, today=TODAY)


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    event = late(org)
    return attendance_service.get_event(org.db, actor, "E100", event.short_id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return late(org, actor)


def _decide(org: Org, actor: Actor, _: Path) -> object:
    request = requested(org)
    return pto_request_service.approve_request(org.db, actor, "E100", request.short_id)


def _rules(org: Org, actor: Actor, _: Path) -> object:
    return attendance_rules_service.set_point_rules(org.db, actor, 180, POINTS, ["4", "6"])


EXECUTORS: dict[Action, Executor] = {
    Action.ATTENDANCE_VIEW: _view,
    Action.ATTENDANCE_WRITE: _write,
    Action.PTO_DECIDE: _decide,
    Action.ATTENDANCE_RULES: _rules,
}
