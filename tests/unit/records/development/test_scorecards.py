"""HR's scorecards: created, revised into a new revision (the old one retired, evaluations
keeping theirs), retired and reactivated; refused for anyone but HR, for a stale version or
a revision that is not the newest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmsup.records.development import scorecards as cards
from crmsup.records.development.dto import ScorecardSpec
from crmsup.records.development.scorecard_rules import ItemSpec
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.models import AuditEntry
from tests.factories import Org
from tests.unit.records.development.matrix import ITEMS, new_scorecard


def test_a_scorecard_is_revised_retired_and_reactivated(org: Org) -> None:
    first = new_scorecard(org)
    assert (first.revision, first.active, first.evaluations) == (1, True, 0)
    assert [(i.position, i.weight, i.auto_fail) for i in first.items] == [
        (1, 2, False),
        (2, 3, False),
        (3, 1, True),
        (4, 0, False),
    ]
    second = cards.revise_scorecard(
        org.db, org.hr, "Inbound calls", (ItemSpec("Greeting", 1),), expected_version=first.version
    )
    assert (second.name, second.revision, len(second.items)) == ("Inbound calls", 2, 1)
    assert cards.get_scorecard(org.db, org.sup_a, "Inbound calls").id == second.id
    old = cards.get_scorecard(org.db, org.manager, "Inbound calls@1")
    assert (old.id, old.active) == (first.id, False)
    assert [c.revision for c in cards.list_scorecards(org.db, org.sup_a)] == [2]
    assert [c.revision for c in cards.list_scorecards(org.db, org.hr, include_retired=True)] == [
        1,
        2,
    ]
    with pytest.raises(ValidationFailed, match=r"has a newer revision \(2\) than 1"):
        cards.revise_scorecard(org.db, org.hr, first.short_id, ITEMS)
    retired = cards.set_scorecard_active(org.db, org.hr, second.id, False)
    back = cards.set_scorecard_active(
        org.db, org.hr, second.id, True, expected_version=retired.version
    )
    assert (retired.active, back.active) == (False, True)
    with org.db.transaction() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.action.startswith("scorecard."))
            )
        )
    assert actions == [
        "scorecard.create",
        "scorecard.revise",
        "scorecard.retire",
        "scorecard.reactivate",
    ]


def test_only_hr_maintains_scorecards_and_stale_or_bad_changes_are_refused(org: Org) -> None:
    first = new_scorecard(org)
    for actor in (org.sup_a, org.manager, org.admin):
        with pytest.raises(PermissionDenied, match=r"may not do development\.scorecards"):
            cards.revise_scorecard(org.db, actor, first.id, ITEMS)
    with pytest.raises(PermissionDenied):
        cards.list_scorecards(org.db, org.auditor)
    cards.set_scorecard_active(org.db, org.hr, first.id, False)
    with pytest.raises(
        StaleEdit, match="revision 1 of scorecard 'Inbound calls' was changed by hr"
    ):
        cards.revise_scorecard(org.db, org.hr, first.id, ITEMS, expected_version=first.version)
    with pytest.raises(ValidationFailed, match="exists: revise it instead"):
        cards.create_scorecard(org.db, org.hr, ScorecardSpec("Inbound calls", ITEMS))
    with pytest.raises(ValidationFailed, match="must not contain '@'"):
        cards.create_scorecard(org.db, org.hr, ScorecardSpec("Calls@2", ITEMS))
    with pytest.raises(ValidationFailed, match="carries weight"):
        cards.create_scorecard(org.db, org.hr, ScorecardSpec("Outbound", (ItemSpec("Greet", 0),)))
    with pytest.raises(NotFound, match="no scorecard named or numbered 'Outbound'"):
        cards.get_scorecard(org.db, org.hr, "Outbound")
    assert [c.revision for c in cards.list_scorecards(org.db, org.hr, include_retired=True)] == [1]
    with org.db.transaction() as session:
        denied = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.outcome == "denied", AuditEntry.entity_type == "scorecard"
            )
        ).all()
    assert list(denied) == ["scorecard.revise"] * 3 + ["scorecard.view"]
