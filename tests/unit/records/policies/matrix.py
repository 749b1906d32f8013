"""The permission-matrix walk's executors for the policy and note actions (issue 5).

Each executor sets up what the action needs with `org.hr` and then performs the action as the
actor under test. The builders here also serve tests/unit/records/test_policy_*.py and
test_note_*.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.notes import service as note_service
from crmsup.records.notes.dto import NewClaim, NewNote, NoteDetail
from crmsup.records.notes.models import NoteKind
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.dto import NewVersion, PolicyVersionInfo
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

#: Monday 2 March 2026, 09:00 in Paris (UTC+1).
MONDAY_9 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
BODY = "Calls are recorded for quality. Never read card numbers back to the caller."


def publish(
    org: Org,
    title: str = "Call recording",
    *,
    effective_on: date = date(2026, 3, 1),
    now: datetime = MONDAY_9,
    body: str | None = BODY,
    document: bytes | None = None,
) -> PolicyVersionInfo:
    new = NewVersion(
        title,
        effective_on,
        body,
        document,
        None if document is None else "policy.pdf",
        "application/pdf",
    )
    return policy_service.publish(org.db, org.hr, new, now=now)


def note(org: Org, actor: Actor | None = None, text: str = "Talked about breaks") -> NoteDetail:
    new = NewNote(NoteKind.CONVERSATION, TODAY, text)
    return note_service.create_note(org.db, actor or org.hr, "E100", new, today=TODAY)


def claim(org: Org, received_at: datetime = MONDAY_9, actor: Actor | None = None) -> object:
    new = NewClaim(received_at, "Rude on the phone", "Client 4711")
    return note_service.create_claim(org.db, actor or org.hr, "E100", new, now=received_at)


def _read(org: Org, actor: Actor, _: Path) -> object:
    publish(org)
    return policy_service.list_policies(org.db, actor, TODAY)


def _acknowledge(org: Org, actor: Actor, _: Path) -> object:
    publish(org)
    return policy_service.acknowledge(org.db, actor, "Call recording", now=MONDAY_9)


def _track(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    publish(org)
    return policy_service.record_associate_acknowledgement(
        org.db, actor, "E100", "Call recording", acknowledged_on=TODAY, today=TODAY
    )


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return note_service.get_note(org.db, actor, "E100", note(org).short_id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    return note(org, actor)


EXECUTORS: dict[Action, Executor] = {
    Action.POLICY_READ: _read,
    Action.POLICY_PUBLISH: lambda org, a, _: policy_service.publish(
        org.db, a, NewVersion("Dress code", TODAY, "Business casual")
    ),
    Action.POLICY_ACKNOWLEDGE: _acknowledge,
    Action.POLICY_TRACK: _track,
    Action.NOTE_VIEW: _view,
    Action.NOTE_WRITE: _write,
}
