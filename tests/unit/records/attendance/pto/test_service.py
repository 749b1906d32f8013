"""PTO through the services: a job title's rule and an associate's ledger checked against a
hand-computed one, HR's adjustments, and time-off requests through their whole life — each
refusal with a clear message and nothing changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from crmsup.records.attendance import due as attendance_due
from crmsup.records.attendance import service as attendance_service
from crmsup.records.attendance.dto import EventChanges, NewEvent
from crmsup.records.attendance.models import AccrualFrequency, AttendanceKind, PtoRequestState
from crmsup.records.attendance.pto import requests
from crmsup.records.attendance.pto import service as pto_service
from crmsup.records.attendance.pto.dto import AccrualRuleSpec, NewRequest
from crmsup.records.attendance.pto.rules import LineKind
from crmsup.records.errors import PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.people import associates as associate_service
from crmsup.records.people.dto import NewAssociate
from tests.factories import Org
from tests.unit.records.attendance.matrix import TODAY, requested

D = Decimal
RULE = AccrualRuleSpec("Agent", date(2023, 1, 1), AccrualFrequency.MONTHLY, D(10), D(40), D(16), 3)


def _agent(org: Org) -> None:
    new = NewAssociate(
        "E200", "Ada", "Lovelace", "Team A", job_title="Agent", hire_date=date(2023, 9, 15)
    )
    associate_service.add_associate(org.db, org.hr, new)


def test_an_agents_ledger_matches_the_hand_computed_one(org: Org) -> None:
    rule = pto_service.set_accrual_rule(org.db, org.hr, RULE)
    assert (rule.job_title, rule.cap, rule.version) == ("Agent", D(40), 1)
    _agent(org)
    taken = NewEvent(AttendanceKind.PTO_TAKEN, date(2024, 2, 10), hours=D(6))
    attendance_service.record_event(org.db, org.sup_a, "E200", taken, today=TODAY)
    ledger = pto_service.pto_ledger(org.db, org.sup_a, "E200", date(2024, 5, 31))
    assert [(x.on, x.kind.value, x.hours, x.balance) for x in ledger.lines] == [
        (date(2023, 9, 30), "accrual", D(10), D(10)),
        (date(2023, 10, 31), "accrual", D(10), D(20)),
        (date(2023, 11, 30), "accrual", D(10), D(30)),
        (date(2023, 12, 31), "accrual", D(10), D(40)),
        (date(2024, 1, 1), "forfeit", D(-24), D(16)),
        (date(2024, 1, 31), "accrual", D(10), D(26)),
        (date(2024, 2, 10), "taken", D(-6), D(20)),
        (date(2024, 2, 29), "accrual", D(10), D(30)),
        (date(2024, 3, 31), "accrual", D(10), D(40)),
        (date(2024, 4, 1), "expiry", D(-10), D(30)),
        (date(2024, 4, 30), "accrual", D(10), D(40)),
    ]
    assert (ledger.job_title, ledger.start, ledger.balance) == ("Agent", date(2023, 9, 15), D(40))
    balance = pto_service.pto_balance(org.db, org.manager, "E200", date(2024, 4, 1))
    assert (balance.balance, balance.lowest_ahead) == (D(30), D(30))
    # A rule of the same day is changed in place, guarded by its version.
    with pytest.raises(StaleEdit, match="changed by hr"):
        pto_service.set_accrual_rule(org.db, org.hr, RULE, expected_version=7)
    assert [r.version for r in pto_service.accrual_rules(org.db, org.sup_a, "Agent")] == [1]
    with pytest.raises(PermissionDenied):
        pto_service.set_accrual_rule(org.db, org.sup_a, RULE)


def test_adjustments_are_hrs_with_a_sealed_reason(org: Org) -> None:
    request = requested(org)  # 40 hours adjusted in by HR, 16 requested
    assert request.state is PtoRequestState.REQUESTED
    with pytest.raises(PermissionDenied):
        pto_service.adjust_balance(org.db, org.sup_a, "E100", D(8), TODAY, "Bonus day")
    with pytest.raises(ValidationFailed, match="needs its reason"):
        pto_service.adjust_balance(org.db, org.hr, "E100", D(8), TODAY, "  ")
    with org.db.transaction() as session:
        details = session.scalars(
            select(AuditEntry.details).where(
                AuditEntry.action == "pto.adjust", AuditEntry.outcome == "ok"
            )
        ).all()
    assert len(details) == 1
    assert "Opening" not in (details[0] or "")
    ledger = pto_service.pto_ledger(org.db, org.hr, "E100", TODAY)
    assert [(x.kind, x.hours) for x in ledger.lines] == [(LineKind.ADJUSTMENT, D(40))]


def test_a_request_is_approved_against_the_projected_balance(org: Org) -> None:
    first = requested(org, "24", org.sup_a)
    assert (first.comment, first.filed_by) == ("Family wedding", "sup-a")
    second = requests.file_request(
        org.db,
        org.sup_a,
        "E100",
        NewRequest(date(2025, 5, 5), date(2025, 5, 6), D(16)),
        today=TODAY,
    )
    approved = requests.approve_request(
        org.db, org.sup_a, "E100", first.short_id, comment="Enjoy", expected_version=1
    )
    assert (approved.state, approved.decided_by, approved.decision_comment) == (
        PtoRequestState.APPROVED,
        "sup-a",
        "Enjoy",
    )
    # 40 - 24 leaves 16: the second fits exactly; a third hour would not.
    with pytest.raises(ValidationFailed, match="not enough PTO"):
        requests.file_request(
            org.db,
            org.sup_a,
            "E100",
            NewRequest(date(2025, 6, 2), date(2025, 6, 2), D(17)),
            today=TODAY,
        )
    assert pto_service.pto_balance(org.db, org.sup_a, "E100", TODAY).lowest_ahead == D(16)
    due = attendance_due.due_items(org.db, org.sup_a, TODAY)
    assert [(d.kind, d.record_id) for d in due] == [("pto.request", second.id)]
    denied = requests.deny_request(org.db, org.manager, "E100", second.id, expected_version=1)
    assert denied.state is PtoRequestState.DENIED
    with pytest.raises(ValidationFailed, match="a denied request cannot be approved"):
        requests.approve_request(org.db, org.hr, "E100", second.id)
    assert attendance_due.due_items(org.db, org.sup_a, TODAY) == ()


def test_refusals_leave_the_request_as_it_was(org: Org) -> None:
    request = requested(org)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        requests.approve_request(org.db, org.sup_b, "E100", request.id)
    with pytest.raises(PermissionDenied):
        requests.approve_request(org.db, org.auditor, "E100", request.id)
    with pytest.raises(StaleEdit, match=r"time-off request .* changed by hr"):
        requests.approve_request(org.db, org.sup_a, "E100", request.id, expected_version=2)
    with pytest.raises(ValidationFailed, match="before its first day"):
        requests.file_request(
            org.db,
            org.sup_a,
            "E100",
            NewRequest(date(2025, 3, 1), date(2025, 3, 2), D(8)),
            today=TODAY,
        )
    assert (
        requests.get_request(org.db, org.hr, "E100", request.id).state is PtoRequestState.REQUESTED
    )
    with org.db.transaction() as session:
        denied = session.scalars(
            select(AuditEntry.action).where(AuditEntry.outcome == "denied")
        ).all()
    assert denied == ["pto.request.approve", "pto.request.approve"]


def test_cancelling_returns_the_hours_until_the_first_day(org: Org) -> None:
    request = requested(org)
    requests.approve_request(org.db, org.sup_a, "E100", request.id)
    assert pto_service.pto_balance(org.db, org.hr, "E100", date(2025, 4, 7)).balance == D(24)
    with pytest.raises(ValidationFailed, match="once its first day has come"):
        requests.cancel_request(org.db, org.sup_a, "E100", request.id, today=date(2025, 4, 7))
    cancelled = requests.cancel_request(
        org.db,
        org.sup_a,
        "E100",
        request.id,
        today=TODAY,
        comment="Wedding moved",
        expected_version=2,
    )
    assert (cancelled.state, cancelled.decision_comment) == (
        PtoRequestState.CANCELLED,
        "Wedding moved",
    )
    assert pto_service.pto_balance(org.db, org.hr, "E100", date(2025, 4, 7)).balance == D(40)
    listed = requests.list_requests(org.db, org.sup_a, "E100")
    assert [(r.id, r.state, r.comment) for r in listed] == [
        (request.id, PtoRequestState.CANCELLED, None)
    ]


def test_pto_taken_on_a_day_an_approved_request_books_is_refused(org: Org) -> None:
    request = requested(org, "16", org.sup_a)  # 7-8 April 2025
    requests.approve_request(org.db, org.sup_a, "E100", request.id, expected_version=1)
    after = date(2025, 4, 9)
    taken = NewEvent(AttendanceKind.PTO_TAKEN, date(2025, 4, 8), hours=D(8))
    with pytest.raises(ValidationFailed, match=f"already booked by .*{request.short_id}"):
        attendance_service.record_event(org.db, org.sup_a, "E100", taken, today=after)
    assert attendance_service.list_events(org.db, org.sup_a, "E100") == ()
    # The day after the request is not booked; moving that event onto a booked day is refused.
    event = attendance_service.record_event(
        org.db,
        org.sup_a,
        "E100",
        NewEvent(AttendanceKind.PTO_TAKEN, after, hours=D(8)),
        today=after,
    )
    with pytest.raises(ValidationFailed, match="already booked"):
        attendance_service.update_event(
            org.db,
            org.sup_a,
            "E100",
            event.id,
            EventChanges(occurred_on=date(2025, 4, 7)),
            today=after,
        )
    assert pto_service.pto_balance(org.db, org.sup_a, "E100", after).balance == D(16)
