"""Notes and client claims: each life cycle and each refusal (role, scope, author, state,
stale version), texts encrypted, nothing changed by a refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.notes import service as note_service
from crmsup.records.notes.dto import ClaimDetail, NewClaim, NewNote, NoteChanges
from crmsup.records.notes.models import ClaimOutcome, ClaimState, ClientClaim, Note, NoteKind
from crmsup.records.people import status as status_service
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.models import PolicyAssociateAck
from crmsup.records.upkeep import erasure as erasure_service
from tests.factories import PASSWORD, Org, add_associate
from tests.unit.records.policies.matrix import MONDAY_9, TODAY, claim, note, publish


def _entries(org: Org, action: str) -> list[tuple[str, str]]:
    with org.db.transaction() as session:
        query = select(AuditEntry.outcome, AuditEntry.details).where(AuditEntry.action == action)
        return [(o, d) for o, d in session.execute(query)]


def test_a_note_is_written_read_and_edited_by_its_author(org: Org) -> None:
    add_associate(org)
    written = note(org, org.sup_a, "Talked about breaks; agreed on 10:30")
    assert (written.author, written.kind, written.version) == ("sup-a", NoteKind.CONVERSATION, 1)
    (row,) = note_service.list_notes(org.db, org.manager, "E100")
    assert (row.id, row.noted_on, row.author) == (written.id, TODAY, "sup-a")
    changed = note_service.update_note(
        org.db,
        org.sup_a,
        "E100",
        written.short_id,
        NoteChanges(kind=NoteKind.FEEDBACK, text="Asked for a later break"),
        today=TODAY,
        expected_version=1,
    )
    assert (changed.kind, changed.text, changed.version) == (
        NoteKind.FEEDBACK,
        "Asked for a later break",
        2,
    )
    same = note_service.update_note(
        org.db,
        org.sup_a,
        "E100",
        written.id,
        NoteChanges(text="Asked for a later break"),
        today=TODAY,
    )
    assert same.version == 2
    shown = note_service.get_note(org.db, org.hr, "E100", written.short_id)
    assert (shown.text, shown.team) == ("Asked for a later break", "Team A")
    (update,) = _entries(org, "note.update")
    assert "breaks" not in update[1]
    assert '"kind"' in update[1]
    assert '"text"' in update[1]
    with org.db.transaction() as session:
        stored = session.get_one(Note, written.id).text_enc
    assert b"break" not in stored


def test_note_refusals_change_nothing(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", team="Team B")
    written = note(org, org.sup_a)
    with pytest.raises(PermissionDenied, match="only the note's author"):
        note_service.update_note(
            org.db, org.hr, "E100", written.id, NoteChanges(text="Mine now"), today=TODAY
        )
    assert [o for o, _ in _entries(org, "note.update")] == ["denied"]
    with pytest.raises(StaleEdit, match=r"changed by sup-a .* you read 7"):
        note_service.update_note(
            org.db,
            org.sup_a,
            "E100",
            written.id,
            NoteChanges(text="Other"),
            today=TODAY,
            expected_version=7,
        )
    with pytest.raises(ValidationFailed, match="after today"):
        note_service.update_note(
            org.db,
            org.sup_a,
            "E100",
            written.id,
            NoteChanges(noted_on=TODAY + timedelta(days=1)),
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="must not be empty"):
        note_service.create_note(
            org.db, org.sup_a, "E100", NewNote(NoteKind.FEEDBACK, TODAY, "  "), today=TODAY
        )
    with pytest.raises(PermissionDenied, match="outside your scope"):
        note_service.create_note(
            org.db, org.sup_a, "E200", NewNote(NoteKind.FEEDBACK, TODAY, "x"), today=TODAY
        )
    with pytest.raises(PermissionDenied):
        note_service.list_notes(org.db, org.admin, "E100")
    with pytest.raises(NotFound, match="has no note ffffffff"):
        note_service.get_note(org.db, org.sup_a, "E100", "ffffffff")
    with pytest.raises(ValidationFailed, match="first 8 or more hex digits"):
        note_service.get_note(org.db, org.sup_a, "E100", "abc")
    after = note_service.get_note(org.db, org.sup_a, "E100", written.id)
    assert (after.text, after.version) == ("Talked about breaks", 1)


def test_a_claim_goes_from_open_to_closed_and_shows_in_the_inbox_while_open(org: Org) -> None:
    add_associate(org)
    logged = claim(org, actor=org.sup_a)
    assert isinstance(logged, ClaimDetail)
    assert (logged.state, logged.client, logged.late) == (ClaimState.OPEN, "Client 4711", False)
    assert logged.respond_by == MONDAY_9 + timedelta(minutes=30)
    (item,) = [
        i for i in note_service.due_items(org.db, org.sup_a, MONDAY_9) if i.kind.startswith("claim")
    ]
    assert (item.kind, item.record_id, item.employee_no, item.due_at) == (
        "claim.first_response",
        logged.id,
        "E100",
        MONDAY_9 + timedelta(minutes=30),
    )
    assert note_service.due_items(org.db, org.sup_b, MONDAY_9) == ()
    later = MONDAY_9 + timedelta(minutes=45)
    with pytest.raises(ValidationFailed, match="closed only when responded"):
        note_service.close_claim(
            org.db, org.sup_a, "E100", logged.id, ClaimOutcome.UPHELD, now=later
        )
    answered = note_service.respond_to_claim(
        org.db,
        org.manager,
        "E100",
        logged.short_id,
        "Called the client back",
        expected_version=1,
        now=later,
    )
    assert (answered.state, answered.responded_by, answered.late) == (
        ClaimState.RESPONDED,
        "manager",
        True,
    )
    assert note_service.due_items(org.db, org.sup_a, later) == ()
    with pytest.raises(StaleEdit, match="changed by manager"):
        note_service.close_claim(
            org.db, org.sup_a, "E100", logged.id, ClaimOutcome.UPHELD, expected_version=1, now=later
        )
    closed = note_service.close_claim(
        org.db,
        org.sup_a,
        "E100",
        logged.id,
        ClaimOutcome.PARTLY_UPHELD,
        notes="Coached on tone",
        expected_version=2,
        now=later,
    )
    assert (closed.state, closed.outcome, closed.outcome_notes, closed.closed_by) == (
        ClaimState.CLOSED,
        ClaimOutcome.PARTLY_UPHELD,
        "Coached on tone",
        "sup-a",
    )
    with pytest.raises(ValidationFailed, match="responded to only when open"):
        note_service.respond_to_claim(org.db, org.sup_a, "E100", logged.id, "Again", now=later)
    (row,) = note_service.list_claims(org.db, org.hr, "E100", now=later)
    assert (row.state, row.late, row.version) == (ClaimState.CLOSED, True, 3)
    shown = note_service.get_claim(org.db, org.hr, "E100", row.short_id, now=later)
    assert (shown.claim, shown.response) == ("Rude on the phone", "Called the client back")
    with org.db.transaction() as session:
        stored = session.get_one(ClientClaim, logged.id)
        blobs = (stored.claim_enc, stored.client_enc or b"", stored.response_enc or b"")
    assert not any(b"Rude" in b or b"4711" in b or b"client back" in b for b in blobs)
    assert all("Rude" not in d for _, d in _entries(org, "claim.create"))


def test_claim_refusals(org: Org) -> None:
    add_associate(org)
    with pytest.raises(ValidationFailed, match="in the future"):
        note_service.create_claim(
            org.db, org.sup_a, "E100", NewClaim(MONDAY_9 + timedelta(hours=1), "x"), now=MONDAY_9
        )
    with pytest.raises(PermissionDenied):
        note_service.create_claim(
            org.db, org.auditor, "E100", NewClaim(MONDAY_9, "x"), now=MONDAY_9
        )
    logged = claim(org)
    assert isinstance(logged, ClaimDetail)
    with pytest.raises(ValidationFailed, match="before the claim's previous step"):
        note_service.respond_to_claim(
            org.db,
            org.hr,
            "E100",
            logged.id,
            "Sorry",
            responded_at=MONDAY_9 - timedelta(minutes=5),
            now=MONDAY_9,
        )
    with pytest.raises(PermissionDenied, match="outside your scope"):
        note_service.respond_to_claim(org.db, org.sup_b, "E100", logged.id, "Sorry", now=MONDAY_9)
    assert note_service.get_claim(org.db, org.hr, "E100", logged.id, now=MONDAY_9).version == 1


def test_erasure_removes_notes_claims_and_acknowledgements(org: Org) -> None:
    add_associate(org)
    note(org)
    claim(org)
    publish(org)
    policy_service.record_associate_acknowledgement(
        org.db, org.hr, "E100", "Call recording", acknowledged_on=TODAY, today=TODAY
    )
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2020, 1, 31)
    )
    erasure_service.erase_associate(org.db, org.hr, "E100", PASSWORD, early=True)
    with org.db.transaction() as session:
        assert session.scalars(select(Note.id)).all() == []
        assert session.scalars(select(ClientClaim.id)).all() == []
        assert session.scalars(select(PolicyAssociateAck.version_id)).all() == []
