"""When reviews are due: the overdue list per supervisor and the inbox items, in scope,
from plain columns."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.people import associates as associate_service
from crmsup.records.people import status as status_service
from crmsup.records.people.dto import NewAssociate
from crmsup.records.reviews import service as reviews
from crmsup.records.reviews.dto import ReviewDetail, TemplateDetail
from crmsup.records.reviews.models import ReviewKind
from tests.factories import Org
from tests.unit.records.reviews.matrix import draft, new_template, rate_all

TODAY = date(2025, 3, 10)


def _hire(org: Org, number: str, hired: date | None, team: str = "Team A") -> None:
    associate_service.add_associate(
        org.db, org.hr, NewAssociate(number, "Given", "Family", team, hire_date=hired)
    )


def _through(
    org: Org,
    number: str,
    template: TemplateDetail,
    kind: ReviewKind,
    submitted: date,
    acknowledged: date | None = None,
    finalised: date | None = None,
) -> ReviewDetail:
    review = rate_all(org, draft(org, employee_no=number, template=template, kind=kind))
    at = datetime(submitted.year, submitted.month, submitted.day, 12, tzinfo=UTC)
    review = reviews.submit_review(org.db, org.hr, number, review.id, now=at)
    if acknowledged is not None:
        review = reviews.acknowledge_review(
            org.db, org.hr, number, review.id, acknowledged_on=acknowledged, today=acknowledged
        )
    if finalised is not None:
        review = reviews.finalise_review(org.db, org.hr, number, review.id, today=finalised)
    return review


def _organisation(org: Org) -> dict[str, ReviewDetail]:
    """Team A: E100 (hired 2023-05-10, a review waiting for acknowledgement), E101 (hired on
    a leap day, a finalised probation review that does not count), E102 (annual review
    finalised 2024-03-20), E103 (terminated), E104 (on leave since hired 2023-01-01, a review
    waiting for HR), E105 (no hire date, added 2023-03-10). Team B: E200 (hired 2023-06-01)."""
    template = new_template(org)
    for number, hired in (
        ("E100", date(2023, 5, 10)),
        ("E101", date(2024, 2, 29)),
        ("E102", date(2020, 1, 1)),
        ("E103", date(2020, 1, 1)),
        ("E104", date(2023, 1, 1)),
        ("E105", None),
    ):
        _hire(org, number, hired)
    _hire(org, "E200", date(2023, 6, 1), team="Team B")
    with org.db.transaction() as session:
        session.execute(
            update(Associate)
            .where(Associate.employee_no == "E105")
            .values(created_at=datetime(2023, 3, 10, 23, 30, tzinfo=UTC))
        )
    status_service.set_status(
        org.db, org.hr, "E103", AssociateStatus.TERMINATED, termination_date=date(2021, 1, 1)
    )
    status_service.set_status(org.db, org.hr, "E104", AssociateStatus.LEAVE)
    annual, probation = ReviewKind.ANNUAL, ReviewKind.PROBATION
    return {
        "E101": _through(
            org, "E101", template, probation, date(2024, 6, 1), date(2024, 6, 2), date(2024, 6, 3)
        ),
        "E102": _through(
            org, "E102", template, annual, date(2024, 3, 1), date(2024, 3, 10), date(2024, 3, 20)
        ),
        "E100": _through(org, "E100", template, annual, date(2025, 3, 1)),
        "E104": _through(org, "E104", template, annual, date(2025, 3, 2), date(2025, 3, 5)),
    }


def test_overdue_reviews_per_supervisor_in_scope(org: Org) -> None:
    _organisation(org)
    rows = reviews.overdue_reviews(org.db, org.hr, TODAY)
    assert [(r.team, r.supervisors, r.employee_no, r.due_on, r.days_overdue) for r in rows] == [
        ("Team A", ("sup-a",), "E104", date(2024, 1, 1), 434),
        ("Team A", ("sup-a",), "E105", date(2024, 3, 10), 365),
        ("Team A", ("sup-a",), "E100", date(2024, 5, 10), 304),
        ("Team A", ("sup-a",), "E101", date(2025, 2, 28), 10),
        ("Team B", ("sup-b",), "E200", date(2024, 6, 1), 282),
    ]
    assert [r.employee_no for r in reviews.overdue_reviews(org.db, org.sup_b, TODAY)] == ["E200"]
    assert [r.employee_no for r in reviews.overdue_reviews(org.db, org.sup_a, TODAY)] == [
        "E104",
        "E105",
        "E100",
        "E101",
    ]
    # A day before E101's leap-day anniversary moves to 28 February, it is not yet overdue.
    early = reviews.overdue_reviews(org.db, org.sup_a, date(2025, 2, 28))
    assert "E101" not in [r.employee_no for r in early]


def test_inbox_items_about_reviews(org: Org) -> None:
    made = _organisation(org)
    items = reviews.due_items(org.db, org.hr, TODAY)
    assert [(i.kind, i.employee_no, i.due_on, i.team) for i in items] == [
        ("review.annual", "E104", date(2024, 1, 1), "Team A"),
        ("review.annual", "E105", date(2024, 3, 10), "Team A"),
        ("review.annual", "E100", date(2024, 5, 10), "Team A"),
        ("review.annual", "E200", date(2024, 6, 1), "Team B"),
        ("review.annual", "E101", date(2025, 2, 28), "Team A"),
        ("review.acknowledgement", "E100", date(2025, 3, 15), "Team A"),
        ("review.finalise", "E104", date(2025, 3, 19), "Team A"),
        ("review.annual", "E102", date(2025, 3, 20), "Team A"),  # due within 30 days
    ]
    waiting = {i.kind: i for i in items if i.record_type == "review"}
    assert waiting["review.acknowledgement"].record_id == made["E100"].id
    assert waiting["review.finalise"].record_id == made["E104"].id
    assert not waiting["review.finalise"].overdue(TODAY)
    assert items[0].overdue(TODAY)

    supervisor = [(i.kind, i.employee_no) for i in reviews.due_items(org.db, org.sup_a, TODAY)]
    assert ("review.acknowledgement", "E100") in supervisor
    assert all(kind != "review.finalise" for kind, _ in supervisor)
    assert all(number != "E200" for _, number in supervisor)
    # 17 February: E102's next review (20 March) is not yet within 30 days.
    assert "E102" not in [
        i.employee_no for i in reviews.due_items(org.db, org.hr, date(2025, 2, 17))
    ]
    assert reviews.due_items(org.db, org.admin, TODAY) == ()
    assert reviews.due_items(org.db, org.auditor, TODAY) == ()
