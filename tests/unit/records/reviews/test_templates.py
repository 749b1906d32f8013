"""Review templates as HR keeps them: create, read, edit while unused, a new version once
used, retire and reactivate; refusals audited, stale edits refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.reviews import templates
from crmsup.records.reviews.dto import CompetencySpec, TemplateSpec
from crmsup.records.reviews.models import ReviewCompetency, ReviewTemplate
from tests.factories import Org, add_associate
from tests.unit.records.reviews.matrix import COMPETENCIES, SCALE, draft, new_template, spec


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def _counts(org: Org) -> tuple[int, int]:
    with org.db.transaction() as session:
        made = session.scalar(select(func.count()).select_from(ReviewTemplate)) or 0
        lines = session.scalar(select(func.count()).select_from(ReviewCompetency)) or 0
        return made, lines


def test_hr_creates_a_template_that_every_keeper_can_read(org: Org) -> None:
    made = new_template(org)
    assert (made.name, made.scale, made.active, made.reviews, made.version) == (
        "Agent annual",
        SCALE,
        True,
        0,
        1,
    )
    assert [(c.position, c.name, c.weight, c.description) for c in made.competencies] == [
        (1, "Call quality", 3, "Accurate, courteous, first-call resolution"),
        (2, "Teamwork", 2, "Helps colleagues, shares knowledge"),
        (3, "Punctuality", 1, None),
    ]
    for reader in (org.hr, org.manager, org.sup_a):
        assert templates.get_template(org.db, reader, "Agent annual") == made
        assert templates.get_template(org.db, reader, made.id.hex[:8]) == made
        assert templates.list_templates(org.db, reader) == (made,)
    (entry,) = _entries(org, "review_template.create")
    assert (entry.actor_name, entry.entity_id, entry.outcome) == ("hr", str(made.id), "ok")
    assert json.loads(entry.details) == {"competencies": 3}


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_roles_that_keep_no_reviews_may_not_read_templates(org: Org, who: str) -> None:
    new_template(org)
    with pytest.raises(PermissionDenied, match=f"a {getattr(org, who).role.value} may not"):
        templates.list_templates(org.db, getattr(org, who))
    (denied,) = _entries(org, "review_template.view")
    assert (denied.actor_name, denied.outcome) == (getattr(org, who).username, "denied")


@pytest.mark.parametrize("who", ["manager", "sup_a"])
def test_only_hr_maintains_templates(org: Org, who: str) -> None:
    made = new_template(org)
    with pytest.raises(PermissionDenied):
        templates.create_template(org.db, getattr(org, who), spec("Theirs"))
    with pytest.raises(PermissionDenied):
        templates.set_active(org.db, getattr(org, who), made.id, False)
    assert [e.outcome for e in _entries(org, "review_template.create")] == ["ok", "denied"]
    assert [e.outcome for e in _entries(org, "review_template.retire")] == ["denied"]
    assert templates.get_template(org.db, org.hr, made.id).active


def test_invalid_or_duplicate_templates_write_nothing(org: Org) -> None:
    new_template(org)
    before = _counts(org)
    with pytest.raises(ValidationFailed, match="'Agent annual' already exists"):
        new_template(org)
    with pytest.raises(ValidationFailed, match="exactly 5 descriptions"):
        templates.create_template(org.db, org.hr, TemplateSpec("Short", SCALE[:3], COMPETENCIES))
    with pytest.raises(NotFound, match="no review template named or numbered 'Nope'"):
        templates.get_template(org.db, org.hr, "Nope")
    assert _counts(org) == before
    assert len(_entries(org, "review_template.create")) == 1


def test_an_unused_template_is_edited_in_place_and_a_stale_edit_refused(org: Org) -> None:
    made = new_template(org)
    heavier = TemplateSpec(
        "Agent annual", SCALE, (CompetencySpec("Call quality", 5), *COMPETENCIES[1:])
    )
    changed = templates.update_template(
        org.db, org.hr, made.id, heavier, expected_version=made.version
    )
    assert changed.version == made.version + 1  # only a competency changed: still a version
    assert [c.weight for c in changed.competencies] == [5, 2, 1]
    (entry,) = _entries(org, "review_template.update")
    assert json.loads(entry.details) == {"fields": ["competencies"], "version": changed.version}

    with pytest.raises(StaleEdit, match=r"changed by hr at .* since you read it \(version 2"):
        templates.update_template(org.db, org.hr, made.id, spec("Renamed"), expected_version=1)
    assert templates.get_template(org.db, org.hr, made.id) == changed
    unchanged = templates.update_template(org.db, org.hr, made.id, heavier)
    assert unchanged == changed
    assert len(_entries(org, "review_template.update")) == 1


def test_a_used_template_never_changes_a_new_version_replaces_it(org: Org) -> None:
    add_associate(org)
    old = new_template(org)
    draft(org, template=old)
    used = templates.get_template(org.db, org.hr, old.id)
    assert used.reviews == 1
    with pytest.raises(ValidationFailed, match=r"used by 1 review\(s\).*new version"):
        templates.update_template(org.db, org.hr, old.id, spec("Agent annual"))
    assert templates.get_template(org.db, org.hr, old.id) == used

    copy = templates.copy_template(org.db, org.hr, "Agent annual", "Agent annual 2026")
    assert (copy.scale, copy.reviews) == (old.scale, 0)
    assert [(c.name, c.weight) for c in copy.competencies] == [
        (c.name, c.weight) for c in old.competencies
    ]
    fewer = TemplateSpec("Agent annual 2026", SCALE, COMPETENCIES[:2])
    edited = templates.update_template(org.db, org.hr, copy.id, fewer)
    assert len(edited.competencies) == 2

    retired = templates.set_active(org.db, org.hr, old.id, False, expected_version=used.version)
    assert (retired.active, retired.version) == (False, used.version + 1)
    assert templates.list_templates(org.db, org.sup_a) == (edited,)
    assert templates.list_templates(org.db, org.hr, include_retired=True) == (retired, edited)
    with pytest.raises(ValidationFailed, match="is retired: write new reviews on a current one"):
        draft(org, template=retired)
    with pytest.raises(StaleEdit):
        templates.set_active(org.db, org.hr, old.id, True, expected_version=used.version)
    back = templates.set_active(org.db, org.hr, old.id, True)
    assert back.active
    assert templates.set_active(org.db, org.hr, old.id, True) == back  # already: no new entry
    assert [len(_entries(org, f"review_template.{a}")) for a in ("retire", "reactivate")] == [1, 1]
