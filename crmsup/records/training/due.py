"""What is due about training, for the supervisor's inbox: assignments due within
`DUE_SOON_DAYS` or overdue, and certificates expiring, due for recertification or lapsed.

Worked out from plain columns only (states, dates, pass / fail, ids, employee numbers, team
names) in two set-based queries for the actor's whole scope, so no key is needed, nothing is
decrypted, and a site of thousands costs what a bare query of the same dates costs. One item
per associate and course: the most urgent (overdue, then due, then expiring), the earliest.

A certificate is tracked while it matters: its course is active and required for the
associate's job title, or an admission to a project rested on it. One that lapsed stays
overdue until a new pass replaces it, or until it no longer matters.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import aliased

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.scope import actor_team_ids
from crmsup.records.training.models import (
    AssignmentState,
    TrainingAdmissionBasis,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
    TrainingCourseTitle,
)
from crmsup.records.training.rules import (
    DUE_SOON_DAYS,
    EXPIRING_DAYS,
    URGENCY,
    DueKind,
    assignment_due,
    certificate_due,
    recertify_by,
)
from crmsup.security.permissions import Action, scope_of

#: Associates whose training is followed: active or on leave, and not erased.
COUNTED = (AssociateStatus.ACTIVE, AssociateStatus.LEAVE)


def followed(team_ids: set[uuid.UUID]) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses for the associates of `team_ids` whose training is followed."""
    return (
        Associate.team_id.in_(team_ids),
        Associate.erased_at.is_(None),
        Associate.status.in_(COUNTED),
    )


def _assignments(
    team_ids: set[uuid.UUID], today: date
) -> Select[uuid.UUID, uuid.UUID, date, uuid.UUID, str, uuid.UUID]:
    return (
        select(
            TrainingAssignment.id,
            TrainingAssignment.course_id,
            TrainingAssignment.due_on,
            Associate.id,
            Associate.employee_no,
            Associate.team_id,
        )
        .join(Associate, Associate.id == TrainingAssignment.associate_id)
        .join(TrainingCourse, TrainingCourse.id == TrainingAssignment.course_id)
        .where(
            TrainingAssignment.state == AssignmentState.OPEN,
            TrainingAssignment.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            TrainingCourse.active.is_(True),
            *followed(team_ids),
        )
    )


def _certificates(
    team_ids: set[uuid.UUID], today: date
) -> Select[uuid.UUID, uuid.UUID, date | None, uuid.UUID, str, uuid.UUID]:
    """Each associate's newest pass of a course, when it lapses within `EXPIRING_DAYS` (or
    has lapsed) and still matters."""
    newer = aliased(TrainingCompletion)
    cert = TrainingCompletion
    superseded = exists().where(
        newer.associate_id == cert.associate_id,
        newer.course_id == cert.course_id,
        newer.passed.is_(True),
        or_(newer.expires_on.is_(None), newer.expires_on > cert.expires_on),
    )
    required = exists().where(
        TrainingCourseTitle.course_id == cert.course_id,
        TrainingCourseTitle.job_title == Associate.job_title,
    )
    admitted_on = exists().where(TrainingAdmissionBasis.completion_id == cert.id)
    return (
        select(
            cert.id,
            cert.course_id,
            cert.expires_on,
            Associate.id,
            Associate.employee_no,
            Associate.team_id,
        )
        .join(Associate, Associate.id == cert.associate_id)
        .join(TrainingCourse, TrainingCourse.id == cert.course_id)
        .where(
            cert.passed.is_(True),
            cert.expires_on.is_not(None),
            cert.expires_on <= today + timedelta(days=EXPIRING_DAYS),
            TrainingCourse.active.is_(True),
            ~superseded,
            or_(required, admitted_on),
            *followed(team_ids),
        )
    )


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """The actor's inbox items about training, by due date: "training.overdue",
    "training.due" and "training.expiring", one per associate and course.

    An assignment's item is dated its due date (record type `training_assignments`); a
    certificate's its last valid day (`training_completions`). A role that keeps no training
    (IT, auditors) simply has none: this is not a refused request. Not audited: it reads no
    record content, and the inbox refreshes it often.
    """
    if scope_of(actor.role, Action.TRAINING_VIEW) is None:
        return ()
    #: (associate, course) → (urgency, due on, item without its team name yet)
    best: dict[tuple[uuid.UUID, uuid.UUID], tuple[int, date, DueItem]] = {}
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        if not team_ids:
            return ()
        teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        found: list[tuple[DueKind | None, DueItem, uuid.UUID, uuid.UUID]] = []
        for rid, course, due_on, associate, number, team in session.execute(
            _assignments(team_ids, today)
        ):
            item = DueItem("", due_on, TrainingAssignment.__tablename__, rid, number, teams[team])
            found.append((assignment_due(due_on, today), item, associate, course))
        for rid, course, expiry, associate, number, team in session.execute(
            _certificates(team_ids, today)
        ):
            if expiry is None:
                continue
            last = recertify_by(expiry)
            item = DueItem("", last, TrainingCompletion.__tablename__, rid, number, teams[team])
            found.append((certificate_due(expiry, today), item, associate, course))
    for kind, item, associate, course in found:
        if kind is None:
            continue
        rank = (URGENCY[kind], item.due_on)
        held = best.get((associate, course))
        if held is None or rank < held[:2]:
            best[(associate, course)] = (*rank, replace(item, kind=kind.value))
    items = sorted(
        (item for _, _, item in best.values()),
        key=lambda i: (i.due_on, i.kind, i.employee_no or "", i.record_id),
    )
    return tuple(items)
