"""Vouching: holders sign who an account is, and clients check it back to the root.

When HR or a site manager vouches for an account (a grant, naming a supervisor, recovery), or
`init` roots the first HR account, the account's present role, scope and public keys are
signed into a statement (`crmsup.security.statements`), newest last. `standing` checks an
account's newest statement, and its signer's, and so on, back to the organisation's root key
as the checking client pinned it at enrolment: a statement changed, forged, signed by someone
who may not vouch, or chained to another root is `Untrusted`, with the reason.

Which role may vouch for what: HR for any account; a site manager for a supervisor whose
teams are all on their site, and for an admin of their site; the root key for HR accounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.audit import iso
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import (
    AccountKeys,
    AccountStatement,
    Team,
    TeamGrant,
    TeamSupervisor,
    User,
)
from crmsup.records.types import utcnow
from crmsup.security import statements
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Role
from crmsup.security.statements import ROOT, Statement


class Untrusted(IntegrityFailure):
    """An account's standing does not verify back to the root: nothing is sealed to it."""


class NotYetVouched(Untrusted):
    """Nothing is wrong, but no holder has vouched for the account (in this scope) yet: the
    ordinary state of an account or a team IT has just prepared."""


@dataclass(frozen=True, slots=True)
class _Stored:
    statement: Statement
    signature: bytes


def _newest(session: Session, user_id: uuid.UUID) -> _Stored | None:
    row = session.scalars(
        select(AccountStatement)
        .where(AccountStatement.user_id == user_id)
        .order_by(AccountStatement.serial.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return _Stored(statements.decode(bytes(row.body)), bytes(row.signature))


def _scope_now(session: Session, user: User) -> tuple[str, ...]:
    """The teams the account leads or was granted, as the database has them now."""
    ids = set(session.scalars(select(TeamGrant.team_id).where(TeamGrant.user_id == user.id)))
    ids.update(
        session.scalars(select(TeamSupervisor.team_id).where(TeamSupervisor.user_id == user.id))
    )
    return tuple(sorted(str(i) for i in ids))


def _store(
    session: Session,
    user: User,
    statement: Statement,
    signer: Ed25519PrivateKey,
    signer_id: uuid.UUID | None,
) -> None:
    session.add(
        AccountStatement(
            user_id=user.id,
            serial=statement.serial,
            body=statement.encode(),
            signature=statements.sign(statement, signer),
            signer_id=signer_id,
        )
    )
    session.flush()


def _sign(
    session: Session,
    signer: Ed25519PrivateKey,
    signer_id: uuid.UUID | None,
    user: User,
    now: datetime | None,
) -> Statement | None:
    keys = session.get(AccountKeys, user.id)
    if keys is None:
        return None  # nothing to vouch for until the owner has made their key pair
    fields = {
        "username": user.username,
        "role": user.role.value,
        "site": None if user.site_id is None else str(user.site_id),
        "teams": _scope_now(session, user),
        "sites": (),
        "exchange_public": bytes(keys.exchange_public),
        "signing_public": bytes(keys.signing_public),
        "signer": ROOT if signer_id is None else str(signer_id),
        "issued_at": iso(now or utcnow()),
    }
    previous = _newest(session, user.id)
    if previous is not None and (
        previous.statement.exchange_public,
        previous.statement.signing_public,
    ) != (fields["exchange_public"], fields["signing_public"]):
        # A holder vouches for a person, not for whatever key a row names today: keys
        # changed in the database are never adopted by a routine grant.
        raise Untrusted(
            f"{user.username}'s public keys in the database are not the ones vouched for: "
            "the database may have been tampered with"
        )
    if previous is not None:
        same = all(
            getattr(previous.statement, name) == value
            for name, value in fields.items()
            if name != "issued_at"
        )
        if same:
            return previous.statement
        statement = previous.statement.succeeded_by(**fields)
    else:
        statement = Statement(account=str(user.id), serial=1, **fields)  # type: ignore[arg-type]
    _store(session, user, statement, signer, signer_id)
    return statement


def vouch(session: Session, holder: Actor, user: User, now: datetime | None = None) -> bool:
    """Sign `user`'s present role, scope and public keys with the holder's key, unless the
    newest statement, by the same signer, already says as much; False when the account has
    not enrolled yet."""
    return _sign(session, holder.keys.signing, holder.user_id, user, now) is not None


#: The role of a statement that ends an account's standing (it was disabled).
VOID = "void"


def void(session: Session, actor: Actor, user: User) -> bool:
    """End `user`'s standing with a successor statement saying so, signed by whoever
    disables the account (IT included: taking trust away needs no standing to give it).
    False when the account never stood."""
    previous = _newest(session, user.id)
    if previous is None or previous.statement.role == VOID:
        return False
    statement = previous.statement.succeeded_by(
        role=VOID, signer=str(actor.user_id), issued_at=iso(utcnow())
    )
    _store(session, user, statement, actor.keys.signing, actor.user_id)
    return True


def vouch_as_root(
    session: Session, root: Ed25519PrivateKey, user: User, now: datetime | None = None
) -> None:
    """`init`'s statement of the first HR account, signed with the organisation's root key."""
    if user.role is not Role.HR or _sign(session, root, None, user, now) is None:
        raise ValidationFailed(
            f"{user.username} has not set up their account yet (their first login), or is not "
            "HR: the recovery key vouches only for HR accounts"
        )


def standing(session: Session, user_id: uuid.UUID, root_pin: bytes) -> Statement:
    """The account's newest statement, verified back to `root_pin`; Untrusted otherwise."""
    return _Checker(session, root_pin).check(user_id)


class _Checker:
    def __init__(self, session: Session, root_pin: bytes) -> None:
        self.session = session
        self.root_pin = root_pin
        self.done: dict[uuid.UUID, Statement] = {}
        self.open: set[uuid.UUID] = set()

    def check(self, user_id: uuid.UUID) -> Statement:
        if user_id in self.done:
            return self.done[user_id]
        if user_id in self.open:
            raise Untrusted("account statements vouch for each other in a circle")
        self.open.add(user_id)
        try:
            statement = self._verify(user_id)
        finally:
            self.open.discard(user_id)
        self.done[user_id] = statement
        return statement

    def _verify(self, user_id: uuid.UUID) -> Statement:
        try:
            stored = _newest(self.session, user_id)
        except IntegrityFailure as error:
            raise Untrusted(f"an account's statement is damaged: {error}") from None
        if stored is None:
            raise NotYetVouched("no holder has vouched for this account yet")
        statement = stored.statement
        if statement.role == VOID:
            # Forged or not, a void only takes trust away: it is never checked further.
            raise NotYetVouched(
                "its account was disabled: a holder vouches for it again once it is re-enabled"
            )
        if statement.account != str(user_id):
            raise Untrusted("an account carries a statement made for another account")
        if statement.signer == ROOT:
            if statement.role != Role.HR.value:
                raise Untrusted("the root key vouches only for HR accounts")
            signer_public = self.root_pin
        else:
            signer = self.check(uuid.UUID(statement.signer))
            refusal = _may_vouch(signer, statement, self._team_sites)
            if refusal is not None:
                raise Untrusted(refusal)
            signer_public = signer.signing_public
        if not statements.verify(statement, stored.signature, signer_public):
            raise Untrusted("an account's statement does not carry its signer's signature")
        return statement

    def _team_sites(self, team_ids: tuple[str, ...]) -> set[str]:
        ids = [uuid.UUID(t) for t in team_ids]
        return {str(s) for s in self.session.scalars(select(Team.site_id).where(Team.id.in_(ids)))}


def _may_vouch(
    signer: Statement, statement: Statement, team_sites: Callable[[tuple[str, ...]], set[str]]
) -> str | None:
    """Why `signer` may not vouch for what `statement` says, or None when it may."""
    if signer.role == Role.HR.value:
        return None
    if signer.role == Role.SITE_MANAGER.value and signer.site is not None:
        if statement.role == Role.SUPERVISOR.value and team_sites(statement.teams) <= {signer.site}:
            return None
        if statement.role == Role.ADMIN.value and statement.site == signer.site:
            return None
        return "a site manager vouches only for supervisors and admins of their own site"
    return f"a {signer.role} may not vouch for anyone"


# ---- what a key may be sealed to ----------------------------------------------------------
Reach = Callable[[Statement], bool]
_READS_RECORDS = (Role.HR.value, Role.SITE_MANAGER.value, Role.SUPERVISOR.value)


def reaches_team(team: Team) -> Reach:
    """Whether a statement's role and scope reach `team` (HR: every team; a site manager:
    their site's; a supervisor or site manager: the teams vouched for)."""

    def reach(statement: Statement) -> bool:
        if statement.role == Role.HR.value:
            return True
        if statement.role == Role.SITE_MANAGER.value and statement.site == str(team.site_id):
            return True
        return statement.role in _READS_RECORDS and str(team.id) in statement.teams

    return reach


def reaches_access(statement: Statement) -> bool:
    """Whether a statement's role holds the access key (IT and the keepers; never auditors)."""
    return statement.role in (Role.ADMIN.value, *_READS_RECORDS)


def sealable(session: Session, root_pin: bytes | None, user: User, reach: Reach) -> bytes:
    """The public key to seal a key to `user` with: the one their verified statement names,
    provided the statement reaches the key's scope and the database still says what it says.
    Untrusted, with the reason, otherwise: a key is never sealed from plain columns."""
    if root_pin is None:
        raise Untrusted(
            "your own key pair predates enrolment, so your client cannot check anyone's "
            "standing: log in again to renew it"
        )
    statement = standing(session, user.id, root_pin)
    site = None if user.site_id is None else str(user.site_id)
    vouched = (statement.role, statement.site, statement.username)
    if vouched != (user.role.value, site, user.username):
        raise Untrusted("its role or site in the database is not the one vouched for")
    keys = session.get(AccountKeys, user.id)
    if keys is None or (bytes(keys.exchange_public), bytes(keys.signing_public)) != (
        statement.exchange_public,
        statement.signing_public,
    ):
        raise Untrusted("its public keys in the database are not the ones vouched for")
    if not reach(statement):
        raise NotYetVouched("no holder has vouched for it in this scope yet")
    return statement.exchange_public
