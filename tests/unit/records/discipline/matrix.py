"""Permission matrix walk: the executors for discipline records, levels and the consistency report.

Each executor sets up what the action needs (with `org.hr`, who may do everything on the
file — except approve what HR created, so a record to approve is made by `org.sup_a`) and
then performs the action as the actor under test.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.discipline import levels as discipline_levels_service
from crmsup.records.discipline import report as discipline_report
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import NewDiscipline, NewLevel
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

TODAY = date(2025, 6, 2)
COACHING, FINAL = uuid.UUID(int=1), uuid.UUID(int=4)


def _record(org: Org, author: Actor, level: uuid.UUID = COACHING) -> uuid.UUID:
    add_associate(org)
    reason = None if level == COACHING else "Gross misconduct"
    new = NewDiscipline(
        DisciplineCategory.CONDUCT, level, (TODAY,), "Facts", deviation_reason=reason
    )
    return discipline_service.create_record(org.db, author, "E100", new, TODAY).id


def _view(org: Org, actor: Actor, _: Path) -> object:
    return discipline_service.get_record(org.db, actor, "E100", _record(org, org.hr), TODAY)


def _write(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    new = NewDiscipline(DisciplineCategory.CONDUCT, COACHING, (TODAY,), "Facts")
    return discipline_service.create_record(org.db, actor, "E100", new, TODAY)


def _approve(org: Org, actor: Actor, _: Path) -> object:
    record = _record(org, org.sup_a, FINAL)
    workflow.submit(org.db, org.sup_a, "E100", record, expected_version=1, today=TODAY)
    return workflow.approve(org.db, actor, "E100", record, expected_version=2, today=TODAY)


def _rescind(org: Org, actor: Actor, _: Path) -> object:
    record = _record(org, org.hr)
    workflow.issue(org.db, org.hr, "E100", record, expected_version=1, today=TODAY)
    return workflow.rescind(
        org.db, actor, "E100", record, "Issued in error", expected_version=2, today=TODAY
    )


EXECUTORS: dict[Action, Executor] = {
    Action.DISCIPLINE_VIEW: _view,
    Action.DISCIPLINE_WRITE: _write,
    Action.DISCIPLINE_APPROVE: _approve,
    Action.DISCIPLINE_RESCIND: _rescind,
    Action.DISCIPLINE_LEVELS: lambda org, a, _: discipline_levels_service.add_level(
        org.db, a, NewLevel("Second verbal warning", 9, position=3)
    ),
    Action.DISCIPLINE_REPORT: lambda org, a, _: discipline_report.consistency_report(
        org.db, a, date(2025, 1, 1), TODAY
    ),
}
