"""Recovery: when the last holder of a team's key has lost their password, the organisation
recovery key (the printed sheet) re-seals team keys to an account a person now controls.

Whoever holds the sheet can read every record; the sheet, not the account, is the authority.
The acting account must still be HR (re-authenticated by the caller), so that the step is
signed in the audit trail by a person.
"""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation, vouching
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.keyring import (
    ACCESS_KEY_ROLES,
    TEAM_KEY_PURPOSE,
    holds_key,
    reach_of,
    recipients,
)
from crmsup.records.models import Organisation, RecipientKind, ScopeKey, SealedKey, Team, User
from crmsup.records.people.org import user_by_name
from crmsup.records.scope import confirm, require, team_ids_in_scope
from crmsup.security import statements, wrapping
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Action, Role
from crmsup.security.wrapping import raw_public


def recover(db: Database, actor: Actor, recovery: X25519PrivateKey, username: str) -> list[str]:
    """Re-seal, with the recovery key, every team key `username`'s role reaches and that they
    lack; return the names of the teams handed on."""
    with audit.denials_recorded(db, actor, "recovery", "user"):
        require(actor, Action.RECOVER)
    with db.transaction() as session:
        organisation = session.scalars(select(Organisation)).one()
        if raw_public(recovery.public_key()) != organisation.recovery_public:
            raise IntegrityFailure("this recovery sheet belongs to another organisation")
        user = user_by_name(session, validation.username(username))
        if user.disabled or user.role not in ACCESS_KEY_ROLES:
            raise ValidationFailed(f"{user.username} cannot hold team keys")
        confirm(user, actor)
        # The sheet is the authority: an HR account it recovers is vouched for by the root
        # key it holds, as at init; any other by the acting HR account.
        if user.role is Role.HR:
            vouching.vouch_as_root(session, statements.root_signing_key(recovery), user)
        elif not vouching.vouch(session, actor, user):
            raise ValidationFailed(f"{user.username} has not set up their account yet")
        in_scope = team_ids_in_scope(session, user.id, user.role, user.site_id)
        handed: list[str] = []
        rows = session.execute(
            select(Team.name, ScopeKey.id, SealedKey.sealed)
            .join(ScopeKey, ScopeKey.team_id == Team.id)
            .join(SealedKey, SealedKey.scope_key_id == ScopeKey.id)
            .where(SealedKey.recipient_kind == RecipientKind.RECOVERY, Team.id.in_(in_scope))
            .order_by(Team.name)
        ).all()
        for team_name, scope_key_id, sealed in rows:
            if _reseal(session, actor, recovery, user, scope_key_id, sealed):
                handed.append(team_name)
        # The access key too (access requests): an admin's only key, a keeper's besides teams.
        access = session.execute(
            select(ScopeKey.id, SealedKey.sealed)
            .join(SealedKey, SealedKey.scope_key_id == ScopeKey.id)
            .where(SealedKey.recipient_kind == RecipientKind.RECOVERY, ScopeKey.access.is_(True))
        ).one_or_none()
        access_key = access is not None and _reseal(session, actor, recovery, user, *access)
        audit.append(
            session,
            "recovery",
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            details={"teams": len(handed), "access_key": access_key},
        )
        return handed


def _reseal(
    session: Session,
    actor: Actor,
    recovery: X25519PrivateKey,
    user: User,
    scope_key_id: uuid.UUID,
    sealed: bytes,
) -> bool:
    """Seal the scope key opened with the recovery key to `user`; False if they hold it."""
    if holds_key(session, user.id, scope_key_id):
        return False
    reach = reach_of(session, session.get_one(ScopeKey, scope_key_id))
    found = recipients(session, actor, [user], reach)
    if not found:
        return False  # not vouched for in this scope (or not enrolled): nothing to seal to
    key = wrapping.unseal(recovery, sealed, TEAM_KEY_PURPOSE, str(scope_key_id), "recovery")
    session.add(
        SealedKey(
            scope_key_id=scope_key_id,
            recipient_kind=RecipientKind.USER,
            recipient_user_id=user.id,
            sealed=wrapping.seal(
                found[0].exchange_public,
                key,
                TEAM_KEY_PURPOSE,
                str(scope_key_id),
                f"user:{user.id}",
            ),
            granted_by=actor.user_id,
        )
    )
    return True
