"""An access request as stored: finding it, checking the actor may reach it, listing rows from
plain columns and opening a detail with the access key.

A request is addressed by its id alone (or the first 8 or more hex digits of it): IT works a
queue across the organisation and never looks an associate up. The scope is the matrix's:
IT and HR everywhere, a site manager their site, a supervisor their teams — the team being the
associate's current one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from crmsup.records import audit, short_ids, stale_edits
from crmsup.records.access.dto import AccessLine, AccessRequestDetail, AccessRequestRow, LineSpec
from crmsup.records.access.models import AccessRequest, AccessRequestLine, AccessState, LineState
from crmsup.records.access.rules import age_in_days
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, PermissionDenied, StaleEdit
from crmsup.records.keyring import access_key_cipher
from crmsup.records.models import Associate, Team, User
from crmsup.records.names import usernames
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.sealed_fields import open_required, open_text
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action, Scope

TABLE = AccessRequest.__tablename__
ENTITY = "access_request"
#: Audit actions about a request that do not change it.
READS = ("access.view", "access.list")
#: A request, its employee number, team, filer, lines and lines pending.
_RowQuery = Select[AccessRequest, str, str, str, int | None, int | None]


@dataclass(frozen=True, slots=True)
class Target:
    """A request found, and where it lies: its associate and their current team."""

    request_id: uuid.UUID
    associate_id: uuid.UUID
    employee_no: str
    team_id: uuid.UUID


def find_request(session: Session, ref: str | uuid.UUID) -> Target:
    """The request with id `ref`, or whose id starts with `ref` (8 or more hex digits):
    NotFound when none does, ValidationFailed when several do."""
    ids = session.scalars(select(AccessRequest.id))
    found = short_ids.find(ids, ref, "access request")
    row = (
        session.execute(
            select(AccessRequest.id, Associate.id, Associate.employee_no, Associate.team_id)
            .join(Associate, Associate.id == AccessRequest.associate_id)
            .where(AccessRequest.id == found)
        ).one_or_none()
        if found is not None
        else None
    )
    if row is None:
        raise NotFound(f"there is no access request {ref}")
    return Target(*row)


def require_access(session: Session, actor: Actor, action: Action, team_id: uuid.UUID) -> None:
    """PermissionDenied unless the role may do `action` on requests of `team_id`."""
    if require(actor, action) is not Scope.ORG and team_id not in actor_team_ids(session, actor):
        raise PermissionDenied("this access request is about an associate outside your scope")


@contextmanager
def checked_request(
    db: Database, actor: Actor, action: Action, audit_action: str, ref: str | uuid.UUID
) -> Iterator[Target]:
    """Find the request and check `action` on it; a refusal, here or in the caller's body,
    is audited as `audit_action` on the request."""
    with db.transaction() as session:
        target = find_request(session, ref)
    with audit.denials_recorded(db, actor, audit_action, ENTITY, target.request_id):
        with db.transaction() as session:
            require_access(session, actor, action, target.team_id)
        yield target


def lock_request(session: Session, target: Target) -> AccessRequest:
    return session.get_one(AccessRequest, target.request_id, with_for_update=True)


def stale_edit(session: Session, request_id: uuid.UUID, read: int | None) -> StaleEdit:
    """Refuse a change based on an old version, naming who changed the request since."""
    current = session.get_one(AccessRequest, request_id).version
    what = f"access request {request_id.hex[:8]}"
    return stale_edits.stale_edit(session, ENTITY, request_id, what, current, read, unchanged=READS)


def _line_counts() -> Select[uuid.UUID, int, int]:
    pending = func.sum(case((AccessRequestLine.state == LineState.PENDING, 1), else_=0))
    return select(
        AccessRequestLine.request_id,
        func.count().label("lines"),
        func.coalesce(pending, 0).label("pending"),
    ).group_by(AccessRequestLine.request_id)


def row_query() -> _RowQuery:
    """Requests with their employee number, team, filer and line counts: one query for a
    whole list (callers add the filters)."""
    counts = _line_counts().subquery()
    return (
        select(
            AccessRequest,
            Associate.employee_no,
            Team.name,
            User.username,
            counts.c.lines,
            counts.c.pending,
        )
        .join(Associate, Associate.id == AccessRequest.associate_id)
        .join(Team, Team.id == Associate.team_id)
        .join(User, User.id == AccessRequest.filed_by)
        .outerjoin(counts, counts.c.request_id == AccessRequest.id)
    )


def rows_of(
    session: Session,
    query: _RowQuery,
    today: date,
) -> tuple[AccessRequestRow, ...]:
    return tuple(
        AccessRequestRow(
            id=r.id,
            employee_no=number,
            team=team,
            kind=r.kind,
            state=r.state,
            effective_on=r.effective_on,
            automatic=r.automatic,
            filed_by=filer,
            filed_at=r.filed_at,
            decided_at=r.decided_at,
            provisioned_at=r.provisioned_at,
            closed_at=r.closed_at,
            lines=lines or 0,
            lines_pending=pending or 0,
            days_since_filed=age_in_days(r.filed_at.date(), today) or 0,
            days_since_approved=age_in_days(_approved_on(r), today),
            version=r.version,
        )
        for r, number, team, filer, lines, pending in session.execute(query)
    )


def _approved_on(request: AccessRequest) -> date | None:
    """The day the request was approved; None while it waits, or when it was denied."""
    approved = request.state in (AccessState.APPROVED, AccessState.PROVISIONED) or (
        request.state is AccessState.CLOSED and request.provisioned_at is not None
    )
    return request.decided_at.date() if approved and request.decided_at else None


def lines_of(session: Session, request_id: uuid.UUID) -> list[AccessRequestLine]:
    query = (
        select(AccessRequestLine)
        .where(AccessRequestLine.request_id == request_id)
        .order_by(AccessRequestLine.position)
    )
    return list(session.scalars(query))


def build_detail(
    session: Session, actor: Actor, request: AccessRequest, today: date
) -> AccessRequestDetail:
    """The request opened with the actor's copy of the access key (PermissionDenied without
    one; IntegrityFailure when a sealed field does not open as written)."""
    cipher = access_key_cipher(session, actor, request.scope_key_id)
    session.flush()
    (row,) = rows_of(session, row_query().where(AccessRequest.id == request.id), today)
    lines = lines_of(session, request.id)
    people = {request.decided_by, request.provisioned_by, request.closed_by}
    people.update(line.provisioned_by for line in lines)
    names = usernames(session, people)
    return AccessRequestDetail(
        row=row,
        person_name=open_required(
            cipher, TABLE, request.id, "person_name_enc", request.person_name_enc
        ),
        justification=open_field(cipher, request, "justification_enc"),
        decided_by=names.get(request.decided_by) if request.decided_by else None,
        decision_comment=open_field(cipher, request, "decision_comment_enc"),
        provisioned_by=names.get(request.provisioned_by) if request.provisioned_by else None,
        closed_by=names.get(request.closed_by) if request.closed_by else None,
        notes=open_field(cipher, request, "notes_enc"),
        lines=tuple(
            AccessLine(
                line.position,
                line.system,
                line.role,
                line.action,
                line.state,
                names.get(line.provisioned_by) if line.provisioned_by else None,
                line.provisioned_at,
            )
            for line in lines
        ),
    )


def open_field(cipher: FieldCipher, request: AccessRequest, column: str) -> str | None:
    return open_text(cipher, TABLE, request.id, column, getattr(request, column))


def seal_text(cipher: FieldCipher, request: AccessRequest, column: str, text: str | None) -> None:
    setattr(
        request,
        column,
        None if text is None else cipher.encrypt(TABLE, column, str(request.id), text),
    )


def add_lines(session: Session, request: AccessRequest, specs: Sequence[LineSpec]) -> None:
    """Store `specs` as the request's lines, numbered from 1, all pending."""
    session.add_all(
        AccessRequestLine(
            request_id=request.id,
            associate_id=request.associate_id,
            position=position,
            system=spec.system,
            role=spec.role,
            action=spec.action,
            state=LineState.PENDING,
        )
        for position, spec in enumerate(specs, start=1)
    )
