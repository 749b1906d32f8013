"""Access and IT requests: filed by a keeper, decided by a site manager or HR, worked by IT.

Keepers (ACCESS_REQUEST: HR, the site's manager, the team's supervisors) file a request for
an associate, change it or cancel it while it waits; a site manager or HR (ACCESS_APPROVE)
approves or denies it; IT (ACCESS_PROVISION) provisions it line by line — who and when per
line — and closes it once provisioned or denied. Everyone of ACCESS_VIEW reads requests within
their scope, IT across the organisation.

What IT must read is sealed under the access key (`keyring.access_cipher`), never under the
associate's data key: IT reads these requests and no other record. The person's name is a
copy the filing keeper reads with the associate's key and seals under the access key. Every
change is audited in its transaction (field names, counts, ids), every read of a request as
"access.view", every refusal on the request. Each change takes the version the caller read;
a stale one is refused, naming who changed the request since, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.access.content import (
    ENTITY,
    Target,
    add_lines,
    build_detail,
    checked_request,
    lines_of,
    lock_request,
    open_field,
    seal_text,
    stale_edit,
)
from crmsup.records.access.dto import AccessChanges, AccessRequestDetail, NewAccessRequest
from crmsup.records.access.due import due_items
from crmsup.records.access.listing import list_requests
from crmsup.records.access.models import (
    AccessKind,
    AccessRequest,
    AccessRequestLine,
    AccessState,
    LineState,
)
from crmsup.records.access.revocation import open_revocation, person_name
from crmsup.records.access.rules import (
    AccessStep,
    clean_justification,
    clean_lines,
    clean_note,
    next_state,
    parse_line,
)
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.keyring import access_cipher, access_key_cipher
from crmsup.records.subject import checked_session
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import Detail
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

__all__ = [
    "cancel_request",
    "close_request",
    "decide_request",
    "due_items",
    "file_request",
    "get_request",
    "list_requests",
    "open_revocation",
    "parse_line",
    "provision_request",
    "update_request",
]


def get_request(
    db: Database, actor: Actor, ref: str | uuid.UUID, *, today: date
) -> AccessRequestDetail:
    """One request opened with the access key (audited as "access.view")."""
    with (
        checked_request(db, actor, Action.ACCESS_VIEW, "access.view", ref) as target,
        db.transaction() as session,
    ):
        request = session.get_one(AccessRequest, target.request_id)
        detail = build_detail(session, actor, request, today)
        audit.append(session, "access.view", actor=actor, entity_type=ENTITY, entity_id=request.id)
        return detail


def file_request(
    db: Database,
    actor: Actor,
    employee_no: str,
    new: NewAccessRequest,
    *,
    now: datetime | None = None,
) -> AccessRequestDetail:
    """File a request for the associate: waiting for a site manager or HR."""
    now = now or utcnow()
    with checked_session(
        db, actor, Action.ACCESS_REQUEST, "access.request", employee_no, "associate"
    ) as (subject, session):
        kind = AccessKind(new.kind)
        lines = clean_lines(kind, new.lines)
        justification = clean_justification(new.justification)
        scope_key, cipher = access_cipher(session, actor)
        request = AccessRequest(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            kind=kind,
            state=AccessState.REQUESTED,
            effective_on=new.effective_on,
            automatic=False,
            scope_key_id=scope_key.id,
            filed_by=actor.user_id,
            filed_at=now,
        )
        name = person_name(session, actor, subject.associate_id)
        seal_text(cipher, request, "person_name_enc", name)
        seal_text(cipher, request, "justification_enc", justification)
        session.add(request)
        session.flush()
        add_lines(session, request, lines)
        audit.append(
            session,
            "access.request",
            actor=actor,
            entity_type=ENTITY,
            entity_id=request.id,
            details={
                "associate": str(subject.associate_id),
                "kind": kind.value,
                "lines": len(lines),
                "automatic": False,
            },
        )
        return build_detail(session, actor, request, now.date())


@dataclass(frozen=True)
class _Change:
    """A request locked for one step, with what the step needs to change it."""

    session: Session
    actor: Actor
    target: Target
    request: AccessRequest
    next_state: AccessState
    today: date

    def cipher(self) -> FieldCipher:
        return access_key_cipher(self.session, self.actor, self.request.scope_key_id)

    def record(self, action: str, details: dict[str, Detail]) -> AccessRequestDetail:
        """Write the change and its audit entry, in one transaction."""
        flag_modified(self.request, "state")  # a change of lines alone is a new version too
        self.session.flush()
        audit.append(
            self.session,
            action,
            actor=self.actor,
            entity_type=ENTITY,
            entity_id=self.request.id,
            details={**details, "version": self.request.version},
        )
        return build_detail(self.session, self.actor, self.request, self.today)


@contextmanager
def _step(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    step: AccessStep,
    action: Action,
    expected_version: int | None,
    today: date,
) -> Iterator[_Change]:
    """Check the actor may, lock the request, refuse a stale version or a step its state
    does not allow; the caller changes it and calls `record` in the same transaction."""
    with checked_request(db, actor, action, f"access.{step.value}", ref) as target:
        try:
            with db.transaction() as session:
                request = lock_request(session, target)
                if expected_version is not None and request.version != expected_version:
                    raise stale_edit(session, request.id, expected_version)
                after = next_state(request.state, step)
                yield _Change(session, actor, target, request, after, today)
        except StaleDataError:
            with db.transaction() as session:
                raise stale_edit(session, target.request_id, expected_version) from None


def update_request(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    changes: AccessChanges,
    *,
    expected_version: int | None = None,
    today: date,
) -> AccessRequestDetail:
    """Change a request that waits for a decision: its lines (replaced as a whole), its
    justification, its effective day. Nothing is written, nor audited, when nothing changes."""
    step = AccessStep.EDIT
    with _step(db, actor, ref, step, Action.ACCESS_REQUEST, expected_version, today) as change:
        request, fields = change.request, []
        if changes.lines is not None:
            lines = clean_lines(request.kind, changes.lines)
            old = [(x.system, x.role, x.action) for x in lines_of(change.session, request.id)]
            if old != [(x.system, x.role, x.action) for x in lines]:
                change.session.execute(
                    delete(AccessRequestLine).where(AccessRequestLine.request_id == request.id)
                )
                add_lines(change.session, request, lines)
                fields.append("lines")
        if changes.justification is not None:
            text = clean_justification(changes.justification)
            cipher = change.cipher()
            if text != open_field(cipher, request, "justification_enc"):
                seal_text(cipher, request, "justification_enc", text)
                fields.append("justification")
        if changes.effective_on is not None and changes.effective_on != request.effective_on:
            request.effective_on = changes.effective_on
            fields.append("effective_on")
        if not fields:
            return build_detail(change.session, actor, request, today)
        return change.record("access.update", {"fields": fields})


def cancel_request(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    today: date,
) -> AccessRequestDetail:
    """Withdraw a request before it is decided."""
    step = AccessStep.CANCEL
    with _step(db, actor, ref, step, Action.ACCESS_REQUEST, expected_version, today) as change:
        change.request.state = change.next_state
        change.request.closed_by, change.request.closed_at = actor.user_id, utcnow()
        return change.record("access.cancel", {"fields": ["state", "closed_by", "closed_at"]})


def decide_request(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    *,
    approve: bool,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> AccessRequestDetail:
    """Approve (then IT provisions it) or deny a requested request, with a comment if any."""
    now = now or utcnow()
    step = AccessStep.APPROVE if approve else AccessStep.DENY
    with _step(db, actor, ref, step, Action.ACCESS_APPROVE, expected_version, now.date()) as change:
        request = change.request
        text = clean_note(comment, "comment")
        request.state = change.next_state
        request.decided_by, request.decided_at = actor.user_id, now
        fields = ["state", "decided_by", "decided_at"]
        if text is not None:
            seal_text(change.cipher(), request, "decision_comment_enc", text)
            fields.append("decision_comment")
        return change.record(f"access.{step.value}", {"fields": fields})


def provision_request(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    *,
    line: int | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> AccessRequestDetail:
    """Record that IT did line `line` (numbered from 1) of an approved request, or every
    line still pending; once no line is pending the request is provisioned. A note, if any,
    is added to IT's notes on the request."""
    now = now or utcnow()
    step = AccessStep.PROVISION
    with _step(
        db, actor, ref, step, Action.ACCESS_PROVISION, expected_version, now.date()
    ) as change:
        request = change.request
        lines = lines_of(change.session, request.id)
        pending = [x for x in lines if x.state is LineState.PENDING]
        if line is not None:
            chosen = [x for x in lines if x.position == line]
            if not chosen:
                raise ValidationFailed(f"access request {request.id.hex[:8]} has no line {line}")
            if chosen[0].state is not LineState.PENDING:
                raise ValidationFailed(f"line {line} of access request was already provisioned")
            pending = chosen
        for done in pending:
            done.state, done.provisioned_by, done.provisioned_at = (
                LineState.DONE,
                actor.user_id,
                now,
            )
        fields: list[str] = []
        text = clean_note(note, "note")
        if text is not None:
            cipher = change.cipher()
            old = open_field(cipher, request, "notes_enc")
            seal_text(cipher, request, "notes_enc", text if old is None else f"{old}\n\n{text}")
            fields.append("notes")
        if all(x.state is LineState.DONE for x in lines):
            request.state = change.next_state
            request.provisioned_by, request.provisioned_at = actor.user_id, now
            fields += ["state", "provisioned_by", "provisioned_at"]
        positions = [str(x.position) for x in pending]
        return change.record("access.provision", {"lines": positions, "fields": fields})


def close_request(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> AccessRequestDetail:
    """Close a provisioned or denied request (IT): it leaves every queue."""
    now = now or utcnow()
    step = AccessStep.CLOSE
    with _step(
        db, actor, ref, step, Action.ACCESS_PROVISION, expected_version, now.date()
    ) as change:
        change.request.state = change.next_state
        change.request.closed_by, change.request.closed_at = actor.user_id, now
        return change.record("access.close", {"fields": ["state", "closed_by", "closed_at"]})
