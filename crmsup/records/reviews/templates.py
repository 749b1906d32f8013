"""Review templates: HR's forms of competencies, weights and a 1–5 scale.

HR creates, edits, retires and reactivates them (REVIEW_TEMPLATES); everyone who keeps
reviews reads them (REVIEW_VIEW), since a review is written on one. Templates hold no personal
data, so they are plain, and reading one is not audited; every change is, in its transaction.

A review keeps the template it was written on. A template already used by a review therefore
never changes under it: its edits are refused, and a new version is a new template (copied
from the old one with `copy_template`, edited while unused, the old one retired).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, short_ids
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import IntegrityFailure, NotFound, StaleEdit, ValidationFailed
from crmsup.records.reviews.dto import Competency, CompetencySpec, TemplateDetail, TemplateSpec
from crmsup.records.reviews.models import Review, ReviewCompetency, ReviewTemplate
from crmsup.records.reviews.rules import SCALE_POINTS, clean_template
from crmsup.records.scope import require
from crmsup.records.stale_edits import stale_edit
from crmsup.security.permissions import Action, scope_of

ENTITY = "review_template"


# ---- reading -----------------------------------------------------------------------------


def _require_reader(db: Database, actor: Actor) -> None:
    with audit.denials_recorded(db, actor, "review_template.view", ENTITY):
        if scope_of(actor.role, Action.REVIEW_TEMPLATES) is None:
            require(actor, Action.REVIEW_VIEW)


def load_scale(template: ReviewTemplate) -> tuple[str, ...]:
    """The stored scale; anything but five texts means the row was tampered with."""
    try:
        scale = json.loads(template.scale)
    except ValueError:
        scale = None
    if not (
        isinstance(scale, list)
        and len(scale) == SCALE_POINTS
        and all(isinstance(s, str) for s in scale)
    ):
        raise IntegrityFailure(f"review template {template.id} holds a damaged scale")
    return tuple(scale)


def competencies_of(session: Session, template_id: uuid.UUID) -> tuple[Competency, ...]:
    return competencies_by_template(session, [template_id]).get(template_id, ())


def competencies_by_template(
    session: Session, template_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[Competency, ...]]:
    """The competencies of each template, in form order, in one query."""
    rows = session.scalars(
        select(ReviewCompetency)
        .where(ReviewCompetency.template_id.in_(set(template_ids)))
        .order_by(ReviewCompetency.template_id, ReviewCompetency.position)
    )
    found: dict[uuid.UUID, list[Competency]] = {}
    for c in rows:
        found.setdefault(c.template_id, []).append(
            Competency(c.id, c.position, c.name, c.description, c.weight)
        )
    return {tid: tuple(items) for tid, items in found.items()}


def _reviews_using(session: Session, template_id: uuid.UUID) -> int:
    count = session.scalar(
        select(func.count()).select_from(Review).where(Review.template_id == template_id)
    )
    return count or 0


def _detail(session: Session, template: ReviewTemplate) -> TemplateDetail:
    return TemplateDetail(
        id=template.id,
        name=template.name,
        scale=load_scale(template),
        competencies=competencies_of(session, template.id),
        active=template.active,
        created_at=template.created_at,
        reviews=_reviews_using(session, template.id),
        version=template.version,
    )


def template_by_ref(session: Session, ref: str | uuid.UUID) -> ReviewTemplate:
    """A template by id, by name (exactly), or by the first 8 or more hex digits of its id."""
    if isinstance(ref, uuid.UUID):
        found = session.get(ReviewTemplate, ref)
        if found is None:
            raise NotFound(f"there is no review template with id {ref}")
        return found
    text = ref.strip()
    by_name = session.scalars(select(ReviewTemplate).where(ReviewTemplate.name == text)).first()
    if by_name is not None:
        return by_name
    prefix = short_ids.prefix_of(text)
    if prefix is not None:
        matches = [
            t for t in session.scalars(select(ReviewTemplate)) if t.id.hex.startswith(prefix)
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationFailed(f"{text} names several templates: give more of the id")
    raise NotFound(f"there is no review template named or numbered {text!r}")


def list_templates(
    db: Database, actor: Actor, *, include_retired: bool = False
) -> tuple[TemplateDetail, ...]:
    """Templates by name; retired ones only when asked for."""
    _require_reader(db, actor)
    with db.transaction() as session:
        query = select(ReviewTemplate).order_by(ReviewTemplate.name)
        if not include_retired:
            query = query.where(ReviewTemplate.active.is_(True))
        return tuple(_detail(session, t) for t in session.scalars(query))


def get_template(db: Database, actor: Actor, ref: str | uuid.UUID) -> TemplateDetail:
    _require_reader(db, actor)
    with db.transaction() as session:
        return _detail(session, template_by_ref(session, ref))


# ---- changing ----------------------------------------------------------------------------


def _require_maintainer(db: Database, actor: Actor, action: str) -> None:
    with audit.denials_recorded(db, actor, action, ENTITY):
        require(actor, Action.REVIEW_TEMPLATES)


def _resolve(db: Database, ref: str | uuid.UUID) -> uuid.UUID:
    with db.transaction() as session:
        return template_by_ref(session, ref).id


def _add_competencies(session: Session, template_id: uuid.UUID, spec: TemplateSpec) -> None:
    session.add_all(
        ReviewCompetency(
            template_id=template_id,
            position=position,
            name=c.name,
            description=c.description,
            weight=c.weight,
        )
        for position, c in enumerate(spec.competencies, start=1)
    )


def _name_taken(session: Session, name: str, other_than: uuid.UUID | None = None) -> None:
    query = select(ReviewTemplate.id).where(ReviewTemplate.name == name)
    if other_than is not None:
        query = query.where(ReviewTemplate.id != other_than)
    if session.scalar(query) is not None:
        raise ValidationFailed(f"a review template named {name!r} already exists")


def create_template(db: Database, actor: Actor, spec: TemplateSpec) -> TemplateDetail:
    """A new, active template (HR)."""
    _require_maintainer(db, actor, "review_template.create")
    spec = clean_template(spec)
    try:
        with db.transaction() as session:
            _name_taken(session, spec.name)
            template = ReviewTemplate(id=uuid.uuid4(), name=spec.name, scale=json.dumps(spec.scale))
            session.add(template)
            session.flush()
            _add_competencies(session, template.id, spec)
            session.flush()
            audit.append(
                session,
                "review_template.create",
                actor=actor,
                entity_type=ENTITY,
                entity_id=template.id,
                details={"competencies": len(spec.competencies)},
            )
            return _detail(session, template)
    except IntegrityError:
        raise ValidationFailed(f"a review template named {spec.name!r} already exists") from None


def copy_template(db: Database, actor: Actor, ref: str | uuid.UUID, name: str) -> TemplateDetail:
    """A new version: a new template named `name` with the competencies and scale of `ref`,
    to edit while no review uses it (the old one stays as it is; retire it when done)."""
    _require_maintainer(db, actor, "review_template.create")
    with db.transaction() as session:
        source = template_by_ref(session, ref)
        spec = TemplateSpec(
            name,
            load_scale(source),
            tuple(
                CompetencySpec(c.name, c.weight, c.description)
                for c in competencies_of(session, source.id)
            ),
        )
    return create_template(db, actor, spec)


def _stale(session: Session, template_id: uuid.UUID, read: int | None) -> StaleEdit:
    """Refuse an edit of a version that is no longer current, naming who changed it since."""
    template = session.get_one(ReviewTemplate, template_id)
    what = f"review template {template.name!r}"
    return stale_edit(session, ENTITY, template_id, what, template.version, read)


def _locked(
    session: Session, template_id: uuid.UUID, expected_version: int | None
) -> ReviewTemplate:
    template = session.get_one(ReviewTemplate, template_id, with_for_update=True)
    if expected_version is not None and template.version != expected_version:
        raise _stale(session, template.id, expected_version)
    return template


def update_template(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    spec: TemplateSpec,
    *,
    expected_version: int | None = None,
) -> TemplateDetail:
    """Replace the name, scale and competencies of a template no review uses yet (HR)."""
    _require_maintainer(db, actor, "review_template.update")
    spec = clean_template(spec)
    template_id = _resolve(db, ref)
    try:
        with db.transaction() as session:
            template = _locked(session, template_id, expected_version)
            used = _reviews_using(session, template.id)
            if used:
                raise ValidationFailed(
                    f"review template {template.name!r} is used by {used} review(s), which must "
                    "not change under them: make a new version instead (a copy under a new "
                    "name, edited, and this one retired)"
                )
            _name_taken(session, spec.name, other_than=template.id)
            before = _detail(session, template)
            fields = _changed_fields(before, spec)
            if not fields:
                return before
            template.name, template.scale = spec.name, json.dumps(spec.scale)
            flag_modified(template, "scale")  # a new version even when only competencies change
            session.execute(
                delete(ReviewCompetency).where(ReviewCompetency.template_id == template.id)
            )
            _add_competencies(session, template.id, spec)
            session.flush()
            audit.append(
                session,
                "review_template.update",
                actor=actor,
                entity_type=ENTITY,
                entity_id=template.id,
                details={"fields": fields, "version": template.version},
            )
            return _detail(session, template)
    except StaleDataError:
        with db.transaction() as session:
            raise _stale(session, template_id, expected_version) from None
    except IntegrityError:
        raise ValidationFailed(f"a review template named {spec.name!r} already exists") from None


def _changed_fields(before: TemplateDetail, spec: TemplateSpec) -> list[str]:
    competencies = tuple((c.name, c.weight, c.description) for c in before.competencies)
    wanted = tuple((c.name, c.weight, c.description) for c in spec.competencies)
    return [
        field
        for field, old, new in (
            ("name", before.name, spec.name),
            ("scale", before.scale, spec.scale),
            ("competencies", competencies, wanted),
        )
        if old != new
    ]


def set_active(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    active: bool,
    *,
    expected_version: int | None = None,
) -> TemplateDetail:
    """Retire a template (no new review may use it; those made with it keep it) or bring it
    back (HR). Nothing is written when it already is as asked."""
    action = "review_template.reactivate" if active else "review_template.retire"
    _require_maintainer(db, actor, action)
    template_id = _resolve(db, ref)
    try:
        with db.transaction() as session:
            template = _locked(session, template_id, expected_version)
            if template.active is not active:
                template.active = active
                session.flush()
                audit.append(
                    session,
                    action,
                    actor=actor,
                    entity_type=ENTITY,
                    entity_id=template.id,
                    details={"fields": ["active"], "version": template.version},
                )
            return _detail(session, template)
    except StaleDataError:
        with db.transaction() as session:
            raise _stale(session, template_id, expected_version) from None


def active_form(session: Session, template_id: uuid.UUID) -> Sequence[Competency]:
    """The competencies of a template a new review may be written on (locked for share, so
    it cannot be edited while the review is being created)."""
    template = session.get(ReviewTemplate, template_id, with_for_update={"read": True})
    if template is None:
        raise NotFound(f"there is no review template with id {template_id}")
    if not template.active:
        raise ValidationFailed(
            f"review template {template.name!r} is retired: write new reviews on a current one"
        )
    return competencies_of(session, template_id)
