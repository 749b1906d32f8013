"""Call-monitoring scorecards: HR's named, versioned forms of weighted and auto-fail items.

HR creates, revises, retires and reactivates them (SCORECARDS); whoever keeps development
records reads them (DEVELOPMENT_VIEW), since evaluations are scored on them. Scorecards hold
no personal data: plain, and reading one is not audited; every change is, in its transaction.

A revision is never edited: revising a scorecard writes revision n + 1 under the same name and
retires revision n, so every evaluation keeps the exact items and weights it was scored on.
Only the newest revision of a name may be revised (a revision based on an older one is
refused), and each change takes the version the caller read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, short_ids, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.dto import ScorecardDetail, ScorecardLine, ScorecardSpec
from crmsup.records.development.models import CallEvaluation, Scorecard, ScorecardItem
from crmsup.records.development.scorecard_rules import ItemSpec, clean_items
from crmsup.records.errors import NotFound, StaleEdit, ValidationFailed
from crmsup.records.scope import require
from crmsup.records.stale_edits import stale_edit
from crmsup.security.permissions import Action, scope_of

__all__ = [
    "ENTITY",
    "ItemSpec",
    "active_scorecard",
    "create_scorecard",
    "get_scorecard",
    "lines_by_scorecard",
    "list_scorecards",
    "revise_scorecard",
    "scorecard_by_ref",
    "set_scorecard_active",
]

ENTITY = "scorecard"


# ---- reading -----------------------------------------------------------------------------


def _require_reader(db: Database, actor: Actor) -> None:
    with audit.denials_recorded(db, actor, "scorecard.view", ENTITY):
        if scope_of(actor.role, Action.SCORECARDS) is None:
            require(actor, Action.DEVELOPMENT_VIEW)


def lines_by_scorecard(
    session: Session, scorecard_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[ScorecardLine, ...]]:
    """The items of each scorecard, in form order, in one query."""
    rows = session.scalars(
        select(ScorecardItem)
        .where(ScorecardItem.scorecard_id.in_(set(scorecard_ids)))
        .order_by(ScorecardItem.scorecard_id, ScorecardItem.position)
    )
    found: dict[uuid.UUID, list[ScorecardLine]] = {}
    for i in rows:
        found.setdefault(i.scorecard_id, []).append(
            ScorecardLine(i.id, i.position, i.text, i.weight, i.auto_fail)
        )
    return {sid: tuple(items) for sid, items in found.items()}


def _detail(session: Session, card: Scorecard) -> ScorecardDetail:
    used = session.scalar(
        select(func.count())
        .select_from(CallEvaluation)
        .where(CallEvaluation.scorecard_id == card.id)
    )
    return ScorecardDetail(
        id=card.id,
        name=card.name,
        revision=card.revision,
        active=card.active,
        items=lines_by_scorecard(session, [card.id]).get(card.id, ()),
        created_at=card.created_at,
        evaluations=used or 0,
        version=card.version,
    )


def _newest(session: Session, name: str) -> Scorecard | None:
    query = select(Scorecard).where(Scorecard.name == name).order_by(Scorecard.revision.desc())
    return session.scalars(query.limit(1)).first()


def scorecard_by_ref(session: Session, ref: str | uuid.UUID) -> Scorecard:
    """A scorecard revision by id, by the first 8 or more hex digits of it, or by name (its
    newest revision; "NAME@N" for revision N)."""
    if isinstance(ref, uuid.UUID):
        found = session.get(Scorecard, ref)
        if found is None:
            raise NotFound(f"there is no scorecard with id {ref}")
        return found
    text = ref.strip()
    name, sep, number = text.rpartition("@")
    if sep and number.isdigit():
        query = select(Scorecard).where(Scorecard.name == name, Scorecard.revision == int(number))
        by_revision = session.scalars(query).first()
        if by_revision is not None:
            return by_revision
    newest = _newest(session, text)
    if newest is not None:
        return newest
    prefix = short_ids.prefix_of(text)
    if prefix is not None:
        matches = [c for c in session.scalars(select(Scorecard)) if c.id.hex.startswith(prefix)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationFailed(f"{text} names several scorecards: give more of the id")
    raise NotFound(f"there is no scorecard named or numbered {text!r}")


def list_scorecards(
    db: Database, actor: Actor, *, include_retired: bool = False
) -> tuple[ScorecardDetail, ...]:
    """Scorecards by name and revision; retired revisions only when asked for."""
    _require_reader(db, actor)
    with db.transaction() as session:
        query = select(Scorecard).order_by(Scorecard.name, Scorecard.revision)
        if not include_retired:
            query = query.where(Scorecard.active.is_(True))
        return tuple(_detail(session, c) for c in session.scalars(query))


def get_scorecard(db: Database, actor: Actor, ref: str | uuid.UUID) -> ScorecardDetail:
    _require_reader(db, actor)
    with db.transaction() as session:
        return _detail(session, scorecard_by_ref(session, ref))


def active_scorecard(session: Session, scorecard_id: uuid.UUID) -> tuple[ScorecardLine, ...]:
    """The items of a scorecard a new evaluation may be scored on (locked for share)."""
    card = session.get(Scorecard, scorecard_id, with_for_update={"read": True})
    if card is None:
        raise NotFound(f"there is no scorecard with id {scorecard_id}")
    if not card.active:
        raise ValidationFailed(
            f"revision {card.revision} of scorecard {card.name!r} is retired: "
            "score new evaluations on its current revision"
        )
    return lines_by_scorecard(session, [card.id]).get(card.id, ())


# ---- changing ----------------------------------------------------------------------------


def _require_maintainer(db: Database, actor: Actor, action: str) -> None:
    with audit.denials_recorded(db, actor, action, ENTITY):
        require(actor, Action.SCORECARDS)


def _add(
    session: Session, actor: Actor, name: str, revision: int, items: tuple[ItemSpec, ...]
) -> Scorecard:
    card = Scorecard(id=uuid.uuid4(), name=name, revision=revision, created_by=actor.user_id)
    session.add(card)
    session.flush()
    session.add_all(
        ScorecardItem(
            scorecard_id=card.id, position=n, text=i.text, weight=i.weight, auto_fail=i.auto_fail
        )
        for n, i in enumerate(items, start=1)
    )
    session.flush()
    return card


def create_scorecard(db: Database, actor: Actor, spec: ScorecardSpec) -> ScorecardDetail:
    """Revision 1 of a new, active scorecard (HR)."""
    _require_maintainer(db, actor, "scorecard.create")
    name = validation.name(spec.name, "scorecard name")
    if "@" in name:
        raise ValidationFailed("a scorecard name must not contain '@' (it names a revision)")
    items = clean_items(spec.items)
    with db.transaction() as session:
        if _newest(session, name) is not None:
            raise ValidationFailed(f"a scorecard named {name!r} exists: revise it instead")
        card = _add(session, actor, name, 1, items)
        audit.append(
            session,
            "scorecard.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=card.id,
            details={"items": len(items), "revision": 1},
        )
        return _detail(session, card)


def _stale(session: Session, card_id: uuid.UUID, read: int | None) -> StaleEdit:
    card = session.get_one(Scorecard, card_id)
    what = f"revision {card.revision} of scorecard {card.name!r}"
    return stale_edit(session, ENTITY, card_id, what, card.version, read)


def _locked(session: Session, ref: str | uuid.UUID, expected_version: int | None) -> Scorecard:
    card_id = scorecard_by_ref(session, ref).id
    card = session.get_one(Scorecard, card_id, with_for_update=True)
    if expected_version is not None and card.version != expected_version:
        raise _stale(session, card.id, expected_version)
    return card


def revise_scorecard(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    items: tuple[ItemSpec, ...],
    *,
    expected_version: int | None = None,
) -> ScorecardDetail:
    """Write the next revision of the newest revision `ref` with `items`, and retire `ref`
    (HR). Evaluations scored on `ref` keep it."""
    _require_maintainer(db, actor, "scorecard.revise")
    cleaned = clean_items(items)
    card_id: uuid.UUID | None = None
    try:
        with db.transaction() as session:
            card = _locked(session, ref, expected_version)
            card_id = card.id
            newest = _newest(session, card.name)
            if newest is not None and newest.id != card.id:
                raise ValidationFailed(
                    f"scorecard {card.name!r} has a newer revision ({newest.revision}) than "
                    f"{card.revision}: revise the newest"
                )
            card.active = False
            new = _add(session, actor, card.name, card.revision + 1, cleaned)
            audit.append(
                session,
                "scorecard.revise",
                actor=actor,
                entity_type=ENTITY,
                entity_id=new.id,
                details={"items": len(cleaned), "revision": new.revision, "previous": str(card.id)},
            )
            return _detail(session, new)
    except StaleDataError:
        if card_id is None:
            raise
        with db.transaction() as session:
            raise _stale(session, card_id, expected_version) from None


def set_scorecard_active(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    active: bool,
    *,
    expected_version: int | None = None,
) -> ScorecardDetail:
    """Retire a revision (no new evaluation may use it) or bring it back (HR). Nothing is
    written when it already is as asked."""
    action = "scorecard.reactivate" if active else "scorecard.retire"
    _require_maintainer(db, actor, action)
    card_id: uuid.UUID | None = None
    try:
        with db.transaction() as session:
            card = _locked(session, ref, expected_version)
            card_id = card.id
            if card.active is not active:
                card.active = active
                session.flush()
                audit.append(
                    session,
                    action,
                    actor=actor,
                    entity_type=ENTITY,
                    entity_id=card.id,
                    details={"fields": ["active"], "version": card.version},
                )
            return _detail(session, card)
    except StaleDataError:
        if card_id is None:
            raise
        with db.transaction() as session:
            raise _stale(session, card_id, expected_version) from None
