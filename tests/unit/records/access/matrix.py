"""The permission-matrix walk's executors for the access actions (issue 5).

Each executor sets up what the action needs (with `org.hr`) and then performs the action as
the actor under test. The builders here also serve tests/unit/records/test_access_*.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crmsup.records.access import service as access_service
from crmsup.records.access.dto import AccessRequestDetail, LineSpec, NewAccessRequest
from crmsup.records.access.models import AccessKind
from crmsup.records.actor import Actor
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

TODAY = date(2026, 11, 23)
LINES = (LineSpec("Genesys", "agent"), LineSpec("Salesforce", "service user"))
JUSTIFICATION = "Starts on the Acme support line on Monday."


def new_request(
    kind: AccessKind = AccessKind.NEW,
    lines: tuple[LineSpec, ...] = LINES,
    justification: str = JUSTIFICATION,
    effective_on: date | None = None,
) -> NewAccessRequest:
    return NewAccessRequest(kind, lines, justification, effective_on)


def filed(
    org: Org,
    actor: Actor | None = None,
    employee_no: str = "E100",
    new: NewAccessRequest | None = None,
) -> AccessRequestDetail:
    """A request for `employee_no` (added to Team A first when it is E100 and absent)."""
    return access_service.file_request(org.db, actor or org.hr, employee_no, new or new_request())


def approved(org: Org, new: NewAccessRequest | None = None) -> AccessRequestDetail:
    """E100 (added here) with a request filed and approved by HR."""
    add_associate(org)
    request = filed(org, new=new)
    return access_service.decide_request(org.db, org.hr, request.id, approve=True)


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return access_service.get_request(org.db, actor, filed(org).short_id, today=TODAY)


def _request(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return filed(org, actor)


def _approve(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return access_service.decide_request(org.db, actor, filed(org).id, approve=True)


def _provision(org: Org, actor: Actor, _: Path) -> object:
    return access_service.provision_request(org.db, actor, approved(org).id)


EXECUTORS: dict[Action, Executor] = {
    Action.ACCESS_VIEW: _view,
    Action.ACCESS_REQUEST: _request,
    Action.ACCESS_APPROVE: _approve,
    Action.ACCESS_PROVISION: _provision,
}
