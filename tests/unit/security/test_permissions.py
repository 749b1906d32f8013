from __future__ import annotations

from crmsup.security.permissions import MATRIX, Action, Role, Scope, holds_team_keys, scope_of


def test_every_action_has_a_row() -> None:
    assert set(MATRIX) == set(Action)


def test_admins_and_auditors_never_grant_or_read_records() -> None:
    for role in (Role.ADMIN, Role.AUDITOR):
        for action in (Action.GRANT, Action.ASSOCIATE_VIEW, Action.ASSOCIATE_LIST):
            assert scope_of(role, action) is None
        assert not holds_team_keys(role)


def test_supervisors_work_on_their_teams_only() -> None:
    assert scope_of(Role.SUPERVISOR, Action.ASSOCIATE_VIEW) is Scope.TEAM
    assert scope_of(Role.SUPERVISOR, Action.USER_ADD) is None
    assert scope_of(Role.SITE_MANAGER, Action.USER_ADD) is None


def test_everyone_may_change_their_own_password() -> None:
    assert all(scope_of(role, Action.USER_PASSWORD) is Scope.SELF for role in Role)
