"""HR's discipline levels: the defaults, adding, renaming, re-timing, retiring, and who may."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from crmsup.records.discipline import levels, workflow
from crmsup.records.discipline import service as discipline
from crmsup.records.discipline.dto import LevelChange, NewDiscipline, NewLevel
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.errors import PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org, add_associate

COACHING, VERBAL, WRITTEN = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
TODAY = date(2025, 6, 2)


def _shape(org: Org) -> list[tuple[int, str, int | None, bool, bool]]:
    return [
        (lv.rank, lv.name, lv.live_months, lv.needs_approval, lv.active)
        for lv in levels.list_levels(org.db, org.sup_a)
    ]


def _issue(org: Org, level: uuid.UUID, deviation_reason: str | None = None) -> uuid.UUID:
    new = NewDiscipline(
        DisciplineCategory.POLICY,
        level,
        (TODAY,),
        "Shared a password with a colleague",
        deviation_reason=deviation_reason,
    )
    draft = discipline.create_record(org.db, org.sup_a, "E100", new, TODAY)
    workflow.issue(org.db, org.sup_a, "E100", draft.id, expected_version=1, today=TODAY)
    return draft.id


def test_the_defaults_are_seeded_and_anyone_who_reads_discipline_lists_them(org: Org) -> None:
    assert _shape(org) == [
        (1, "coaching", 6, False, True),
        (2, "verbal warning", 9, False, True),
        (3, "written warning", 12, False, True),
        (4, "final written warning", 12, True, True),
        (5, "termination", None, True, True),
    ]
    with pytest.raises(PermissionDenied):
        levels.list_levels(org.db, org.admin)


def test_hr_inserts_a_level_and_the_suggestion_climbs_through_it(org: Org) -> None:
    add_associate(org)
    added = levels.add_level(org.db, org.hr, NewLevel("Second verbal warning", 9, position=3))
    assert (added.rank, added.version, added.active) == (3, 1, True)
    assert [name for _, name, *_ in _shape(org)] == [
        "coaching",
        "verbal warning",
        "Second verbal warning",
        "written warning",
        "final written warning",
        "termination",
    ]
    _issue(org, VERBAL, deviation_reason="Repeated after a written reminder")
    suggested = discipline.suggest_level(
        org.db, org.sup_a, "E100", DisciplineCategory.POLICY, TODAY
    )
    assert suggested.level.id == added.id
    with org.db.transaction() as session:
        (details,) = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "discipline_level.add")
        )
    assert len(json.loads(details)["moved_up"]) == 3
    with pytest.raises(ValidationFailed, match="already a level named 'coaching'"):
        levels.add_level(org.db, org.hr, NewLevel("Coaching", 3))
    with pytest.raises(ValidationFailed, match="rank from 1 to 7"):
        levels.add_level(org.db, org.hr, NewLevel("Reminder", 3, position=9))
    with pytest.raises(ValidationFailed, match="live period is 1 to 600 months"):
        levels.add_level(org.db, org.hr, NewLevel("Reminder", 0))
    top = levels.add_level(org.db, org.hr, NewLevel("Summary dismissal", None, True))
    assert top.rank == 7


def test_hr_renames_re_times_and_retires_under_version_checks(org: Org) -> None:
    add_associate(org)
    issued = _issue(org, COACHING)
    renamed = levels.change_level(
        org.db,
        org.hr,
        COACHING,
        LevelChange(name="Informal coaching", live_months=3),
        expected_version=1,
    )
    assert (renamed.name, renamed.live_months, renamed.version) == ("Informal coaching", 3, 2)
    # The record issued before keeps the live period it was issued with.
    (row,) = discipline.list_records(org.db, org.sup_a, "E100", TODAY)
    assert (row.id, row.live_until, row.level) == (issued, date(2025, 12, 2), "Informal coaching")
    with pytest.raises(StaleEdit, match=r"level 'Informal coaching' was changed by hr"):
        levels.change_level(org.db, org.hr, COACHING, LevelChange(active=False), expected_version=1)
    forever = levels.change_level(
        org.db,
        org.hr,
        WRITTEN,
        LevelChange(never_expires=True, needs_approval=True),
        expected_version=1,
    )
    assert (forever.live_months, forever.needs_approval) == (None, True)
    with pytest.raises(ValidationFailed, match="not both"):
        levels.change_level(
            org.db,
            org.hr,
            WRITTEN,
            LevelChange(never_expires=True, live_months=2),
            expected_version=2,
        )
    same = levels.change_level(
        org.db, org.hr, WRITTEN, LevelChange(live_months=None), expected_version=2
    )
    assert same.version == 2

    retired = levels.change_level(
        org.db, org.hr, VERBAL, LevelChange(active=False), expected_version=1
    )
    assert not retired.active
    suggestion = discipline.suggest_level(
        org.db, org.sup_a, "E100", DisciplineCategory.POLICY, TODAY
    )
    assert suggestion.level.id == WRITTEN  # the retired verbal warning is skipped
    new = NewDiscipline(
        DisciplineCategory.CONDUCT, VERBAL, (TODAY,), "Late", deviation_reason="Because"
    )
    with pytest.raises(ValidationFailed, match="'verbal warning' is retired"):
        discipline.create_record(org.db, org.sup_a, "E100", new, TODAY)

    for lv in levels.list_levels(org.db, org.hr):
        if lv.active and lv.id != WRITTEN:
            levels.change_level(
                org.db, org.hr, lv.id, LevelChange(active=False), expected_version=lv.version
            )
    with pytest.raises(ValidationFailed, match="last active level"):
        levels.change_level(org.db, org.hr, WRITTEN, LevelChange(active=False), expected_version=2)
    assert [active for *_, active in _shape(org)].count(True) == 1


def test_only_hr_configures_levels_and_refusals_are_audited(org: Org) -> None:
    for actor in (org.manager, org.sup_a, org.admin):
        with pytest.raises(PermissionDenied, match=r"may not do discipline\.levels"):
            levels.add_level(org.db, actor, NewLevel("Reminder", 3))
        with pytest.raises(PermissionDenied):
            levels.change_level(org.db, actor, COACHING, LevelChange(name="x"), expected_version=1)
    with org.db.transaction() as session:
        denied = list(
            session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.action.startswith("discipline_level."),
                    AuditEntry.outcome == "denied",
                )
            )
        )
    assert len(denied) == 6
    assert len(_shape(org)) == 5
