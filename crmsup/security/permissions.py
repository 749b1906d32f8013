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
    DISCIPLINE_VIEW = "discipline.view"
    #: Create and edit drafts, issue, record the acknowledgement, annotate, attach files.
    DISCIPLINE_WRITE = "discipline.write"
    #: Approve or send back a level that needs approval.
    DISCIPLINE_APPROVE = "discipline.approve"
    DISCIPLINE_RESCIND = "discipline.rescind"
    DISCIPLINE_LEVELS = "discipline.levels"
    #: The consistency report: levels given for comparable histories, per supervisor.
    DISCIPLINE_REPORT = "discipline.report"
    REVIEW_VIEW = "review.view"
    #: Create and edit drafts, submit, record the associate's comments and acknowledgement.
    REVIEW_WRITE = "review.write"
    REVIEW_FINALISE = "review.finalise"
    REVIEW_TEMPLATES = "review.templates"
    RECOMMENDATION_VIEW = "recommendation.view"
    #: Draft, submit and withdraw recommendations; keep candidates and their interviews.
    RECOMMENDATION_WRITE = "recommendation.write"
    RECOMMENDATION_MANAGER_DECIDE = "recommendation.manager_decide"
    RECOMMENDATION_HR_DECIDE = "recommendation.hr_decide"
    # ---- training (issue 5) ----
    TRAINING_VIEW = "training.view"
    #: Assign courses, record completions, admit a trained associate to a project.
    TRAINING_WRITE = "training.write"
    #: The course catalogue.
    TRAINING_COURSES = "training.courses"
    # ---- attendance and PTO (issue 5) ----
    ATTENDANCE_VIEW = "attendance.view"
    #: Record attendance events and PTO taken; file time-off requests for an associate.
    ATTENDANCE_WRITE = "attendance.write"
    #: Approve or deny a time-off request.
    PTO_DECIDE = "pto.decide"
    #: Accrual rules per job title and the attendance-points window and thresholds.
    ATTENDANCE_RULES = "attendance.rules"
    # ---- policies and acknowledgement (issue 5) ----
    #: Read the policies in force (no personal data).
    POLICY_READ = "policy.read"
    #: Publish a policy or a new version of one.
    POLICY_PUBLISH = "policy.publish"
    #: Acknowledge the current version oneself.
    POLICY_ACKNOWLEDGE = "policy.acknowledge"
    #: Record an associate's acknowledgement; list who has not acknowledged.
    POLICY_TRACK = "policy.track"
    # ---- notes, feedback and client claims (issue 5) ----
    NOTE_VIEW = "note.view"
    NOTE_WRITE = "note.write"
    # ---- development plans, coaching and call monitoring (issue 5) ----
    DEVELOPMENT_VIEW = "development.view"
    DEVELOPMENT_WRITE = "development.write"
    #: The call-monitoring scorecards.
    SCORECARDS = "development.scorecards"
    # ---- access and IT requests (issue 5) ----
    ACCESS_VIEW = "access.view"
    #: File, edit and cancel a request for an associate.
    ACCESS_REQUEST = "access.request"
    #: Approve or deny a request.
    ACCESS_APPROVE = "access.approve"
    #: Record that an approved request was provisioned, and close requests.
    ACCESS_PROVISION = "access.provision"


_R = Role
_S = Scope
#: Those who keep associates' files: HR everywhere, a site manager on their site, a
#: supervisor on their teams.
_KEEPERS = {_R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE, _R.SUPERVISOR: _S.TEAM}
_APPROVERS = {_R.HR: _S.ORG, _R.SITE_MANAGER: _S.SITE}

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
            # The associate's file: whoever holds the team's key, each within their scope.
            # IT and auditors are absent from every row: they never read record content.
            Action.DISCIPLINE_VIEW: _KEEPERS,
            Action.DISCIPLINE_WRITE: _KEEPERS,
            Action.DISCIPLINE_APPROVE: _APPROVERS,
            Action.DISCIPLINE_RESCIND: _APPROVERS,
            Action.DISCIPLINE_LEVELS: {_R.HR: _S.ORG},
            Action.DISCIPLINE_REPORT: _APPROVERS,
            Action.REVIEW_VIEW: _KEEPERS,
            Action.REVIEW_WRITE: _KEEPERS,
            Action.REVIEW_FINALISE: {_R.HR: _S.ORG},
            Action.REVIEW_TEMPLATES: {_R.HR: _S.ORG},
            Action.RECOMMENDATION_VIEW: _KEEPERS,
            Action.RECOMMENDATION_WRITE: _KEEPERS,
            Action.RECOMMENDATION_MANAGER_DECIDE: {_R.SITE_MANAGER: _S.SITE},
            Action.RECOMMENDATION_HR_DECIDE: {_R.HR: _S.ORG},
            # ---- issue 5 ----
            Action.TRAINING_VIEW: _KEEPERS,
            Action.TRAINING_WRITE: _KEEPERS,
            Action.TRAINING_COURSES: {_R.HR: _S.ORG},
            Action.ATTENDANCE_VIEW: _KEEPERS,
            Action.ATTENDANCE_WRITE: _KEEPERS,
            Action.PTO_DECIDE: _KEEPERS,
            Action.ATTENDANCE_RULES: {_R.HR: _S.ORG},
            # Policies hold no personal data: every account reads them, and acknowledges them
            # for itself; keepers record their associates' acknowledgements.
            Action.POLICY_READ: dict.fromkeys(Role, _S.ORG),
            Action.POLICY_PUBLISH: {_R.HR: _S.ORG},
            Action.POLICY_ACKNOWLEDGE: dict.fromkeys(Role, _S.SELF),
            Action.POLICY_TRACK: _KEEPERS,
            Action.NOTE_VIEW: _KEEPERS,
            Action.NOTE_WRITE: _KEEPERS,
            Action.DEVELOPMENT_VIEW: _KEEPERS,
            Action.DEVELOPMENT_WRITE: _KEEPERS,
            Action.SCORECARDS: {_R.HR: _S.ORG},
            # IT reads and works access requests (with the access key, never a team's key)
            # and nothing else of anyone's file.
            Action.ACCESS_VIEW: {**_KEEPERS, _R.ADMIN: _S.ORG},
            Action.ACCESS_REQUEST: _KEEPERS,
            Action.ACCESS_APPROVE: _APPROVERS,
            Action.ACCESS_PROVISION: {_R.ADMIN: _S.ORG},
        }.items()
    }
)


def scope_of(role: Role, action: Action) -> Scope | None:
    """The scope within which `role` may perform `action`, or None when it may not at all."""
    return MATRIX[action].get(role)


def holds_team_keys(role: Role) -> bool:
    """Roles whose scope keys are sealed to them when a team is created."""
    return role in (Role.HR, Role.SITE_MANAGER, Role.SUPERVISOR)
