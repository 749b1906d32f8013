"""The permission-matrix walk's executors for the training actions (issue 5).

Each executor sets up what the action needs (with `org.hr`, who may do everything) and then
performs the action as the actor under test. The builders here also serve the training tests
(tests/unit/records/test_training_*.py, tests/unit/cli/test_training_cli.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.people import associates as associate_service
from crmsup.records.people.dto import AssociateDetail, NewAssociate
from crmsup.records.training import courses as training_course_service
from crmsup.records.training import service as training_service
from crmsup.records.training.dto import CompletionDetail, Course, CourseSpec, NewCompletion
from crmsup.records.training.models import CourseKind
from crmsup.security.permissions import Action
from tests.factories import Org
from tests.helpers.matrix import Executor

AGENT = "Customer service agent"
TODAY = date(2026, 11, 23)


def agent(
    org: Org, employee_no: str = "E100", team: str = "Team A", title: str | None = AGENT
) -> AssociateDetail:
    """An associate with a job title (the factories' `add_associate` gives none)."""
    return associate_service.add_associate(
        org.db,
        org.hr,
        NewAssociate(
            employee_no=employee_no, first_name="Ada", last_name="Lind", team=team, job_title=title
        ),
    )


def course_spec(
    code: str = "GDPR-1",
    validity: int | None = 12,
    titles: tuple[str, ...] = (AGENT,),
    kind: CourseKind = CourseKind.COMPLIANCE,
) -> CourseSpec:
    return CourseSpec(code, "Data protection basics", kind, Decimal("1.5"), validity, titles)


def add_course(org: Org, code: str = "GDPR-1", validity: int | None = 12) -> Course:
    return training_course_service.create_course(org.db, org.hr, course_spec(code, validity))


def passed(
    org: Org,
    on: date = date(2026, 1, 10),
    code: str = "GDPR-1",
    employee_no: str = "E100",
    actor: Actor | None = None,
) -> CompletionDetail:
    """A pass recorded by HR (or `actor`), with a score, an outside trainer and notes."""
    new = NewCompletion(code, on, True, Decimal("87.5"), trainer="Jo from Legal", notes="Keen")
    return training_service.record_completion(
        org.db, actor or org.hr, employee_no, new, today=TODAY
    )


def _view(org: Org, actor: Actor, _: Path) -> object:
    agent(org)
    add_course(org)
    done = passed(org)
    return training_service.get_completion(org.db, actor, "E100", done.short_id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    agent(org)
    add_course(org)
    return passed(org, actor=actor)


EXECUTORS: dict[Action, Executor] = {
    Action.TRAINING_VIEW: _view,
    Action.TRAINING_WRITE: _write,
    Action.TRAINING_COURSES: lambda org, a, _: training_course_service.create_course(
        org.db, a, course_spec()
    ),
}
