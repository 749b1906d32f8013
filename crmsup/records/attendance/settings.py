"""HR's attendance-points settings: points per event kind, the rolling window in days and
the thresholds (ATTENDANCE_RULES). They hold no personal data: whoever may read attendance
may read them. One row, optimistically locked; until HR first sets them the defaults of
`crmsup.records.attendance_rules` apply (version 0). Each change is audited with the window
and the number of thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.attendance.models import AttendancePointRules
from crmsup.records.attendance.points import RULES_ENTITY, RULES_ID, point_rules_of
from crmsup.records.attendance.rules import PointRules, check_rules, dump_points, dump_thresholds
from crmsup.records.database import Database
from crmsup.records.errors import StaleEdit
from crmsup.records.scope import require
from crmsup.records.stale_edits import stale_edit
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action, scope_of

__all__ = [
    "PointRules",
    "point_rules",
    "set_point_rules",
]


def point_rules(db: Database, actor: Actor) -> PointRules:
    """The points settings in force (HR's, else the defaults, version 0); no personal data,
    for whoever may read attendance or set them."""
    with audit.denials_recorded(db, actor, "attendance.rules.view", RULES_ENTITY, RULES_ID):
        if scope_of(actor.role, Action.ATTENDANCE_RULES) is None:
            require(actor, Action.ATTENDANCE_VIEW)
    with db.transaction() as session:
        return point_rules_of(session)


def set_point_rules(
    db: Database,
    actor: Actor,
    window_days: int,
    points_per_kind: Mapping[str, str | Decimal],
    thresholds: Sequence[str | Decimal],
    *,
    expected_version: int | None = None,
) -> PointRules:
    """HR sets the points per event kind (every kind), the window in days and the
    thresholds. `expected_version` is the version read (0: the defaults)."""
    with audit.denials_recorded(db, actor, "attendance.rules.set", RULES_ENTITY, RULES_ID):
        require(actor, Action.ATTENDANCE_RULES)
    rules = check_rules(window_days, points_per_kind, thresholds)
    try:
        with db.transaction() as session:
            row = session.get(AttendancePointRules, 1, with_for_update=True)
            current = 0 if row is None else row.version
            if expected_version is not None and expected_version != current:
                raise _rules_stale(session, current, expected_version)
            if row is None:
                row = AttendancePointRules(id=1, updated_by=actor.user_id)
                session.add(row)
            row.window_days = rules.window_days
            row.points = dump_points(rules)
            row.thresholds = dump_thresholds(rules)
            row.updated_by, row.updated_at = actor.user_id, utcnow()
            session.flush()
            audit.append(
                session,
                "attendance.rules.set",
                actor=actor,
                entity_type=RULES_ENTITY,
                entity_id=RULES_ID,
                details={"window_days": rules.window_days, "thresholds": len(rules.thresholds)},
            )
            return point_rules_of(session)
    except StaleDataError:
        with db.transaction() as session:
            now = session.get_one(AttendancePointRules, 1).version
            raise _rules_stale(session, now, expected_version or 0) from None


def _rules_stale(session: Session, current: int, read: int) -> StaleEdit:
    return stale_edit(
        session, RULES_ENTITY, RULES_ID, "the attendance-points settings", current, read
    )
