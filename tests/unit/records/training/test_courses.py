"""The course catalogue: HR keeps it, keepers read it, every change audited and locked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.training import courses
from crmsup.records.training.dto import CourseChanges
from crmsup.records.training.models import CourseKind
from tests.factories import Org
from tests.unit.records.training.matrix import AGENT, add_course, course_spec


def _entries(org: Org, action: str) -> int:
    with org.db.transaction() as session:
        query = (
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.outcome == "ok")
        )
        return session.scalar(query) or 0


def test_a_course_lives_added_edited_retired_and_back(org: Org) -> None:
    made = add_course(org)
    assert (made.code, made.hours, made.validity_months, made.job_titles, made.version) == (
        "GDPR-1",
        Decimal("1.50"),
        12,
        (AGENT,),
        1,
    )
    assert courses.list_courses(org.db, org.sup_a) == (made,)
    assert courses.get_course(org.db, org.manager, made.id.hex[:8]) == made

    edited = courses.update_course(
        org.db,
        org.hr,
        "gdpr-1",
        CourseChanges(title="GDPR", hours=Decimal(2), validity_months=0, job_titles=("TL", AGENT)),
        expected_version=1,
    )
    assert (edited.title, edited.hours, edited.validity_months) == ("GDPR", Decimal("2.00"), None)
    assert edited.job_titles == (AGENT, "TL")
    assert edited.version == 2

    titles_only = courses.update_course(
        org.db, org.hr, made.id, CourseChanges(job_titles=("TL",)), expected_version=2
    )
    assert (titles_only.job_titles, titles_only.version) == (("TL",), 3)
    unchanged = courses.update_course(org.db, org.hr, made.id, CourseChanges(title="GDPR"))
    assert unchanged.version == 3
    assert _entries(org, "training_course.update") == 2

    retired = courses.set_course_active(org.db, org.hr, "GDPR-1", False, expected_version=3)
    assert not retired.active
    assert courses.list_courses(org.db, org.hr) == ()
    assert courses.list_courses(org.db, org.hr, include_retired=True) == (retired,)
    back = courses.set_course_active(org.db, org.hr, "GDPR-1", True)
    assert (back.active, back.version) == (True, 5)


def test_a_stale_or_bad_edit_changes_nothing(org: Org) -> None:
    add_course(org)
    courses.update_course(org.db, org.hr, "GDPR-1", CourseChanges(title="New"))
    with pytest.raises(
        StaleEdit, match=r"course GDPR-1 was changed by hr at .*\(version 2, you read 1\)"
    ):
        courses.update_course(
            org.db, org.hr, "GDPR-1", CourseChanges(title="Lost"), expected_version=1
        )
    with pytest.raises(ValidationFailed, match="1 to 120 months"):
        courses.update_course(
            org.db, org.hr, "GDPR-1", CourseChanges(title="Lost", validity_months=500)
        )
    with pytest.raises(ValidationFailed, match="already exists"):
        add_course(org)
    with pytest.raises(ValidationFailed, match="already active"):
        courses.set_course_active(org.db, org.hr, "GDPR-1", True)
    with pytest.raises(NotFound, match="no course"):
        courses.get_course(org.db, org.hr, "NOPE")
    after = courses.get_course(org.db, org.hr, "GDPR-1")
    assert (after.title, after.version, after.validity_months) == ("New", 2, 12)


def test_only_hr_changes_the_catalogue_and_only_keepers_read_it(org: Org) -> None:
    add_course(org)
    with pytest.raises(PermissionDenied):
        courses.create_course(
            org.db, org.sup_a, course_spec("SALES-1", kind=CourseKind.SOFT_SKILLS)
        )
    with pytest.raises(PermissionDenied):
        courses.set_course_active(org.db, org.manager, "GDPR-1", False)
    with pytest.raises(PermissionDenied):
        courses.list_courses(org.db, org.auditor)
    assert _entries(org, "training_course.create") == 1
    with org.db.transaction() as session:
        denied = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "denied")
        )
    assert denied == 3
    assert courses.get_course(org.db, org.hr, "GDPR-1").active
