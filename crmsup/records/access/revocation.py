"""Revoking what an associate holds: the systems provisioned and not yet revoked, and the
revocation request a termination opens by itself.

The lines are plain, so what an associate holds is found without any key: every line done,
taken in the order IT did them, a revocation cancelling an earlier grant of the same system
and role. A system already on a revocation still waiting for IT is not asked for twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.access.content import ENTITY, add_lines, seal_text
from crmsup.records.access.dto import LineSpec
from crmsup.records.access.models import (
    AccessKind,
    AccessRequest,
    AccessRequestLine,
    AccessState,
    LineAction,
    LineState,
)
from crmsup.records.access.rules import clean_lines
from crmsup.records.actor import Actor
from crmsup.records.keyring import access_cipher, data_cipher
from crmsup.records.models import Associate
from crmsup.records.sealed_fields import open_required
from crmsup.records.types import utcnow

#: What a termination's revocation asks of IT, beyond its lines: accounts made outside
#: crmsup, the badge and the equipment are on no line, so the request is opened even empty.
TERMINATION_JUSTIFICATION = (
    "Termination: close every account and access of this person, including any not listed, "
    "deactivate the badge and collect the equipment."
)
_OPEN = (AccessState.REQUESTED, AccessState.APPROVED)


def person_name(session: Session, actor: Actor, associate_id: uuid.UUID) -> str:
    """The associate's name, read with their data key (the actor's team key opens it), for
    the copy a request keeps under the access key."""
    cipher = data_cipher(session, actor, associate_id)
    associate = session.get_one(Associate, associate_id)
    table, row = Associate.__tablename__, associate.id
    first = open_required(cipher, table, row, "first_name_enc", associate.first_name_enc)
    last = open_required(cipher, table, row, "last_name_enc", associate.last_name_enc)
    return f"{first} {last}"


def held_systems(session: Session, associate_id: uuid.UUID) -> list[tuple[str, str]]:
    """(system, role) the associate holds — granted and not since revoked — and that no open
    revocation already asks to revoke, in the order they were granted."""
    done = session.execute(
        select(AccessRequestLine.system, AccessRequestLine.role, AccessRequestLine.action)
        .where(
            AccessRequestLine.associate_id == associate_id,
            AccessRequestLine.state == LineState.DONE,
        )
        .order_by(AccessRequestLine.provisioned_at, AccessRequestLine.position)
    )
    held: dict[tuple[str, str], tuple[str, str]] = {}
    for system, role, action in done:
        key = (system.casefold(), role.casefold())
        if action is LineAction.GRANT:
            held[key] = (system, role)
        else:
            held.pop(key, None)
    asked = session.execute(
        select(AccessRequestLine.system, AccessRequestLine.role)
        .join(AccessRequest, AccessRequest.id == AccessRequestLine.request_id)
        .where(
            AccessRequestLine.associate_id == associate_id,
            AccessRequestLine.action == LineAction.REVOKE,
            AccessRequestLine.state == LineState.PENDING,
            AccessRequest.state.in_(_OPEN),
        )
    )
    for system, role in asked:
        held.pop((system.casefold(), role.casefold()), None)
    return list(held.values())


def open_revocation(
    session: Session,
    actor: Actor,
    associate_id: uuid.UUID,
    effective_on: date,
    *,
    recommendation_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> AccessRequest:
    """Open, in `session`, an approved revocation of everything the associate holds, due on
    `effective_on`; audited as "access.request" (automatic). The actor — who terminated the
    associate — needs the access key (PermissionDenied, and the termination rolls back)."""
    now = now or utcnow()
    scope_key, cipher = access_cipher(session, actor)
    specs = [LineSpec(s, r, LineAction.REVOKE) for s, r in held_systems(session, associate_id)]
    lines = clean_lines(AccessKind.REVOKE, specs, automatic=True)
    request = AccessRequest(
        id=uuid.uuid4(),
        associate_id=associate_id,
        kind=AccessKind.REVOKE,
        state=AccessState.APPROVED,  # the termination was the decision
        effective_on=effective_on,
        automatic=True,
        scope_key_id=scope_key.id,
        filed_by=actor.user_id,
        filed_at=now,
        decided_by=actor.user_id,
        decided_at=now,
    )
    seal_text(cipher, request, "person_name_enc", person_name(session, actor, associate_id))
    seal_text(cipher, request, "justification_enc", TERMINATION_JUSTIFICATION)
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
            "associate": str(associate_id),
            "kind": AccessKind.REVOKE.value,
            "lines": len(lines),
            "automatic": True,
            "recommendation": None if recommendation_id is None else str(recommendation_id),
        },
    )
    return request
