"""Compliance per associate and per team: where each associate stands on every active course
required for their job title (done, expiring within 30 days, due, overdue, or missing: never
passed nor assigned), and the counts per team.

One query for the actor's whole scope (or one team, or one associate), on plain columns only:
nothing is decrypted. Audited as "training.compliance", with counts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, PermissionDenied
from crmsup.records.models import Associate, Team
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.subject import checked
from crmsup.records.training.due import followed
from crmsup.records.training.models import (
    AssignmentState,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
    TrainingCourseTitle,
)
from crmsup.records.training.rules import CourseStatus, course_status
from crmsup.security.permissions import Action


@dataclass(frozen=True, slots=True)
class ComplianceLine:
    course: str
    title: str
    status: CourseStatus
    #: The open assignment's due date, or the day the certificate lapses; None otherwise.
    on: date | None


@dataclass(frozen=True, slots=True)
class AssociateCompliance:
    employee_no: str
    team: str
    job_title: str
    lines: tuple[ComplianceLine, ...]

    def count(self, status: CourseStatus) -> int:
        return sum(1 for line in self.lines if line.status is status)

    @property
    def compliant(self) -> bool:
        """Every required course is passed and counts today."""
        return all(x.status in (CourseStatus.DONE, CourseStatus.EXPIRING) for x in self.lines)


@dataclass(frozen=True, slots=True)
class TeamCompliance:
    team: str
    #: Associates with at least one required course.
    associates: int
    compliant: int
    #: Required courses per status, summed over the team's associates.
    done: int
    expiring: int
    due: int
    overdue: int
    missing: int


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    as_of: date
    associates: tuple[AssociateCompliance, ...]
    teams: tuple[TeamCompliance, ...]


def _teams_asked(
    db: Database, actor: Actor, team: str | None, employee_no: str | None
) -> tuple[set[uuid.UUID], uuid.UUID | None]:
    """The teams to report on, and the associate when one is named; refusals audited."""
    if employee_no is not None:
        with checked(
            db, actor, Action.TRAINING_VIEW, "training.compliance", employee_no, "associate"
        ) as subject:
            return {subject.team_id}, subject.associate_id
    with audit.denials_recorded(db, actor, "training.compliance", "team"):
        require(actor, Action.TRAINING_VIEW)
        with db.transaction() as session:
            allowed = actor_team_ids(session, actor)
            if team is None:
                return allowed, None
            found = session.scalar(select(Team.id).where(Team.name == team.strip()))
            if found is None:
                raise NotFound(f"there is no team {team.strip()!r}")
            if found not in allowed:
                raise PermissionDenied(f"team {team.strip()} is outside your scope")
            return {found}, None


def compliance(
    db: Database,
    actor: Actor,
    today: date,
    *,
    team: str | None = None,
    employee_no: str | None = None,
) -> ComplianceReport:
    """Compliance on `today` of the actor's scope, of one team, or of one associate; by team,
    then employee number."""
    team_ids, associate_id = _teams_asked(db, actor, team, employee_no)
    passes = (
        select(
            TrainingCompletion.associate_id,
            TrainingCompletion.course_id,
            func.max(TrainingCompletion.expires_on).label("expiry"),
            func.count(case((TrainingCompletion.expires_on.is_(None), 1))).label("forever"),
        )
        .where(TrainingCompletion.passed.is_(True), TrainingCompletion.completed_on <= today)
        .group_by(TrainingCompletion.associate_id, TrainingCompletion.course_id)
        .subquery()
    )
    assigned = (
        select(
            TrainingAssignment.associate_id,
            TrainingAssignment.course_id,
            func.min(TrainingAssignment.due_on).label("due_on"),
        )
        .where(TrainingAssignment.state == AssignmentState.OPEN)
        .group_by(TrainingAssignment.associate_id, TrainingAssignment.course_id)
        .subquery()
    )
    query = (
        select(
            Associate.employee_no,
            Team.name,
            Associate.job_title,
            TrainingCourse.code,
            TrainingCourse.title,
            passes.c.associate_id.is_not(None),
            passes.c.expiry,
            passes.c.forever,
            assigned.c.due_on,
        )
        .join(Team, Team.id == Associate.team_id)
        .join(TrainingCourseTitle, TrainingCourseTitle.job_title == Associate.job_title)
        .join(TrainingCourse, TrainingCourse.id == TrainingCourseTitle.course_id)
        .outerjoin(
            passes,
            (passes.c.associate_id == Associate.id) & (passes.c.course_id == TrainingCourse.id),
        )
        .outerjoin(
            assigned,
            (assigned.c.associate_id == Associate.id) & (assigned.c.course_id == TrainingCourse.id),
        )
        .where(TrainingCourse.active.is_(True), *followed(team_ids))
        .order_by(Team.name, Associate.employee_no, TrainingCourse.code)
    )
    if associate_id is not None:
        query = query.where(Associate.id == associate_id)
    people: dict[str, tuple[str, str, list[ComplianceLine]]] = {}
    with db.transaction() as session:
        for number, team_name, title, code, course, passed, expiry, forever, due in session.execute(
            query
        ):
            lapses = None if forever else expiry
            status = course_status(today, passed=bool(passed), expiry=lapses, open_due=due)
            shown = due if status in (CourseStatus.DUE, CourseStatus.OVERDUE) and due else lapses
            entry = people.setdefault(number, (team_name, title or "", []))
            entry[2].append(ComplianceLine(code, course, status, shown))
        associates = tuple(
            AssociateCompliance(number, team_name, title, tuple(lines))
            for number, (team_name, title, lines) in people.items()
        )
        teams = _per_team(associates)
        audit.append(
            session,
            "training.compliance",
            actor=actor,
            entity_type="associate" if associate_id else "team",
            entity_id=associate_id or (next(iter(team_ids)) if len(team_ids) == 1 else None),
            details={
                "associates": len(associates),
                "compliant": sum(1 for a in associates if a.compliant),
            },
        )
    return ComplianceReport(today, associates, teams)


def _per_team(associates: tuple[AssociateCompliance, ...]) -> tuple[TeamCompliance, ...]:
    grouped: dict[str, list[AssociateCompliance]] = {}
    for person in associates:
        grouped.setdefault(person.team, []).append(person)
    out = []
    for name, members in grouped.items():
        counts = Counter(line.status for person in members for line in person.lines)
        out.append(
            TeamCompliance(
                team=name,
                associates=len(members),
                compliant=sum(1 for p in members if p.compliant),
                done=counts[CourseStatus.DONE],
                expiring=counts[CourseStatus.EXPIRING],
                due=counts[CourseStatus.DUE],
                overdue=counts[CourseStatus.OVERDUE],
                missing=counts[CourseStatus.MISSING],
            )
        )
    return tuple(out)
