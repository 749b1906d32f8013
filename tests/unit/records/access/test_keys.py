"""The access key: IT reads access requests with it and can decrypt nothing else; only a
holder (HR, a site manager) hands it on; the recovery sheet re-seals it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, select

from crmsup.records.access import service as access_service
from crmsup.records.discipline import service as discipline_service
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.keyring import (
    DATA_KEY_PURPOSE,
    access_scope_key,
    data_cipher,
    holds_key,
    unseal_scope_key,
)
from crmsup.records.models import AssociateKey, ScopeKey, SealedKey
from crmsup.records.people import grants as grant_service
from crmsup.records.people import recovery as recovery_service
from crmsup.records.people.auth import login
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Role
from crmsup.security.recovery import read_recovery_sheet
from crmsup.security.wrapping import unwrap_key
from tests.factories import PASSWORD, Org, add_associate, add_enrolled_user
from tests.unit.records.access.matrix import TODAY, filed


def _holds_access_key(org: Org, user_id: uuid.UUID) -> bool:
    with org.db.transaction() as session:
        key = access_scope_key(session)
        assert key is not None
        return holds_key(session, user_id, key.id)


def test_an_admin_reads_requests_but_no_other_record(org: Org) -> None:
    added = add_associate(org)
    request = filed(org)
    shown = access_service.get_request(org.db, org.admin, request.id, today=TODAY)
    assert shown.person_name == "Ørjan Bøe"
    with org.db.transaction() as session:
        held = session.execute(
            select(ScopeKey.team_id, ScopeKey.access)
            .join(SealedKey, SealedKey.scope_key_id == ScopeKey.id)
            .where(SealedKey.recipient_user_id == org.admin.user_id)
        ).all()
        assert held == [(None, True)]  # the access key, and no team's
        with pytest.raises(PermissionDenied, match="do not hold"):
            data_cipher(session, org.admin, added.id)
    with pytest.raises(PermissionDenied):
        discipline_service.list_records(org.db, org.admin, "E100", TODAY)


def test_the_access_key_opens_no_associate_field(org: Org) -> None:
    """Even with the access key unsealed, an associate's data key does not unwrap with it."""
    added = add_associate(org)
    with org.db.transaction() as session:
        key = access_scope_key(session)
        assert key is not None
        access_key = unseal_scope_key(session, org.admin, key.id)
        row = session.get_one(AssociateKey, added.id)
        with pytest.raises(IntegrityFailure):
            unwrap_key(
                access_key,
                row.wrapped,
                DATA_KEY_PURPOSE,
                f"associate:{added.id}",
                f"scope:{row.scope_key_id}",
            )


def test_only_a_holder_hands_the_access_key_to_a_new_admin(org: Org) -> None:
    it2 = add_enrolled_user(org.db, org.admin, "it-2", Role.ADMIN, PASSWORD)
    assert not _holds_access_key(org, it2.user_id)
    with pytest.raises(PermissionDenied):
        grant_service.grant(org.db, org.admin, "it-2")
    with pytest.raises(ValidationFailed, match="never holds team keys"):
        grant_service.grant(org.db, org.hr, "it-2", "Team A")
    assert grant_service.grant(org.db, org.hr, "it-2")
    assert _holds_access_key(org, it2.user_id)
    add_associate(org)
    request = filed(org)
    assert access_service.get_request(org.db, it2, request.id, today=TODAY).person_name


def test_a_holders_login_makes_and_delivers_a_missing_access_key(org: Org) -> None:
    """An organisation set up before the access key gets it at the next holder's login."""
    with org.db.transaction() as session:
        key = access_scope_key(session)
        assert key is not None
        session.execute(delete(SealedKey).where(SealedKey.scope_key_id == key.id))
        session.execute(delete(ScopeKey).where(ScopeKey.id == key.id))
    login(org.db, "hr", PASSWORD)
    for actor in (org.hr, org.manager, org.sup_a, org.sup_b):
        assert _holds_access_key(org, actor.user_id)
    assert not _holds_access_key(org, org.auditor.user_id)
    assert _holds_access_key(org, org.admin.user_id)  # HR vouched for IT (`build_org`)


def test_the_recovery_sheet_reseals_the_access_key(org: Org) -> None:
    with org.db.transaction() as session:
        key = access_scope_key(session)
        assert key is not None
        session.execute(
            delete(SealedKey).where(
                SealedKey.scope_key_id == key.id, SealedKey.recipient_user_id == org.admin.user_id
            )
        )
    recovery_service.recover(org.db, org.hr, read_recovery_sheet(org.recovery_sheet), "root")
    assert _holds_access_key(org, org.admin.user_id)
