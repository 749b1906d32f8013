"""Scope keys and data keys: creating, sealing, unsealing and wrapping them.

A team's key is generated once, sealed to everyone entitled to the team and to the
organisation recovery key, and then forgotten by the process that made it. Reading an
associate needs the team key (unsealed with the reader's own private key) to unwrap the
associate's data key; a user who holds no sealed copy cannot read, whatever the screens allow.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.errors import PermissionDenied
from crmsup.records.file_models import CandidateKey
from crmsup.records.models import (
    AssociateKey,
    Organisation,
    RecipientKind,
    ScopeKey,
    SealedKey,
    Team,
    User,
)
from crmsup.security import fields, wrapping
from crmsup.security.fields import FieldCipher

TEAM_KEY_PURPOSE = "team-key"
DATA_KEY_PURPOSE = "associate-data-key"
CANDIDATE_KEY_PURPOSE = "candidate-data-key"


def _user_copy(
    scope_key: ScopeKey, key: bytes, user: User, granted_by: uuid.UUID | None
) -> SealedKey:
    return SealedKey(
        scope_key_id=scope_key.id,
        recipient_kind=RecipientKind.USER,
        recipient_user_id=user.id,
        sealed=wrapping.seal(
            user.exchange_public, key, TEAM_KEY_PURPOSE, str(scope_key.id), f"user:{user.id}"
        ),
        granted_by=granted_by,
    )


def create_team_key(
    session: Session, team: Team, recipients: Iterable[User], granted_by: uuid.UUID | None
) -> ScopeKey:
    """Make the team's key and seal it to `recipients` and the recovery key, in `session`."""
    organisation = session.scalars(select(Organisation)).one()
    scope_key = ScopeKey(id=uuid.uuid4(), team_id=team.id)
    session.add(scope_key)
    key = fields.new_key()
    session.add(
        SealedKey(
            scope_key_id=scope_key.id,
            recipient_kind=RecipientKind.RECOVERY,
            recipient_user_id=None,
            sealed=wrapping.seal(
                organisation.recovery_public, key, TEAM_KEY_PURPOSE, str(scope_key.id), "recovery"
            ),
            granted_by=granted_by,
        )
    )
    session.add_all(_user_copy(scope_key, key, user, granted_by) for user in recipients)
    return scope_key


def team_scope_key(session: Session, team_id: uuid.UUID) -> ScopeKey:
    return session.scalars(select(ScopeKey).where(ScopeKey.team_id == team_id)).one()


def unseal_scope_key(session: Session, actor: Actor, scope_key_id: uuid.UUID) -> bytes:
    """The actor's copy of a scope key, opened with their own private key."""
    cached = actor.cached_scope_key(scope_key_id)
    if cached is not None:
        return cached
    sealed = session.scalar(
        select(SealedKey.sealed).where(
            SealedKey.scope_key_id == scope_key_id,
            SealedKey.recipient_user_id == actor.user_id,
        )
    )
    if sealed is None:
        raise PermissionDenied(
            "you do not hold this team's key: access is pending until HR or the site manager "
            "confirms your account (crmsup-admin grant)"
        )
    key = wrapping.unseal(
        actor.keys.exchange, sealed, TEAM_KEY_PURPOSE, str(scope_key_id), f"user:{actor.user_id}"
    )
    actor.remember_scope_key(scope_key_id, key)
    return key


def holds_key(session: Session, user_id: uuid.UUID, scope_key_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(SealedKey.id).where(
                SealedKey.scope_key_id == scope_key_id, SealedKey.recipient_user_id == user_id
            )
        )
        is not None
    )


def seal_to_user(session: Session, actor: Actor, scope_key: ScopeKey, user: User) -> bool:
    """Hand the actor's copy of `scope_key` on to `user`; False when they already hold it."""
    if holds_key(session, user.id, scope_key.id):
        return False
    key = unseal_scope_key(session, actor, scope_key.id)
    session.add(_user_copy(scope_key, key, user, actor.user_id))
    return True


def _data_key_ids(associate_id: uuid.UUID, scope_key_id: uuid.UUID) -> tuple[str, str]:
    return (f"associate:{associate_id}", f"scope:{scope_key_id}")


def new_data_key(
    session: Session, actor: Actor, associate_id: uuid.UUID, scope_key_id: uuid.UUID
) -> FieldCipher:
    """Create and store (wrapped) the data key of a new associate; return its cipher."""
    team_key = unseal_scope_key(session, actor, scope_key_id)
    data_key = fields.new_key()
    key_id = uuid.uuid4()
    session.add(
        AssociateKey(
            associate_id=associate_id,
            key_id=key_id,
            scope_key_id=scope_key_id,
            wrapped=wrapping.wrap_key(
                team_key, data_key, DATA_KEY_PURPOSE, *_data_key_ids(associate_id, scope_key_id)
            ),
        )
    )
    return FieldCipher(data_key, str(key_id))


def data_cipher(session: Session, actor: Actor, associate_id: uuid.UUID) -> FieldCipher:
    row = session.get_one(AssociateKey, associate_id)
    return open_data_key(session, actor, row)


def open_data_key(session: Session, actor: Actor, row: AssociateKey) -> FieldCipher:
    team_key = unseal_scope_key(session, actor, row.scope_key_id)
    data_key = wrapping.unwrap_key(
        team_key, row.wrapped, DATA_KEY_PURPOSE, *_data_key_ids(row.associate_id, row.scope_key_id)
    )
    return FieldCipher(data_key, str(row.key_id))


def rewrap_data_key(
    session: Session, actor: Actor, row: AssociateKey, scope_key_id: uuid.UUID
) -> None:
    """Wrap the associate's data key with another team's key instead (a transfer): the data
    key, and so every record under it, stays as it is. The actor needs both team keys."""
    data_key = wrapping.unwrap_key(
        unseal_scope_key(session, actor, row.scope_key_id),
        row.wrapped,
        DATA_KEY_PURPOSE,
        *_data_key_ids(row.associate_id, row.scope_key_id),
    )
    row.wrapped = wrapping.wrap_key(
        unseal_scope_key(session, actor, scope_key_id),
        data_key,
        DATA_KEY_PURPOSE,
        *_data_key_ids(row.associate_id, scope_key_id),
    )
    row.scope_key_id = scope_key_id


def _candidate_key_ids(candidate_id: uuid.UUID, scope_key_id: uuid.UUID) -> tuple[str, str]:
    return (f"candidate:{candidate_id}", f"scope:{scope_key_id}")


def new_candidate_key(
    session: Session, actor: Actor, candidate_id: uuid.UUID, scope_key_id: uuid.UUID
) -> FieldCipher:
    """Create and store (wrapped by the team key) a new candidate's data key."""
    team_key = unseal_scope_key(session, actor, scope_key_id)
    data_key = fields.new_key()
    key_id = uuid.uuid4()
    session.add(
        CandidateKey(
            candidate_id=candidate_id,
            key_id=key_id,
            scope_key_id=scope_key_id,
            wrapped=wrapping.wrap_key(
                team_key,
                data_key,
                CANDIDATE_KEY_PURPOSE,
                *_candidate_key_ids(candidate_id, scope_key_id),
            ),
        )
    )
    return FieldCipher(data_key, str(key_id))


def candidate_cipher(session: Session, actor: Actor, candidate_id: uuid.UUID) -> FieldCipher:
    """The cipher of a candidate's data key; PermissionDenied without the team's key."""
    row = session.get_one(CandidateKey, candidate_id)
    team_key = unseal_scope_key(session, actor, row.scope_key_id)
    data_key = wrapping.unwrap_key(
        team_key,
        row.wrapped,
        CANDIDATE_KEY_PURPOSE,
        *_candidate_key_ids(row.candidate_id, row.scope_key_id),
    )
    return FieldCipher(data_key, str(row.key_id))
