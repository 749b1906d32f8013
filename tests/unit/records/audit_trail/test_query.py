"""Reading the trail: filters in SQL, who may, and that reading is itself recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from crmsup.records.audit_trail.query import AuditFilter, AuditRow, list_entries
from crmsup.records.audit_trail.service import verify
from crmsup.records.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.people.associates import get_associate
from crmsup.records.people.auth import login
from crmsup.security.permissions import Role
from tests.factories import PASSWORD, Org, add_associate, add_enrolled_user


def _auditor(org: Org) -> None:
    add_enrolled_user(org.db, org.admin, "audit", Role.AUDITOR, PASSWORD)


def test_an_auditor_reads_every_entry_in_order_and_the_reading_is_recorded(org: Org) -> None:
    _auditor(org)
    auditor = login(org.db, "audit", PASSWORD)
    everything = list_entries(org.db, auditor)
    assert [r.sequence for r in everything] == list(range(1, len(everything) + 1))
    assert all(isinstance(r, AuditRow) and r.at.tzinfo is not None for r in everything)
    assert everything[-1].action == "login"
    assert everything[-1].actor == "audit"
    again = list_entries(org.db, auditor)
    read = again[-1]
    assert (read.action, read.actor, read.outcome) == ("audit.read", "audit", "ok")
    assert read.details["count"] == len(everything)
    assert read.details["limit"] is None
    assert verify(org.db).ok


def test_filters_are_applied(org: Org) -> None:
    made = add_associate(org)
    get_associate(org.db, org.sup_a, "E100")
    hr = org.hr

    views = list_entries(org.db, hr, action="associate.view")
    assert [(r.actor, r.entity_id) for r in views] == [("sup-a", str(made.id))]
    about = list_entries(org.db, hr, entity=str(made.id))
    assert {r.action for r in about} == {"associate.create", "associate.view"}
    by_sup = list_entries(org.db, hr, actor_name="SUP-A")
    assert by_sup
    assert {r.actor for r in by_sup} == {"sup-a"}
    prefixed = list_entries(org.db, hr, action="associate.*")
    assert {r.action for r in prefixed} == {"associate.create", "associate.view"}
    assert list_entries(org.db, hr, action="associate_*") == []  # `_` is no wildcard
    newest = list_entries(org.db, hr, limit=3)
    assert [r.sequence for r in newest] == sorted(r.sequence for r in newest)
    assert newest[-1].action == "audit.read"
    assert list_entries(org.db, hr, since=datetime.now(UTC) + timedelta(days=1)) == []
    assert list_entries(org.db, hr, since=datetime(2000, 1, 1, tzinfo=UTC))[0].sequence == 1


def test_details_are_dicts_of_names_and_ids_never_a_persons_data(org: Org) -> None:
    add_associate(org)
    get_associate(org.db, org.sup_a, "E100")
    rows = list_entries(org.db, org.hr)
    assert all(isinstance(r.details, dict) for r in rows)
    text = repr(rows)
    for secret in ("Ørjan", "Bøe", "orjan.boe@example.org", "Storgata"):
        assert secret not in text


@pytest.mark.parametrize("who", ["sup_a", "sup_b"])
def test_a_supervisor_may_not_read_the_trail_and_the_refusal_is_recorded(
    org: Org, who: str
) -> None:
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied):
        list_entries(org.db, actor)
    refused = list_entries(org.db, org.admin, action="audit.read")
    assert [(r.actor, r.outcome) for r in refused] == [(actor.username, "denied")]
    assert verify(org.db).ok


def test_a_locked_session_reads_nothing(org: Org) -> None:
    org.hr.lock()
    with pytest.raises(AuthenticationFailed):
        list_entries(org.db, org.hr)


@pytest.mark.parametrize(
    "filters",
    [
        {"limit": 0},
        {"since": datetime(2026, 1, 1)},  # naive: refused
        {"action": "x" * 300},
    ],
)
def test_bad_filters_are_refused(org: Org, filters: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        AuditFilter(**filters)  # type: ignore[arg-type]


def test_a_changed_entry_still_lists_as_stored(org: Org) -> None:
    """Listing shows what is stored; finding changes is `audit verify`'s job."""
    with org.db.transaction() as session:
        session.execute(update(AuditEntry).where(AuditEntry.sequence == 2).values(outcome="x"))
    assert list_entries(org.db, org.hr, limit=None)[1].outcome == "x"
