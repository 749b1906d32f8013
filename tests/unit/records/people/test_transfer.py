"""Moving an associate between teams re-wraps one key: the data key and every ciphertext stay
as they are, the new team reads them, the old one no longer can."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.keyring import data_cipher, team_scope_key
from crmsup.records.models import Associate, AssociateKey, AuditEntry, Team
from crmsup.records.people.associates import get_associate
from crmsup.records.people.transfer import FIELDS, move_associate
from crmsup.records.recommendations import service as recommendation_service
from crmsup.records.recommendations.dto import NewRecommendation
from crmsup.records.recommendations.models import Recommendation, RecommendationKind
from tests.factories import Org, add_associate


def _team_id(session: Session, name: str) -> uuid.UUID:
    return session.scalars(select(Team.id).where(Team.name == name)).one()


def _key(org: Org, associate_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, bytes]:
    with org.db.transaction() as session:
        row = session.get_one(AssociateKey, associate_id)
        return row.key_id, row.scope_key_id, row.wrapped


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_move_rewraps_the_key_and_the_new_team_reads_everything(org: Org) -> None:
    added = add_associate(org)
    draft = recommendation_service.create_recommendation(
        org.db,
        org.sup_a,
        NewRecommendation(RecommendationKind.ADVANCEMENT, "steady", employee_no="E100"),
    )
    key_id, scope_before, wrapped_before = _key(org, added.id)
    with org.db.transaction() as session:
        names_before = session.get_one(Associate, added.id).first_name_enc
        moved = move_associate(session, org.hr, added.id, _team_id(session, "Team B"))
        team_b_key = team_scope_key(session, _team_id(session, "Team B")).id
    assert (moved.employee_no, moved.from_team, moved.to_team) == ("E100", "Team A", "Team B")
    assert moved.version == added.version + 1

    key_after, scope_after, wrapped_after = _key(org, added.id)
    assert (key_after, scope_after) == (key_id, team_b_key)
    assert scope_after != scope_before
    assert wrapped_after != wrapped_before
    with org.db.transaction() as session:
        associate = session.get_one(Associate, added.id)
        assert associate.first_name_enc == names_before  # nothing re-encrypted
        # The re-wrapped key opens with the keyring's own code, for a holder of Team B.
        cipher = data_cipher(session, org.sup_b, added.id)
        assert names_before is not None
        assert cipher.decrypt("associates", "first_name_enc", str(added.id), names_before) == (
            "Ørjan"
        )
        assert session.get_one(Recommendation, draft.id).team_id == _team_id(session, "Team B")
        # Team A's supervisor holds no key that unwraps it any more.
        with pytest.raises(PermissionDenied, match="do not hold this team's key"):
            data_cipher(session, org.sup_a, added.id)
    assert get_associate(org.db, org.sup_b, "E100").first_name == "Ørjan"
    with pytest.raises(PermissionDenied, match="outside your scope"):
        get_associate(org.db, org.sup_a, "E100")
    (entry,) = _entries(org, "associate.transfer")
    details = json.loads(entry.details)
    assert (entry.entity_id, entry.actor_name) == (str(added.id), "hr")
    assert details["fields"] == FIELDS
    assert "Ørjan" not in entry.details


def test_a_move_needs_both_teams_keys_and_changes_nothing_without(org: Org) -> None:
    added = add_associate(org)
    before = _key(org, added.id)
    with org.db.transaction() as session:
        team_b = _team_id(session, "Team B")
    with (
        pytest.raises(PermissionDenied, match="do not hold the key of Team B") as refused,
        org.db.transaction() as session,
    ):
        move_associate(session, org.sup_a, added.id, team_b)
    assert "nothing was changed" in str(refused.value)
    assert "Ørjan" not in str(refused.value)
    assert _key(org, added.id) == before
    assert get_associate(org.db, org.hr, "E100").team == "Team A"
    assert _entries(org, "associate.transfer") == []


def test_a_move_to_the_same_team_or_of_an_erased_associate_is_refused(org: Org) -> None:
    added = add_associate(org)
    with (
        pytest.raises(ValidationFailed, match="on that team already"),
        org.db.transaction() as session,
    ):
        move_associate(session, org.hr, added.id, _team_id(session, "Team A"))
    with org.db.transaction() as session:
        tomb = session.get_one(Associate, added.id)
        tomb.erased_at = tomb.created_at
    with pytest.raises(ValidationFailed, match="erased"), org.db.transaction() as session:
        move_associate(session, org.hr, added.id, _team_id(session, "Team B"))
