"""DESIGN.md "Keys" 5: the recovery sheet restores access when the last holder forgets."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from crmsup.records.errors import PermissionDenied
from crmsup.records.models import SealedKey
from crmsup.records.people import recovery as recovery_service
from crmsup.records.people.associates import get_associate
from crmsup.records.people.auth import login
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Role
from crmsup.security.recovery import new_recovery_key, read_recovery_sheet
from tests.factories import PASSWORD, Org, add_associate, add_enrolled_user


def test_a_new_hr_account_recovers_every_team_with_the_sheet(org: Org) -> None:
    add_associate(org)
    # Every holder's copy is gone, as if all of them had forgotten their passwords.
    with org.db.transaction() as session:
        session.execute(delete(SealedKey).where(SealedKey.recipient_user_id.is_not(None)))
    hr_new = add_enrolled_user(org.db, org.admin, "hr-new", Role.HR, PASSWORD)
    with pytest.raises(PermissionDenied):
        get_associate(org.db, hr_new, "E100")
    sheet = read_recovery_sheet(org.recovery_sheet)
    teams = recovery_service.recover(org.db, hr_new, sheet, "hr-new")
    assert teams == ["Team A", "Team B"]
    hr_new = login(org.db, "hr-new", PASSWORD)
    assert get_associate(org.db, hr_new, "E100").last_name == "Bøe"
    assert recovery_service.recover(org.db, hr_new, sheet, "hr-new") == []


def test_a_foreign_sheet_is_refused(org: Org) -> None:
    with pytest.raises(IntegrityFailure, match="another organisation"):
        recovery_service.recover(org.db, org.hr, new_recovery_key(), "sup-a")


def test_it_may_not_use_the_recovery_key(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        recovery_service.recover(
            org.db, org.admin, read_recovery_sheet(org.recovery_sheet), "sup-a"
        )
