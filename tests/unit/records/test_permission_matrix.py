"""Walk the whole role × action matrix against the services.

Every allowed cell works; every refused cell raises PermissionDenied and leaves an audit
entry of the refusal, signed by the refused user. The permission logic does not depend on
the backend, so this walk runs on SQLite (the other tests cover PostgreSQL).

RESTORE is the one action without a logged-in actor (it fills an empty database, so there is
no trail yet to record a refusal in): the backup file opens only with the password of the
admin who made it, which tests/unit/records/test_backup_service.py walks for every role.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crmsup.records.actor import Actor
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.people import associates as associate_service
from crmsup.records.people import auth as auth_service
from crmsup.records.people import grants as grant_service
from crmsup.records.people import org as org_service
from crmsup.records.people import recovery as recovery_service
from crmsup.records.people import status as status_service
from crmsup.records.people import users as user_service
from crmsup.records.people.dto import NewAssociate
from crmsup.records.upkeep import backup as backup_service
from crmsup.records.upkeep import erasure as erasure_service
from crmsup.records.upkeep import retention as retention_service
from crmsup.security.permissions import MATRIX, Action, Role, scope_of
from crmsup.security.recovery import read_recovery_sheet
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, Org, add_associate
from tests.helpers.matrix import Executor
from tests.unit.records.access import matrix as matrix_access
from tests.unit.records.attendance import matrix as matrix_attendance
from tests.unit.records.development import matrix as matrix_development
from tests.unit.records.discipline import matrix as matrix_discipline
from tests.unit.records.policies import matrix as matrix_policy
from tests.unit.records.recommendations import matrix as matrix_recommendations
from tests.unit.records.reviews import matrix as matrix_reviews
from tests.unit.records.training import matrix as matrix_training


def _password_of(actor: Actor) -> str:
    return SUPERVISOR_PASSWORD if actor.role is Role.SUPERVISOR else PASSWORD


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return associate_service.get_associate(org.db, actor, "E100")


def _status(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return status_service.set_status(org.db, actor, "E100", AssociateStatus.LEAVE)


def _hold(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return retention_service.set_legal_hold(org.db, actor, "E100", True)


def _erase(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2020, 1, 31)
    )
    return erasure_service.erase_associate(org.db, actor, "E100", _password_of(actor), early=True)


CORE: dict[Action, Executor] = {
    Action.SITE_ADD: lambda org, a, _: org_service.add_site(org.db, a, "Grenoble"),
    Action.TEAM_ADD: lambda org, a, _: org_service.add_team(org.db, a, "Team C", "Lyon"),
    Action.USER_ADD: lambda org, a, _: user_service.add_user(
        org.db, a, "newcomer", Role.SUPERVISOR, SUPERVISOR_PASSWORD
    ),
    Action.USER_LIST: lambda org, a, _: user_service.list_users(org.db, a),
    Action.USER_DISABLE: lambda org, a, _: user_service.set_disabled(org.db, a, "sup-b", True),
    Action.USER_ROLE: lambda org, a, _: user_service.change_role(org.db, a, "sup-b", Role.AUDITOR),
    Action.USER_PASSWORD: lambda org, a, _: auth_service.change_password(
        org.db, a, _password_of(a), "another long passphrase"
    ),
    Action.GRANT: lambda org, a, _: grant_service.grant(org.db, a, "sup-b", "Team A"),
    Action.REVOKE: lambda org, a, _: grant_service.revoke(org.db, a, "sup-b", "Team B"),
    Action.ASSOCIATE_ADD: lambda org, a, _: associate_service.add_associate(
        org.db, a, NewAssociate(employee_no="E300", first_name="A", last_name="B", team="Team A")
    ),
    Action.ASSOCIATE_LIST: lambda org, a, _: associate_service.list_roster(org.db, a, "Team A"),
    Action.ASSOCIATE_VIEW: _view,
    Action.AUDIT_READ: lambda org, a, _: audit_service.verify_as(org.db, a),
    Action.RECOVER: lambda org, a, _: recovery_service.recover(
        org.db, a, read_recovery_sheet(org.recovery_sheet), "sup-b"
    ),
    Action.ASSOCIATE_STATUS: _status,
    Action.BACKUP: lambda org, a, tmp: backup_service.backup(org.db, a, tmp / "b.crmsupbak"),
    Action.RETENTION_SET: lambda org, a, _: retention_service.set_policy(org.db, a, "note", 6),
    Action.RETENTION_REPORT: lambda org, a, _: retention_service.report(org.db, a),
    Action.LEGAL_HOLD: _hold,
    Action.ERASE: _erase,
}


EXECUTORS: dict[Action, Executor] = {
    **CORE,
    **matrix_discipline.EXECUTORS,
    **matrix_reviews.EXECUTORS,
    **matrix_recommendations.EXECUTORS,
    **matrix_training.EXECUTORS,
    **matrix_attendance.EXECUTORS,
    **matrix_policy.EXECUTORS,
    **matrix_development.EXECUTORS,
    **matrix_access.EXECUTORS,
}


def _actor(org: Org, role: Role) -> Actor:
    return {
        Role.ADMIN: org.admin,
        Role.HR: org.hr,
        Role.SITE_MANAGER: org.manager,
        Role.SUPERVISOR: org.sup_a,
        Role.AUDITOR: org.auditor,
    }[role]


def test_every_action_is_walked() -> None:
    assert set(EXECUTORS) | {Action.RESTORE} == set(MATRIX)


def _denials(org: Org, actor: Actor) -> int:
    with org.db.transaction() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.outcome == "denied",
                    AuditEntry.actor_id == str(actor.user_id),
                    AuditEntry.signature.is_not(None),
                )
            )
            or 0
        )


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXECUTORS))
def test_matrix_cell(org: Org, role: Role, action: Action, tmp_path: Path) -> None:
    actor = _actor(org, role)
    before = _denials(org, actor)
    if scope_of(role, action) is not None:
        EXECUTORS[action](org, actor, tmp_path)
        assert _denials(org, actor) == before
    else:
        with pytest.raises(PermissionDenied):
            EXECUTORS[action](org, actor, tmp_path)
        assert _denials(org, actor) == before + 1
    assert audit_service.verify(org.db).ok
