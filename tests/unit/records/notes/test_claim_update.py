"""Correcting a client claim: what may change in each state, the audit entry naming the
fields (never their text), and refusals that change nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.errors import PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.notes import service as note_service
from crmsup.records.notes.dto import ClaimChanges, ClaimDetail
from crmsup.records.notes.models import ClaimOutcome, ClientClaim
from tests.factories import Org, add_associate
from tests.unit.records.policies.matrix import MONDAY_9, claim

LATER = MONDAY_9 + timedelta(minutes=10)


def _logged(org: Org) -> ClaimDetail:
    add_associate(org)
    logged = claim(org)
    assert isinstance(logged, ClaimDetail)
    return logged


def _update(
    org: Org,
    logged: ClaimDetail,
    changes: ClaimChanges,
    *,
    actor: Actor | None = None,
    expected_version: int | None = None,
) -> ClaimDetail:
    return note_service.update_claim(
        org.db,
        actor or org.sup_a,
        "E100",
        logged.id,
        changes,
        expected_version=expected_version,
        now=LATER,
    )


def _updates(org: Org) -> list[dict[str, object]]:
    with org.db.transaction() as session:
        query = select(AuditEntry.details).where(
            AuditEntry.action == "claim.update", AuditEntry.outcome == "ok"
        )
        return [json.loads(d) for d in session.scalars(query) if d is not None]


def test_an_open_claim_is_corrected_and_only_real_changes_are_written(org: Org) -> None:
    logged = _logged(org)
    received = MONDAY_9 - timedelta(minutes=20)
    fixed = _update(
        org,
        logged,
        ClaimChanges(claim="Rude and hung up", client="", received_at=received),
        expected_version=1,
    )
    assert (fixed.claim, fixed.client, fixed.received_at, fixed.version) == (
        "Rude and hung up",
        None,
        received,
        2,
    )
    assert fixed.respond_by == received + timedelta(minutes=30)
    same = _update(org, logged, ClaimChanges(claim="  Rude and hung up  ", received_at=received))
    assert same.version == 2
    assert _updates(org) == [{"fields": ["received_at", "claim", "client"], "version": 2}]
    with org.db.transaction() as session:
        stored = session.get_one(ClientClaim, logged.id)
    assert b"hung up" not in stored.claim_enc


def test_a_response_is_corrected_once_given_and_a_closed_claim_is_final(org: Org) -> None:
    logged = _logged(org)
    with pytest.raises(ValidationFailed, match="no response to correct yet"):
        _update(org, logged, ClaimChanges(response="Called back"))
    note_service.respond_to_claim(org.db, org.hr, "E100", logged.id, "Calld back", now=LATER)
    fixed = _update(org, logged, ClaimChanges(response="Called back at 9:05"))
    assert (fixed.response, fixed.version) == ("Called back at 9:05", 3)
    with pytest.raises(ValidationFailed, match="cannot change once it was answered"):
        _update(org, logged, ClaimChanges(received_at=MONDAY_9 - timedelta(hours=1)))
    with pytest.raises(ValidationFailed, match="response must not be empty"):
        _update(org, logged, ClaimChanges(response="  "))
    note_service.close_claim(org.db, org.hr, "E100", logged.id, ClaimOutcome.UPHELD, now=LATER)
    with pytest.raises(ValidationFailed, match="closed claim is final"):
        _update(org, logged, ClaimChanges(claim="Something else"))
    shown = note_service.get_claim(org.db, org.hr, "E100", logged.id, now=LATER)
    assert (shown.claim, shown.response, shown.version) == (
        "Rude on the phone",
        "Called back at 9:05",
        4,
    )


def test_refusals_change_nothing(org: Org) -> None:
    logged = _logged(org)
    future = ClaimChanges(received_at=LATER + timedelta(hours=1))
    with pytest.raises(ValidationFailed, match="in the future"):
        _update(org, logged, future)
    with pytest.raises(ValidationFailed, match="claim must not be empty"):
        _update(org, logged, ClaimChanges(claim=""))
    with pytest.raises(StaleEdit, match="version"):
        _update(org, logged, ClaimChanges(claim="New"), expected_version=7)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        _update(org, logged, ClaimChanges(claim="New"), actor=org.sup_b)
    with pytest.raises(PermissionDenied, match="auditor"):
        _update(org, logged, ClaimChanges(claim="New"), actor=org.auditor)
    shown = note_service.get_claim(org.db, org.hr, "E100", logged.id, now=LATER)
    assert (shown.claim, shown.client, shown.received_at, shown.version) == (
        "Rude on the phone",
        "Client 4711",
        MONDAY_9,
        1,
    )
    assert _updates(org) == []
