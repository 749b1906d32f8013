"""Scope keys and data keys: creating, sealing, unsealing and wrapping them.

A team's key is generated once, sealed to everyone entitled to the team and to the
organisation recovery key, and then forgotten by the process that made it. Reading an
associate needs the team key (unsealed with the reader's own private key) to unwrap the
associate's data key; a user who holds no sealed copy cannot read, whatever the screens allow.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import vouching
from crmsup.records.actor import Actor
from crmsup.records.errors import PermissionDenied, ValidationFailed
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
from crmsup.security.permissions import Action, Role, scope_of

TEAM_KEY_PURPOSE = "team-key"
DATA_KEY_PURPOSE = "associate-data-key"


@dataclass(frozen=True, slots=True)
class Recipient:
    """An account a scope key may be sealed to, and the public key to seal it to."""

    user_id: uuid.UUID
    exchange_public: bytes


#: Accounts keys were not sealed to: (account id, user name, reason, tampered). `tampered`
#: when their standing does not verify or the database says otherwise than their statement;
#: not when they merely wait for a holder to vouch for them (in that scope).
Withheld = list[tuple[uuid.UUID, str, str, bool]]


def recipients(
    session: Session,
    actor: Actor,
    users: Iterable[User],
    reach: vouching.Reach,
    withheld: Withheld | None = None,
) -> list[Recipient]:
    """Those of `users` whose standing the actor's client verifies and whose statement
    reaches the key's scope, each with the public key the statement names (never the one a
    plain column names). The others go to `withheld`, with the reason."""
    found: list[Recipient] = []
    for user in users:
        try:
            public = vouching.sealable(session, actor.keys.root_pin, user, reach)
        except vouching.Untrusted as why:
            if withheld is not None:
                tampered = not isinstance(why, vouching.NotYetVouched)
                withheld.append((user.id, user.username, str(why), tampered))
            continue
        found.append(Recipient(user.id, public))
    return found


def reach_of(session: Session, scope_key: ScopeKey) -> vouching.Reach:
    """Who a scope key may be sealed to, by what their statement says."""
    if scope_key.team_id is None:
        return vouching.reaches_access
    return vouching.reaches_team(session.get_one(Team, scope_key.team_id))


def _user_copy(
    scope_key: ScopeKey, key: bytes, recipient: Recipient, granted_by: uuid.UUID | None
) -> SealedKey:
    user_id = recipient.user_id
    return SealedKey(
        scope_key_id=scope_key.id,
        recipient_kind=RecipientKind.USER,
        recipient_user_id=user_id,
        sealed=wrapping.seal(
            recipient.exchange_public, key, TEAM_KEY_PURPOSE, str(scope_key.id), f"user:{user_id}"
        ),
        granted_by=granted_by,
    )


def create_team_key(
    session: Session, team: Team, recipients: Iterable[Recipient], granted_by: uuid.UUID | None
) -> ScopeKey:
    """Make the team's key and seal it to `recipients` and the recovery key, in `session`."""
    return _create_scope_key(
        session, ScopeKey(id=uuid.uuid4(), team_id=team.id), recipients, granted_by
    )


def _create_scope_key(
    session: Session,
    scope_key: ScopeKey,
    recipients: Iterable[Recipient],
    granted_by: uuid.UUID | None,
) -> ScopeKey:
    organisation = session.scalars(select(Organisation)).one()
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
    session.add_all(_user_copy(scope_key, key, r, granted_by) for r in recipients)
    return scope_key


def team_scope_key_or_none(session: Session, team_id: uuid.UUID) -> ScopeKey | None:
    """The team's key, or None while no holder has made it (a team IT prepared)."""
    return session.scalars(select(ScopeKey).where(ScopeKey.team_id == team_id)).one_or_none()


def team_scope_key(session: Session, team_id: uuid.UUID) -> ScopeKey:
    """The team's key; ValidationFailed while no holder has made it yet."""
    found = team_scope_key_or_none(session, team_id)
    if found is None:
        name = session.get_one(Team, team_id).name
        raise ValidationFailed(
            f"team {name} has no key yet: HR or the site's manager makes it when they next log "
            "in, and nothing is written to the team before then"
        )
    return found


# ---- the access key ----------------------------------------------------------------------
#: Roles that hold the access key: IT, which works access requests, and the keepers, who file
#: and approve them. Auditors never do.
ACCESS_KEY_ROLES = (Role.ADMIN, Role.HR, Role.SITE_MANAGER, Role.SUPERVISOR)


def access_scope_key(session: Session) -> ScopeKey | None:
    """The organisation's access key (None in a database set up before it existed, until a
    holder's login makes it: `ensure_access_key`)."""
    return session.scalars(select(ScopeKey).where(ScopeKey.access.is_(True))).one_or_none()


def access_key_entitled(session: Session) -> list[User]:
    """Enabled accounts whose role, in the database, holds the access key: the candidates,
    of whom only those whose statement stands receive it (`recipients`)."""
    query = select(User).where(User.disabled.is_(False), User.role.in_(ACCESS_KEY_ROLES))
    return list(session.scalars(query))


def create_access_key(
    session: Session, recipients: Iterable[Recipient], granted_by: uuid.UUID | None
) -> ScopeKey:
    """Make the access key, sealed to `recipients` and the recovery key, exactly as a team's
    key is (`init` makes it; `ensure_access_key` for an organisation older than it)."""
    return _create_scope_key(
        session, ScopeKey(id=uuid.uuid4(), access=True), recipients, granted_by
    )


def ensure_access_key(session: Session, actor: Actor) -> ScopeKey:
    """The access key, made now for every entitled account (the actor included) if the
    organisation predates it. Only a key holder (HR, a site manager) should call this."""
    found = access_scope_key(session)
    if found is not None:
        return found
    entitled = {user.id: user for user in access_key_entitled(session)}
    entitled.setdefault(actor.user_id, session.get_one(User, actor.user_id))
    sealed_to = recipients(session, actor, entitled.values(), vouching.reaches_access)
    return create_access_key(session, sealed_to, actor.user_id)


def hand_access_key(
    session: Session, actor: Actor, users: Iterable[User], withheld: Withheld | None = None
) -> list[uuid.UUID]:
    """Seal the actor's copy of the access key to each of `users` entitled to it and still
    without it; the ids of those handed it. Nothing when the actor holds none: only a holder
    hands it on (the caller checks the actor may grant at all)."""
    if scope_of(actor.role, Action.GRANT) is None:
        return []  # IT holds the access key but never hands it on
    scope_key = access_scope_key(session)
    if scope_key is None or not holds_key(session, actor.user_id, scope_key.id):
        return []
    return [
        user.id
        for user in users
        if not user.disabled
        and user.role in ACCESS_KEY_ROLES
        and seal_to_user(session, actor, scope_key, user, withheld)
    ]


def access_cipher(session: Session, actor: Actor) -> tuple[ScopeKey, FieldCipher]:
    """The access key and a cipher of it, opened with the actor's own copy; PermissionDenied
    when they hold none (yet)."""
    scope_key = access_scope_key(session)
    if scope_key is None or not holds_key(session, actor.user_id, scope_key.id):
        raise PermissionDenied(
            "you do not hold the access key: access requests are readable once HR or the site "
            "manager confirms your account (crmsup-admin grant)"
        )
    return scope_key, access_key_cipher(session, actor, scope_key.id)


def access_key_cipher(session: Session, actor: Actor, scope_key_id: uuid.UUID) -> FieldCipher:
    """A cipher of the access key `scope_key_id` (the one a request was sealed under)."""
    return FieldCipher(unseal_scope_key(session, actor, scope_key_id), f"access:{scope_key_id}")


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


def seal_to_user(
    session: Session,
    actor: Actor,
    scope_key: ScopeKey,
    user: User,
    withheld: Withheld | None = None,
) -> bool:
    """Hand the actor's copy of `scope_key` on to `user`, if their verified statement reaches
    it (`recipients`); False when they already hold it or it was withheld."""
    if holds_key(session, user.id, scope_key.id):
        return False
    found = recipients(session, actor, [user], reach_of(session, scope_key), withheld)
    if not found:
        return False
    key = unseal_scope_key(session, actor, scope_key.id)
    session.add(_user_copy(scope_key, key, found[0], actor.user_id))
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
