"""The role × action × scope matrix that every service consults.

One declarative table: a role missing from an action's row may not do it at all; a role present
may do it within the scope named. The screens read the same table to hide what a role may not do,
but the services are what enforce it (and the keys, for reading records).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    ADMIN = "admin"
    HR = "hr"
    SITE_MANAGER = "site_manager"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


class Scope(StrEnum):
    """How far a permitted action reaches."""

    TEAM = "team"  # the teams the user supervises or was granted
    SITE = "site"  # every team of the user's site
    ORG = "org"  # every site
    SELF = "self"  # the user's own account only


class Action(StrEnum):
    SITE_ADD = "site.add"
    TEAM_ADD = "team.add"
    USER_ADD = "user.add"
    USER_LIST = "user.list"
    USER_DISABLE = "user.disable"
    USER_ROLE = "user.role"
    USER_PASSWORD = "user.password"  # noqa: S105 - an action name
    GRANT = "grant.give"
    REVOKE = "grant.revoke"
    ASSOCIATE_ADD = "associate.add"
    ASSOCIATE_LIST = "associate.list"
    ASSOCIATE_VIEW = "associate.view"
    ASSOCIATE_STATUS = "associate.status"
    AUDIT_READ = "audit.read"
    RECOVER = "recovery"
    BACKUP = "backup"
    RESTORE = "restore"
    RETENTION_SET = "retention.set"
    RETENTION_REPORT = "retention.report"
    LEGAL_HOLD = "legal_hold"
    ERASE = "erase"


_R = Role
_S = Scope

MATRIX: MappingProxyType[Action, MappingProxyType[Role, Scope]] = MappingProxyType(
    {
        action: MappingProxyType(cells)
        for action, cells in {
            Action.SITE_ADD: {_R.ADMIN: _S.ORG, _R.HR: _S.ORG},
            Action.TEAM_ADD: {_R.ADMIN: _S.ORG, _R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE},
            Action.USER_ADD: {_R.ADMIN: _S.ORG},
            Action.USER_LIST: {_R.ADMIN: _S.ORG, _R.HR: _S.ORG, _R.AUDITOR: _S.ORG},
            Action.USER_DISABLE: {_R.ADMIN: _S.ORG},
            # A role change drops the account's keys; a holder must vouch for it again.
            Action.USER_ROLE: {_R.ADMIN: _S.ORG},
            Action.USER_PASSWORD: dict.fromkeys(Role, _S.SELF),
            # Only a holder of a scope key can hand it on: never an admin.
            Action.GRANT: {_R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE},
            Action.REVOKE: {_R.ADMIN: _S.ORG, _R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE},
            Action.ASSOCIATE_ADD: {
                _R.HR: _S.ORG,
                _R.SITE_MANAGER: _S.SITE,
                _R.SUPERVISOR: _S.TEAM,
            },
            Action.ASSOCIATE_LIST: {
                _R.HR: _S.ORG,
                _R.SITE_MANAGER: _S.SITE,
                _R.SUPERVISOR: _S.TEAM,
            },
            Action.ASSOCIATE_VIEW: {
                _R.HR: _S.ORG,
                _R.SITE_MANAGER: _S.SITE,
                _R.SUPERVISOR: _S.TEAM,
            },
            # Active, on leave or terminated: plain fields, so no key is needed to change them.
            Action.ASSOCIATE_STATUS: {_R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE},
            # The trail holds no record content, so IT and auditors may read it.
            Action.AUDIT_READ: {_R.AUDITOR: _S.ORG, _R.HR: _S.ORG, _R.ADMIN: _S.ORG},
            Action.BACKUP: {_R.ADMIN: _S.ORG},
            # With the organisation's recovery sheet in hand: never IT's to use.
            Action.RECOVER: {_R.HR: _S.ORG},
            Action.RESTORE: {_R.ADMIN: _S.ORG},
            Action.RETENTION_SET: {_R.HR: _S.ORG},
            Action.RETENTION_REPORT: {_R.HR: _S.ORG},
            Action.LEGAL_HOLD: {_R.HR: _S.ORG},
            Action.ERASE: {_R.HR: _S.ORG},
        }.items()
    }
)


def scope_of(role: Role, action: Action) -> Scope | None:
    """The scope within which `role` may perform `action`, or None when it may not at all."""
    return MATRIX[action].get(role)


def holds_team_keys(role: Role) -> bool:
    """Roles whose scope keys are sealed to them when a team is created."""
    return role in (Role.HR, Role.SITE_MANAGER, Role.SUPERVISOR)
