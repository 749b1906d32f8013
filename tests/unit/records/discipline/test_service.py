"""Discipline drafts and the suggested level: validation, version checks, and refusals that
change nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from crmsup.records.discipline import service as discipline
from crmsup.records.discipline import workflow
from crmsup.records.discipline.dto import CLEAR, DisciplineChanges
from crmsup.records.discipline.models import DisciplineCategory, DisciplineState
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org, add_associate
from tests.helpers.discipline import (
    FACTS,
    TODAY,
    VERBAL,
    WRITTEN,
    audit_rows,
    issue_coaching,
    new_record,
    stored,
)

CONDUCT = DisciplineCategory.CONDUCT
S = DisciplineState


def test_another_level_than_the_suggestion_needs_a_reason_and_writes_nothing(org: Org) -> None:
    add_associate(org)
    with pytest.raises(ValidationFailed, match="the suggested level is 'coaching'"):
        discipline.create_record(org.db, org.sup_a, "E100", new_record(WRITTEN), TODAY)
    with pytest.raises(ValidationFailed, match="needs the description"):
        discipline.create_record(org.db, org.sup_a, "E100", new_record(description="  "), TODAY)
    with pytest.raises(ValidationFailed, match="in the future"):
        discipline.create_record(
            org.db, org.sup_a, "E100", new_record(incident_dates=(date(2025, 6, 3),)), TODAY
        )
    with pytest.raises(ValidationFailed, match="follow-up date is before the last incident"):
        discipline.create_record(
            org.db, org.sup_a, "E100", new_record(follow_up_on=date(2025, 5, 1)), TODAY
        )
    with pytest.raises(NotFound):
        discipline.create_record(org.db, org.sup_a, "E999", new_record(), TODAY)
    assert discipline.list_records(org.db, org.sup_a, "E100", TODAY) == ()
    assert [a for a, _, _ in audit_rows(org)] == ["discipline.list"]


def test_the_suggestion_follows_live_records_across_the_boundary(org: Org) -> None:
    add_associate(org)
    coaching = issue_coaching(org, date(2025, 1, 31))  # live until 2025-07-31
    assert coaching.live_until == date(2025, 7, 31)
    day_before = discipline.suggest_level(org.db, org.sup_a, "E100", CONDUCT, date(2025, 7, 30))
    assert (day_before.level.name, day_before.live_records) == ("verbal warning", (coaching.id,))
    assert day_before.highest_live is not None
    assert day_before.highest_live.name == "coaching"
    ended = discipline.suggest_level(org.db, org.sup_a, "E100", CONDUCT, date(2025, 7, 31))
    assert (ended.level.name, ended.highest_live, ended.live_records) == ("coaching", None, ())
    other = discipline.suggest_level(
        org.db, org.sup_a, "E100", DisciplineCategory.ATTENDANCE, date(2025, 3, 1)
    )
    assert other.level.name == "coaching"
    # A verbal warning while the coaching is live is the suggestion: no reason needed.
    verbal = discipline.create_record(
        org.db,
        org.sup_a,
        "E100",
        new_record(VERBAL, incident_dates=(date(2025, 2, 27),)),
        date(2025, 3, 1),
    )
    assert verbal.row.suggested_level_id == VERBAL
    workflow.rescind(
        org.db,
        org.hr,
        "E100",
        coaching.id,
        "Wrong associate",
        expected_version=coaching.version,
        today=date(2025, 3, 2),
    )
    after = discipline.suggest_level(org.db, org.sup_a, "E100", CONDUCT, date(2025, 3, 2))
    assert after.level.name == "coaching"
    # The draft's level is checked again when it changes.
    with pytest.raises(ValidationFailed, match="the suggested level is 'coaching'"):
        discipline.update_draft(
            org.db,
            org.sup_a,
            "E100",
            verbal.id,
            DisciplineChanges(level_id=WRITTEN),
            expected_version=1,
            today=date(2025, 3, 2),
        )


def test_drafts_are_edited_under_version_checks_and_deleted(org: Org) -> None:
    add_associate(org)
    draft = discipline.create_record(
        org.db, org.sup_a, "E100", new_record(follow_up_on=date(2025, 6, 30)), TODAY
    )
    edited = discipline.update_draft(
        org.db,
        org.hr,
        "E100",
        draft.id,
        DisciplineChanges(
            description=FACTS + ".", statement="I was provoked", follow_up_on=CLEAR, expectation=""
        ),
        expected_version=1,
        today=TODAY,
    )
    assert (edited.description, edited.statement, edited.row.follow_up_on) == (
        FACTS + ".",
        "I was provoked",
        None,
    )
    assert edited.version == 2
    with pytest.raises(StaleEdit, match=r"changed by hr .* \(version 2, you read 1\)"):
        discipline.update_draft(
            org.db,
            org.sup_a,
            "E100",
            draft.id,
            DisciplineChanges(statement="x"),
            expected_version=1,
            today=TODAY,
        )
    unchanged = discipline.update_draft(
        org.db,
        org.sup_a,
        "E100",
        draft.id,
        DisciplineChanges(statement="I was provoked"),
        expected_version=2,
        today=TODAY,
    )
    assert unchanged.version == 2
    with org.db.transaction() as session:
        (details,) = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "discipline.update")
        )
    assert json.loads(details)["fields"] == ["description", "follow_up_on", "statement"]
    with pytest.raises(StaleEdit):
        discipline.delete_draft(org.db, org.sup_a, "E100", draft.id, expected_version=1)
    discipline.delete_draft(org.db, org.sup_a, "E100", draft.id, expected_version=2)
    with pytest.raises(NotFound, match="has no discipline record"):
        discipline.get_record(org.db, org.sup_a, "E100", draft.id, TODAY)

    issued = issue_coaching(org)
    for refused in (
        lambda: discipline.update_draft(
            org.db,
            org.sup_a,
            "E100",
            issued.id,
            DisciplineChanges(statement="x"),
            expected_version=issued.version,
            today=TODAY,
        ),
        lambda: discipline.delete_draft(
            org.db, org.sup_a, "E100", issued.id, expected_version=issued.version
        ),
    ):
        with pytest.raises(ValidationFailed, match="the record is issued"):
            refused()
    assert stored(org, issued.id).version == issued.version


def test_refusals_by_role_scope_state_and_version_change_nothing(org: Org) -> None:
    add_associate(org)
    add_associate(org, "E200", team="Team B")
    issued = issue_coaching(org)
    version = issued.version
    for actor in (org.sup_b, org.admin, org.auditor):
        with pytest.raises(PermissionDenied):
            discipline.create_record(org.db, actor, "E100", new_record(), TODAY)
        with pytest.raises(PermissionDenied):
            discipline.get_record(org.db, actor, "E100", issued.id, TODAY)
    with pytest.raises(PermissionDenied, match=r"may not do discipline\.rescind"):
        workflow.rescind(
            org.db, org.sup_a, "E100", issued.id, "x", expected_version=version, today=TODAY
        )
    with pytest.raises(StaleEdit, match="changed by sup-a"):
        workflow.rescind(
            org.db, org.hr, "E100", issued.id, "x", expected_version=version - 1, today=TODAY
        )
    with pytest.raises(ValidationFailed, match="reason for rescinding must not be empty"):
        workflow.rescind(
            org.db, org.hr, "E100", issued.id, " ", expected_version=version, today=TODAY
        )
    with pytest.raises(ValidationFailed, match="only a record waiting for approval"):
        workflow.approve(org.db, org.hr, "E100", issued.id, expected_version=version, today=TODAY)
    with pytest.raises(ValidationFailed, match="only a draft, or an approved"):
        workflow.issue(org.db, org.sup_a, "E100", issued.id, expected_version=version, today=TODAY)
    with pytest.raises(ValidationFailed, match="the record is issued: only a draft is submitted"):
        workflow.submit(org.db, org.sup_a, "E100", issued.id, expected_version=version, today=TODAY)
    with pytest.raises(NotFound):
        workflow.issue(org.db, org.sup_b, "E200", issued.id, expected_version=version, today=TODAY)
    with pytest.raises(ValidationFailed, match="first 8 or more hex digits"):
        discipline.get_record(org.db, org.sup_a, "E100", "abc", TODAY)
    row = stored(org, issued.id)
    assert (row.state, row.version, row.rescinded_on) == (S.ISSUED, version, None)
    denied = [(a, who) for a, who, outcome in audit_rows(org) if outcome == "denied"]
    assert len(denied) == 7
    assert ("discipline.rescind", "sup-a") in denied
    rescinded = workflow.rescind(
        org.db,
        org.manager,
        "E100",
        issued.id,
        "Issued in error",
        expected_version=version,
        today=TODAY,
    )
    assert rescinded.state is S.RESCINDED
    with pytest.raises(
        ValidationFailed, match="only an issued or acknowledged record is annotated"
    ):
        workflow.annotate(org.db, org.sup_a, "E100", issued.id, "late note")
    shown = discipline.get_record(org.db, org.sup_a, "E100", issued.id, TODAY)
    assert (shown.rescinded_by, shown.rescind_reason) == ("manager", "Issued in error")
