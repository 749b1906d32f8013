"""The supervisor's inbox gathers every area's due items for the actor's scope, soonest
first, with what is overdue; other teams' and other roles' items stay out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crmsup.records.notes import claims as note_claims
from crmsup.records.notes.dto import NewClaim
from crmsup.records.overview.inbox import inbox
from crmsup.records.people import associates as associate_service
from crmsup.records.people.dto import NewAssociate
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.dto import NewVersion
from tests.factories import Org

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _busy_file(org: Org) -> None:
    """E100, hired two years ago with no review yet; a claim received 40 minutes ago; a
    policy published three hours ago that nobody has acknowledged."""
    new = NewAssociate(
        employee_no="E100",
        first_name="Ørjan",
        last_name="Bøe",
        team="Team A",
        hire_date=date(2024, 1, 8),
    )
    associate_service.add_associate(org.db, org.hr, new)
    claim = NewClaim(received_at=NOW - timedelta(minutes=40), claim="Rude on the phone")
    note_claims.create_claim(org.db, org.sup_a, "E100", claim, now=NOW)
    version = NewVersion("Clean desk", date(2026, 3, 2), body="Nothing left on the desk.")
    policy_service.publish(org.db, org.hr, version, now=NOW - timedelta(hours=3))


def test_the_inbox_gathers_every_area_soonest_first(org: Org) -> None:
    _busy_file(org)
    box = inbox(org.db, org.sup_a, NOW)
    assert {"review.annual", "claim.first_response", "policy.acknowledge"} <= set(box.counts())
    overdue = {i.kind for i in box.overdue}
    assert {"review.annual", "claim.first_response"} <= overdue
    deadlines = [
        i.due_at or datetime.combine(i.due_on, datetime.max.time(), UTC) for i in box.items
    ]
    assert deadlines == sorted(deadlines)
    assert all(i.team in {"Team A", ""} for i in box.items)
    mine = [i for i in box.items if i.kind == "policy.acknowledge" and i.employee_no is None]
    assert len(mine) == 1


def test_other_teams_and_roles_see_none_of_it(org: Org) -> None:
    _busy_file(org)
    assert all(i.employee_no != "E100" for i in inbox(org.db, org.sup_b, NOW).items)
    assert inbox(org.db, org.auditor, NOW).items == ()
    assert all(i.kind.startswith("access.") for i in inbox(org.db, org.admin, NOW).items)
    manager = inbox(org.db, org.manager, NOW)
    assert "claim.first_response" in manager.counts()
