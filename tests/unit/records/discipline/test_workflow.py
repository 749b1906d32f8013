"""A discipline record's life cycle: issued, acknowledged, annotated; approved before issuing
when its level needs it, never by its own creator."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crmsup.records.discipline import service as discipline
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import Acknowledged, DisciplineChanges
from crmsup.records.discipline.models import Acknowledgement, DisciplineNote, DisciplineState
from crmsup.records.errors import PermissionDenied, ValidationFailed
from tests.factories import Org, add_associate
from tests.helpers.discipline import (
    COACHING,
    FACTS,
    FINAL,
    TERMINATION,
    TODAY,
    audit_rows,
    new_record,
    stored,
)

S = DisciplineState


def test_a_coaching_is_drafted_issued_acknowledged_and_annotated(org: Org) -> None:
    add_associate(org)
    draft = discipline.create_record(
        org.db,
        org.sup_a,
        "E100",
        new_record(
            improvement="Keep calm", improve_by=date(2025, 7, 1), follow_up_on=date(2025, 6, 30)
        ),
        TODAY,
    )
    assert (draft.row.state, draft.row.level, draft.row.suggested_level_id) == (
        S.DRAFT,
        "coaching",
        COACHING,
    )
    assert (draft.description, draft.improvement, draft.team) == (FACTS, "Keep calm", "Team A")
    assert draft.incident_dates == (date(2025, 5, 28),)
    row = stored(org, draft.id)
    assert FACTS.encode() not in row.description_enc
    assert b"2025-05-28" not in row.incident_dates_enc

    issued = workflow.issue(
        org.db, org.sup_a, "E100", draft.row.short_id, expected_version=1, today=TODAY
    )
    assert (issued.state, issued.issued_on, issued.live_until, issued.issued_by) == (
        S.ISSUED,
        TODAY,
        date(2025, 12, 2),
        "sup-a",
    )
    with pytest.raises(ValidationFailed, match="witness is named only when"):
        workflow.acknowledge(
            org.db,
            org.sup_a,
            "E100",
            draft.id,
            Acknowledged(Acknowledgement.SIGNED, TODAY, "Jean Témoin"),
            expected_version=issued.version,
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="witness's name must not be empty"):
        workflow.acknowledge(
            org.db,
            org.sup_a,
            "E100",
            draft.id,
            Acknowledged(Acknowledgement.REFUSED, TODAY),
            expected_version=issued.version,
            today=TODAY,
        )
    acked = workflow.acknowledge(
        org.db,
        org.sup_a,
        "E100",
        draft.id,
        Acknowledged(Acknowledgement.REFUSED, TODAY, "Jean Témoin"),
        expected_version=issued.version,
        today=TODAY,
    )
    assert (acked.state, acked.acknowledgement) == (S.ACKNOWLEDGED, Acknowledgement.REFUSED)
    assert b"Jean" not in (stored(org, draft.id).witness_enc or b"")
    note = workflow.annotate(org.db, org.sup_a, "E100", draft.id, "Talked again, better now")
    assert (note.author, note.text) == ("sup-a", "Talked again, better now")

    shown = discipline.get_record(org.db, org.hr, "E100", draft.id, date(2025, 12, 2))
    assert (shown.witness, shown.row.state, shown.row.state_today) == (
        "Jean Témoin",
        S.ACKNOWLEDGED,
        "expired",
    )
    assert shown.row.effective_state(date(2025, 12, 1)) == "acknowledged"
    assert [n.text for n in shown.notes] == ["Talked again, better now"]
    (listed,) = discipline.list_records(org.db, org.sup_a, "E100", TODAY)
    assert (listed.id, listed.version, listed.state_today) == (
        draft.id,
        acked.version,
        "acknowledged",
    )
    assert audit_rows(org) == [
        ("discipline.create", "sup-a", "ok"),
        ("discipline.issue", "sup-a", "ok"),
        ("discipline.acknowledge", "sup-a", "ok"),
        ("discipline.annotate", "sup-a", "ok"),
        ("discipline.view", "hr", "ok"),
        ("discipline.list", "sup-a", "ok"),
    ]
    with org.db.transaction() as session:
        text = session.scalars(select(DisciplineNote.text_enc)).one()
    assert b"Talked" not in text


def test_a_final_warning_is_approved_by_someone_else_before_it_is_issued(org: Org) -> None:
    add_associate(org)
    reason = "Threatened a customer; coaching would not match the gravity"
    draft = discipline.create_record(
        org.db, org.sup_a, "E100", new_record(FINAL, deviation_reason=reason), TODAY
    )
    assert (draft.row.suggested_level_id, draft.deviation_reason) == (COACHING, reason)
    with pytest.raises(ValidationFailed, match="submit the draft first"):
        workflow.issue(org.db, org.sup_a, "E100", draft.id, expected_version=1, today=TODAY)
    submitted_at = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    pending = workflow.submit(
        org.db, org.sup_a, "E100", draft.id, expected_version=1, today=TODAY, now=submitted_at
    )
    assert (pending.state, pending.submitted_at) == (S.PENDING_APPROVAL, submitted_at)
    with pytest.raises(PermissionDenied, match=r"may not do discipline\.approve"):
        workflow.approve(org.db, org.sup_a, "E100", draft.id, expected_version=2, today=TODAY)
    back = workflow.send_back(
        org.db,
        org.manager,
        "E100",
        draft.id,
        "Name the customer complaint number",
        expected_version=2,
        today=TODAY,
    )
    assert (back.state, back.submitted_at) == (S.DRAFT, None)
    edited = discipline.update_draft(
        org.db,
        org.sup_a,
        "E100",
        draft.id,
        DisciplineChanges(expectation="Complaint C-12"),
        expected_version=back.version,
        today=TODAY,
    )
    assert edited.decision_comment == "Name the customer complaint number"
    again = workflow.submit(
        org.db, org.sup_a, "E100", draft.id, expected_version=edited.version, today=TODAY
    )
    approved = workflow.approve(
        org.db, org.manager, "E100", draft.id, expected_version=again.version, today=TODAY
    )
    assert approved.state is S.APPROVED
    issued = workflow.issue(
        org.db, org.sup_a, "E100", draft.id, expected_version=approved.version, today=TODAY
    )
    assert (issued.state, issued.live_until) == (S.ISSUED, date(2026, 6, 2))
    detail = discipline.get_record(org.db, org.sup_a, "E100", draft.id, TODAY)
    assert (detail.decided_by, detail.decision_comment) == ("manager", None)
    assert [a for a, _, _ in audit_rows(org)][:7] == [
        "discipline.create",
        "discipline.submit",
        "discipline.approve",  # sup-a, denied
        "discipline.send_back",
        "discipline.update",
        "discipline.submit",
        "discipline.approve",
    ]


def test_nobody_approves_their_own_record_and_the_refusal_is_audited(org: Org) -> None:
    add_associate(org)
    draft = discipline.create_record(
        org.db, org.manager, "E100", new_record(TERMINATION, deviation_reason="Theft"), TODAY
    )
    workflow.submit(org.db, org.manager, "E100", draft.id, expected_version=1, today=TODAY)
    with pytest.raises(PermissionDenied, match="nobody approves their own record"):
        workflow.approve(org.db, org.manager, "E100", draft.id, expected_version=2, today=TODAY)
    with pytest.raises(PermissionDenied, match="nobody approves their own record"):
        workflow.send_back(
            org.db, org.manager, "E100", draft.id, "no", expected_version=2, today=TODAY
        )
    assert stored(org, draft.id).state is S.PENDING_APPROVAL
    assert stored(org, draft.id).version == 2
    assert audit_rows(org)[-2:] == [
        ("discipline.approve", "manager", "denied"),
        ("discipline.send_back", "manager", "denied"),
    ]
    approved = workflow.approve(
        org.db, org.hr, "E100", draft.id, expected_version=2, today=TODAY, comment="Agreed"
    )
    issued = workflow.issue(
        org.db, org.manager, "E100", draft.id, expected_version=approved.version, today=TODAY
    )
    assert (issued.live_until, issued.state_today) == (None, "issued")
