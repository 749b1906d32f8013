"""HR's discipline levels: list, add, rename, re-time, retire or restore them.

Levels are configuration, not personal data: plain, readable by whoever may read discipline
records. Only HR changes them (DISCIPLINE_LEVELS), each change one audit entry naming the
fields changed, optimistically locked. At least one level stays active, or nothing could be
suggested or given. A record keeps the live period it was issued with (`live_until` is stored
when issuing), so re-timing a level changes only what is issued afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, stale_edits, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.dto import LevelChange, LevelDetail, NewLevel
from crmsup.records.discipline.models import DisciplineLevel
from crmsup.records.discipline.rules import LevelRule
from crmsup.records.errors import NotFound, StaleEdit, ValidationFailed
from crmsup.records.scope import require
from crmsup.security.permissions import Action

ENTITY = "discipline_level"
#: A live period longer than fifty years is a typing mistake, not a policy.
MAX_LIVE_MONTHS = 600


def detail(level: DisciplineLevel) -> LevelDetail:
    return LevelDetail(
        id=level.id,
        rank=level.rank,
        name=level.name,
        live_months=level.live_months,
        needs_approval=level.needs_approval,
        active=level.active,
        version=level.version,
    )


def rule(level: DisciplineLevel | LevelDetail) -> LevelRule:
    return LevelRule(level.id, level.rank, level.live_months, level.needs_approval, level.active)


def all_levels(session: Session) -> list[DisciplineLevel]:
    return list(session.scalars(select(DisciplineLevel).order_by(DisciplineLevel.rank)))


def level_or_refuse(session: Session, level_id: uuid.UUID) -> DisciplineLevel:
    level = session.get(DisciplineLevel, level_id)
    if level is None:
        raise NotFound("there is no such discipline level")
    return level


def list_levels(db: Database, actor: Actor) -> tuple[LevelDetail, ...]:
    """Every level, retired ones included, mildest first. Whoever may read discipline
    records (or configure levels) may list them; nothing personal is read, nothing audited."""
    with audit.denials_recorded(db, actor, "discipline_level.list", ENTITY):
        require(actor, Action.DISCIPLINE_VIEW)
    with db.transaction() as session:
        return tuple(detail(level) for level in all_levels(session))


def _name(value: str, levels: Sequence[DisciplineLevel], keep: DisciplineLevel | None) -> str:
    name = validation.name(value, "level name", max_length=100)
    for other in levels:
        if other is not keep and other.name.casefold() == name.casefold():
            raise ValidationFailed(f"there is already a level named {other.name!r}")
    return name


def _live_months(months: int | None) -> int | None:
    if months is not None and not 1 <= months <= MAX_LIVE_MONTHS:
        raise ValidationFailed(
            f"a live period is 1 to {MAX_LIVE_MONTHS} months (or never expires for a level "
            "that always counts)"
        )
    return months


def add_level(db: Database, actor: Actor, new: NewLevel) -> LevelDetail:
    """Add a level at rank `new.position` (the levels from there on move one rank up) or
    above every other. Audited as `discipline_level.add`."""
    with audit.denials_recorded(db, actor, "discipline_level.add", ENTITY):
        require(actor, Action.DISCIPLINE_LEVELS)
    with db.transaction() as session:
        levels = all_levels(session)
        name = _name(new.name, levels, None)
        months = _live_months(new.live_months)
        top = max((lv.rank for lv in levels), default=0) + 1
        rank = top if new.position is None else new.position
        if not 1 <= rank <= top:
            raise ValidationFailed(f"a new level takes a rank from 1 to {top}")
        moved = [lv for lv in levels if lv.rank >= rank]
        # Two passes keep the ranks unique at every statement, on every backend.
        for lv in moved:
            lv.rank = -lv.rank
        session.flush()
        for lv in moved:
            lv.rank = -lv.rank + 1
        session.flush()
        level = DisciplineLevel(
            id=uuid.uuid4(),
            rank=rank,
            name=name,
            live_months=months,
            needs_approval=new.needs_approval,
            active=True,
        )
        session.add(level)
        session.flush()
        audit.append(
            session,
            "discipline_level.add",
            actor=actor,
            entity_type=ENTITY,
            entity_id=level.id,
            details={"rank": rank, "moved_up": [str(lv.id) for lv in moved]},
        )
        return detail(level)


def change_level(
    db: Database, actor: Actor, level_id: uuid.UUID, change: LevelChange, *, expected_version: int
) -> LevelDetail:
    """Rename, re-time, change the approval rule of, retire or restore a level. A stale
    `expected_version` is refused (naming who changed it since) and nothing changes."""
    with audit.denials_recorded(db, actor, "discipline_level.change", ENTITY, level_id):
        require(actor, Action.DISCIPLINE_LEVELS)
    if change.never_expires and change.live_months is not None:
        raise ValidationFailed("give a live period or 'never expires', not both")
    try:
        with db.transaction() as session:
            level = level_or_refuse(session, level_id)
            if level.version != expected_version:
                what = f"level {level.name!r}"
                raise stale_edit(session, ENTITY, level.id, what, level.version, expected_version)
            levels = all_levels(session)
            updates: dict[str, object] = {}
            if change.name is not None:
                updates["name"] = _name(change.name, levels, level)
            if change.never_expires:
                updates["live_months"] = None
            elif change.live_months is not None:
                updates["live_months"] = _live_months(change.live_months)
            if change.needs_approval is not None:
                updates["needs_approval"] = change.needs_approval
            if change.active is not None:
                updates["active"] = change.active
            changed = [field for field, value in updates.items() if getattr(level, field) != value]
            if not changed:
                return detail(level)
            if change.active is False and not any(lv.active for lv in levels if lv is not level):
                raise ValidationFailed(
                    f"{level.name!r} is the last active level: at least one must stay active"
                )
            for field in changed:
                setattr(level, field, updates[field])
            session.flush()
            audit.append(
                session,
                "discipline_level.change",
                actor=actor,
                entity_type=ENTITY,
                entity_id=level.id,
                details={"fields": changed, "version": level.version},
            )
            return detail(level)
    except StaleDataError:
        with db.transaction() as session:
            level = level_or_refuse(session, level_id)
            raise stale_edit(
                session, ENTITY, level.id, f"level {level.name!r}", level.version, expected_version
            ) from None


def stale_edit(
    session: Session, entity_type: str, entity_id: uuid.UUID, what: str, current: int, read: int
) -> StaleEdit:
    """A discipline level's or record's stale edit; notes change no version."""
    return stale_edits.stale_edit(
        session, entity_type, entity_id, what, current, read, unchanged=("discipline.annotate",)
    )
