"""The course catalogue: HR adds, edits, retires and reactivates courses (TRAINING_COURSES);
everyone who keeps training records reads it (TRAINING_VIEW), since they assign from it.

Courses hold no personal data, so they are plain and reading them is not audited; every change
is, in its transaction, and every refusal. A course's edit takes the version the caller read:
a stale one is refused, naming who changed the course since, and nothing is written. A change
of validity applies to passes recorded from then on: a certificate keeps the expiry it was
given.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, short_ids
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, ValidationFailed
from crmsup.records.scope import require
from crmsup.records.stale_edits import stale_edit
from crmsup.records.training.dto import Course, CourseChanges, CourseSpec
from crmsup.records.training.models import TrainingCourse, TrainingCourseTitle
from crmsup.records.training.rules import clean_course, hours_of, job_titles, minutes_of, validity
from crmsup.records.validation import name
from crmsup.security.permissions import Action, scope_of

ENTITY = "training_course"


def titles_by_course(
    session: Session, course_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, ...]]:
    """The job titles each course is required for, in one query."""
    found: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
    query = (
        select(TrainingCourseTitle.course_id, TrainingCourseTitle.job_title)
        .where(TrainingCourseTitle.course_id.in_(set(course_ids)))
        .order_by(TrainingCourseTitle.job_title)
    )
    for course_id, title in session.execute(query):
        found[course_id].append(title)
    return {course_id: tuple(titles) for course_id, titles in found.items()}


def _dto(course: TrainingCourse, titles: tuple[str, ...]) -> Course:
    return Course(
        id=course.id,
        code=course.code,
        title=course.title,
        kind=course.kind,
        hours=hours_of(course.minutes),
        validity_months=course.validity_months,
        job_titles=titles,
        active=course.active,
        version=course.version,
    )


def _detail(session: Session, course: TrainingCourse) -> Course:
    return _dto(course, titles_by_course(session, [course.id]).get(course.id, ()))


def course_by_ref(session: Session, ref: str | uuid.UUID, *, lock: bool = False) -> TrainingCourse:
    """A course by id, by code (any case), or by the first 8 or more hex digits of its id."""
    if isinstance(ref, uuid.UUID):
        found = session.get(TrainingCourse, ref, with_for_update=lock)
        if found is None:
            raise NotFound(f"there is no course with id {ref}")
        return found
    text = ref.strip()
    query = select(TrainingCourse).where(TrainingCourse.code == text.upper())
    by_code = session.scalars(query.with_for_update() if lock else query).first()
    if by_code is not None:
        return by_code
    prefix = short_ids.prefix_of(text)
    if prefix is not None:
        ids = [i for i in session.scalars(select(TrainingCourse.id)) if i.hex.startswith(prefix)]
        if len(ids) > 1:
            raise ValidationFailed(f"{text} names several courses: give more of the id")
        if ids:
            return session.get_one(TrainingCourse, ids[0], with_for_update=lock)
    raise NotFound(f"there is no course with the code or id {text!r}")


def _require_reader(db: Database, actor: Actor) -> None:
    with audit.denials_recorded(db, actor, "training_course.view", ENTITY):
        if scope_of(actor.role, Action.TRAINING_COURSES) is None:
            require(actor, Action.TRAINING_VIEW)


def list_courses(
    db: Database, actor: Actor, *, include_retired: bool = False
) -> tuple[Course, ...]:
    """The catalogue by code; retired courses only when asked for."""
    _require_reader(db, actor)
    with db.transaction() as session:
        query = select(TrainingCourse).order_by(TrainingCourse.code)
        if not include_retired:
            query = query.where(TrainingCourse.active.is_(True))
        courses = list(session.scalars(query))
        titles = titles_by_course(session, (c.id for c in courses))
        return tuple(_dto(c, titles.get(c.id, ())) for c in courses)


def get_course(db: Database, actor: Actor, ref: str | uuid.UUID) -> Course:
    _require_reader(db, actor)
    with db.transaction() as session:
        return _detail(session, course_by_ref(session, ref))


# ---- changing ------------------------------------------------------------------------------


def _require_maintainer(db: Database, actor: Actor, action: str) -> None:
    with audit.denials_recorded(db, actor, action, ENTITY):
        require(actor, Action.TRAINING_COURSES)


def _set_titles(session: Session, course_id: uuid.UUID, titles: tuple[str, ...]) -> None:
    session.execute(delete(TrainingCourseTitle).where(TrainingCourseTitle.course_id == course_id))
    session.add_all(TrainingCourseTitle(course_id=course_id, job_title=t) for t in titles)


def create_course(db: Database, actor: Actor, spec: CourseSpec) -> Course:
    """A new, active course (HR); its code must be new."""
    _require_maintainer(db, actor, "training_course.create")
    spec = clean_course(spec)
    with db.transaction() as session:
        taken = select(TrainingCourse.id).where(TrainingCourse.code == spec.code)
        if session.scalar(taken) is not None:
            raise ValidationFailed(f"a course with the code {spec.code} already exists")
        course = TrainingCourse(
            id=uuid.uuid4(),
            code=spec.code,
            title=spec.title,
            kind=spec.kind,
            minutes=minutes_of(spec.hours),
            validity_months=spec.validity_months,
            active=True,
        )
        session.add(course)
        session.flush()
        _set_titles(session, course.id, spec.job_titles)
        session.flush()
        audit.append(
            session,
            "training_course.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=course.id,
            details={"code": spec.code, "job_titles": len(spec.job_titles)},
        )
        return _detail(session, course)


@contextmanager
def _locked(
    db: Database, actor: Actor, ref: str | uuid.UUID, action: str, expected_version: int | None
) -> Iterator[tuple[Session, TrainingCourse]]:
    """The course locked for a change; a stale version is refused, naming who changed it."""
    _require_maintainer(db, actor, action)
    course_id: uuid.UUID | None = None
    try:
        with db.transaction() as session:
            course = course_by_ref(session, ref, lock=True)
            course_id = course.id
            if expected_version is not None and course.version != expected_version:
                raise _stale(session, course.id, expected_version)
            yield session, course
    except StaleDataError:
        if course_id is None:
            raise
        with db.transaction() as session:
            raise _stale(session, course_id, expected_version) from None


def _stale(session: Session, course_id: uuid.UUID, read: int | None) -> ValidationFailed:
    course = session.get_one(TrainingCourse, course_id)
    what = f"course {course.code}"
    return stale_edit(session, ENTITY, course_id, what, course.version, read)


def _record(
    session: Session, actor: Actor, action: str, course: TrainingCourse, fields: list[str]
) -> Course:
    session.flush()
    audit.append(
        session,
        action,
        actor=actor,
        entity_type=ENTITY,
        entity_id=course.id,
        details={"fields": fields, "version": course.version},
    )
    return _detail(session, course)


def update_course(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    changes: CourseChanges,
    *,
    expected_version: int | None = None,
) -> Course:
    """Change a course's title, kind, length, validity or job titles (HR). Nothing is
    written, nor audited, when nothing changes."""
    with _locked(db, actor, ref, "training_course.update", expected_version) as (session, course):
        fields: list[str] = []
        # The titles first: replacing them flushes, and the course's own row must be
        # written once, so that its version moves on by one.
        if changes.job_titles is not None:
            titles = tuple(sorted(job_titles(changes.job_titles)))
            if titles != titles_by_course(session, [course.id]).get(course.id, ()):
                _set_titles(session, course.id, titles)
                fields.append("job_titles")
        wanted: dict[str, object] = {}
        if changes.title is not None:
            wanted["title"] = name(changes.title, "course title")
        if changes.kind is not None:
            wanted["kind"] = changes.kind
        if changes.hours is not None:
            wanted["minutes"] = minutes_of(changes.hours)
        if changes.validity_months is not None:
            wanted["validity_months"] = validity(changes.validity_months or None)
        for field, value in wanted.items():
            if getattr(course, field) != value:
                setattr(course, field, value)
                fields.append(field)
        if fields == ["job_titles"]:
            flag_modified(course, "title")
        if not fields:
            return _detail(session, course)
        return _record(session, actor, "training_course.update", course, fields)


def set_course_active(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    active: bool,
    *,
    expected_version: int | None = None,
) -> Course:
    """Retire a course (no longer assigned, required or tracked) or bring it back (HR)."""
    action = "training_course.reactivate" if active else "training_course.retire"
    with _locked(db, actor, ref, action, expected_version) as (session, course):
        if course.active == active:
            state = "active" if active else "retired"
            raise ValidationFailed(f"course {course.code} is already {state}")
        course.active = active
        return _record(session, actor, action, course, ["active"])
