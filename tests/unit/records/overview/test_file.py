"""Opening an associate's whole file: every record decrypted exactly as opening it alone
would, one audit entry for all of it, refusals audited, and a number of queries that does not
grow with the number of records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from crmsup.records.discipline import attachments as attachment_service
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline import workflow as discipline_workflow
from crmsup.records.errors import NotFound, PermissionDenied
from crmsup.records.models import AssociateStatus, AuditEntry
from crmsup.records.overview import file as associate_file_service
from crmsup.records.overview.file import AssociateFile
from crmsup.records.people import status as status_service
from crmsup.records.recommendations import service as recommendation_service
from crmsup.records.reviews import service as review_service
from crmsup.records.upkeep import erasure as erasure_service
from tests.factories import PASSWORD, Org, add_associate
from tests.helpers.discipline import TODAY, new_record
from tests.unit.records.recommendations.builders import new_draft
from tests.unit.records.reviews.matrix import draft, new_template, rate_all


def _fill(org: Org, records: int, first_month: int = 1) -> None:
    """E100 with `records` more records of each kind: discipline (issued, annotated, the
    first with a file), reviews (rated) and recommendations."""
    template = new_template(org, f"Agent {first_month}")
    for n in range(records):
        on = date(2025, first_month + n, 2)
        new = new_record(incident_dates=(on,), deviation_reason="A first slip in a year")
        created = discipline_service.create_record(org.db, org.sup_a, "E100", new, on)
        row = discipline_workflow.issue(
            org.db, org.sup_a, "E100", created.id, expected_version=1, today=on
        )
        discipline_workflow.annotate(org.db, org.sup_a, "E100", row.id, f"Followed up {n}")
        if n == 0 and first_month == 1:
            attachment_service.attach(
                org.db, org.sup_a, "E100", "discipline_records", row.id, "note.txt", b"signed"
            )
        rate_all(org, draft(org, org.sup_a, template=template), actor=org.sup_a)
        new_draft(org)


def _open(org: Org) -> AssociateFile:
    return associate_file_service.open_file(org.db, org.sup_a, "E100", TODAY)


def test_the_file_holds_each_record_as_opening_it_alone_does(org: Org) -> None:
    add_associate(org)
    _fill(org, 2)
    opened = _open(org)
    assert opened.associate.first_name == "Ørjan"
    assert opened.counts() == {"discipline": 2, "reviews": 2, "recommendations": 2}
    assert opened.discipline is not None
    assert opened.reviews is not None
    assert opened.recommendations is not None
    for record in opened.discipline:
        alone = discipline_service.get_record(org.db, org.sup_a, "E100", record.row.id, TODAY)
        assert record == alone
    assert sum(len(d.attachments) for d in opened.discipline) == 1
    assert all(len(d.notes) == 1 for d in opened.discipline)
    for review in opened.reviews:
        assert review == review_service.get_review(org.db, org.sup_a, "E100", review.id)
        assert review.overall is not None
    for rec in opened.recommendations:
        assert rec == recommendation_service.get_recommendation(org.db, org.sup_a, "E100", rec.id)
    # Newest first in every area.
    issued = [d.row.issued_on or date.min for d in opened.discipline]
    assert issued == sorted(issued, reverse=True)


def test_one_entry_records_the_opening_without_any_content(org: Org) -> None:
    add_associate(org)
    _fill(org, 1)
    _open(org)
    with org.db.transaction() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "associate.file")
        ).one()
    assert (entry.actor_name, entry.entity_type, entry.outcome) == ("sup-a", "associate", "ok")
    assert entry.details == '{"discipline":1,"recommendations":1,"reviews":1}'


@contextmanager
def _statements(org: Org) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(org.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(org.db.engine, "before_cursor_execute", count)


def test_the_number_of_queries_does_not_grow_with_the_file(org: Org) -> None:
    add_associate(org)
    _fill(org, 1)
    with _statements(org) as small:
        _open(org)
    _fill(org, 3, first_month=2)
    with _statements(org) as large:
        assert _open(org).counts()["discipline"] == 4
    assert len(large) == len(small)


def test_another_team_and_roles_that_read_no_file_are_refused_and_audited(org: Org) -> None:
    add_associate(org)
    for actor in (org.sup_b, org.admin, org.auditor):
        with pytest.raises(PermissionDenied):
            associate_file_service.open_file(org.db, actor, "E100", TODAY)
    with org.db.transaction() as session:
        refused = session.scalars(
            select(AuditEntry.actor_name).where(
                AuditEntry.action == "associate.file", AuditEntry.outcome == "denied"
            )
        ).all()
    assert sorted(name or "" for name in refused) == ["auditor", "root", "sup-b"]


def test_an_erased_associate_has_no_file(org: Org) -> None:
    add_associate(org)
    discipline_service.create_record(org.db, org.sup_a, "E100", new_record(), TODAY)
    status_service.set_status(
        org.db, org.hr, "E100", AssociateStatus.TERMINATED, termination_date=date(2020, 1, 31)
    )
    erasure_service.erase_associate(org.db, org.hr, "E100", PASSWORD, early=True)
    with pytest.raises(NotFound, match="erased"):
        associate_file_service.open_file(org.db, org.hr, "E100", TODAY)
