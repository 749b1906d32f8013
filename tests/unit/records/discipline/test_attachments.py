"""Encrypted files attached to an associate's records."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from crmsup.records import schema
from crmsup.records.discipline import attachments
from crmsup.records.discipline import service as discipline
from crmsup.records.discipline.dto import NewDiscipline
from crmsup.records.discipline.models import Attachment, DisciplineCategory
from crmsup.records.errors import NotFound, PermissionDenied, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.reviews.models import Review, ReviewKind, ReviewTemplate
from tests.factories import Org, add_associate

TODAY = date(2025, 6, 2)
NOTICE = b"%PDF-1.7 signed notice of Orjan Boe " + bytes(range(256)) * 4
RECORDS = "discipline_records"


def test_each_attachable_area_names_a_stored_table_of_the_associates_records() -> None:
    # Named by table, not imported: a renamed table would leave attaching to find nothing.
    for name, area in attachments.AREAS.items():
        stored = schema.METADATA.tables[name]
        assert area.table == name
        assert {"id", "associate_id"} <= set(stored.columns.keys()), name
    assert set(attachments.AREAS) == {"discipline_records", "reviews", "recommendations"}


def _draft(org: Org) -> uuid.UUID:
    new = NewDiscipline(
        DisciplineCategory.ATTENDANCE, uuid.UUID(int=1), (TODAY,), "Late three times"
    )
    return discipline.create_record(org.db, org.sup_a, "E100", new, TODAY).id


def _actions(org: Org) -> list[tuple[str, str | None, str]]:
    with org.db.transaction() as session:
        query = (
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.outcome, AuditEntry.details)
            .where(
                AuditEntry.action.in_(
                    ["discipline.attach", "attachment.view", "attachment.list", "review.attach"]
                )
            )
            .order_by(AuditEntry.sequence)
        )
        rows = list(session.execute(query))
    assert not any("notice" in (details or "") for *_, details in rows)
    return [(action, who, outcome) for action, who, outcome, _ in rows]


def test_a_signed_notice_is_attached_listed_and_opened(org: Org) -> None:
    add_associate(org)
    record = _draft(org)
    info = attachments.attach(
        org.db, org.sup_a, "E100", RECORDS, record.hex[:8], "C:\\scans\\notice 2025.pdf", NOTICE
    )
    assert (info.filename, info.media_type, info.size, info.added_by, info.record_id) == (
        "notice 2025.pdf",
        "application/pdf",
        len(NOTICE),
        "sup-a",
        record,
    )
    with org.db.transaction() as session:
        stored = session.get_one(Attachment, info.id)
        assert b"signed notice" not in stored.content_enc
        assert b"notice 2025" not in stored.filename_enc
    listed = attachments.list_attachments(org.db, org.manager, "E100", RECORDS, record)
    assert listed == (info,)
    opened = attachments.open_attachment(org.db, org.hr, "E100", info.short_id)
    assert (opened.content, opened.info) == (NOTICE, info)
    shown = discipline.get_record(org.db, org.sup_a, "E100", record, TODAY)
    assert shown.attachments == (info,)
    assert _actions(org) == [
        ("discipline.attach", "sup-a", "ok"),
        ("attachment.list", "manager", "ok"),
        ("attachment.view", "hr", "ok"),
    ]
    # Deleting the draft deletes its files.
    discipline.delete_draft(org.db, org.sup_a, "E100", record, expected_version=1)
    with org.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_files_over_ten_mib_empty_files_and_unknown_records_are_refused(org: Org) -> None:
    add_associate(org)
    record = _draft(org)
    limit = attachments.MAX_BYTES
    exact = attachments.attach(
        org.db, org.sup_a, "E100", RECORDS, record, "scan.tif", b"\0" * limit
    )
    assert (exact.size, exact.media_type) == (limit, "image/tiff")
    with pytest.raises(
        ValidationFailed, match=r"the file is 10\.0 MiB; attachments are limited to 10 MiB"
    ):
        attachments.attach(
            org.db, org.sup_a, "E100", RECORDS, record, "big.tif", b"\0" * (limit + 1)
        )
    with pytest.raises(ValidationFailed, match="the file is empty"):
        attachments.attach(org.db, org.sup_a, "E100", RECORDS, record, "empty.txt", b"")
    with pytest.raises(ValidationFailed, match="files are attached to records of"):
        attachments.attach(org.db, org.sup_a, "E100", "associates", record, "a.txt", b"x")
    with pytest.raises(ValidationFailed, match="media type is written type/subtype"):
        attachments.attach(org.db, org.sup_a, "E100", RECORDS, record, "a", b"x", media_type="pdf")
    with pytest.raises(NotFound, match="has no reviews record"):
        attachments.attach(org.db, org.sup_a, "E100", "reviews", record, "a.txt", b"x")
    with pytest.raises(NotFound, match="has no attachment"):
        attachments.open_attachment(org.db, org.sup_a, "E100", uuid.uuid4().hex)
    with org.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_a_review_takes_attachments_under_the_review_permissions(org: Org) -> None:
    associate = add_associate(org)
    with org.db.transaction() as session:
        template = ReviewTemplate(name="Annual", scale='["1","2","3","4","5"]')
        session.add(template)
        session.flush()
        review = Review(
            associate_id=associate.id,
            template_id=template.id,
            kind=ReviewKind.ANNUAL,
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            reviewer_id=org.sup_a.user_id,
        )
        session.add(review)
        session.flush()
        review_id = review.id
    info = attachments.attach(org.db, org.sup_a, "E100", "reviews", review_id, "self.txt", b"ok")
    assert (info.record_type, info.media_type) == ("reviews", "text/plain")
    assert attachments.list_attachments(org.db, org.sup_a, "E100", "reviews", review_id) == (info,)
    assert _actions(org)[0] == ("review.attach", "sup-a", "ok")


def test_outsiders_are_refused_and_audited(org: Org) -> None:
    add_associate(org)
    record = _draft(org)
    info = attachments.attach(org.db, org.sup_a, "E100", RECORDS, record, "n.pdf", NOTICE)
    for actor in (org.sup_b, org.admin, org.auditor):
        with pytest.raises(PermissionDenied):
            attachments.attach(org.db, actor, "E100", RECORDS, record, "n.pdf", NOTICE)
        with pytest.raises(PermissionDenied):
            attachments.open_attachment(org.db, actor, "E100", info.id)
    refused = [(a, who) for a, who, outcome in _actions(org) if outcome == "denied"]
    assert refused == [
        ("discipline.attach", "sup-b"),
        ("attachment.view", "sup-b"),
        ("discipline.attach", "root"),
        ("attachment.view", "root"),
        ("discipline.attach", "auditor"),
        ("attachment.view", "auditor"),
    ]
