"""An account's secrets: the one-time first password IT sets, and the key pair its owner makes.

IT creates an account with a first password (`new_enrolment`) and no key pair. At the first
login the owner chooses their own password and their client makes the pair (`new_keys`), so
nothing IT knew opens anything the account will hold. Only `init` makes a pair for an
account it creates: the first HR account, for the person setting the organisation up.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crmsup.records.models import AccountKeys, Enrolment, Site, User
from crmsup.security.audit_chain import Detail
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams, derive_key, new_salt
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys

#: How long a first password lets its account enrol.
ENROLMENT_VALID_FOR = timedelta(days=7)


def new_account(
    username: str, role: Role, site: Site | None, user_id: uuid.UUID | None = None
) -> User:
    """A User row without secrets (not yet added to a session)."""
    return User(
        id=user_id or uuid.uuid4(),
        username=username,
        role=role,
        site_id=site.id if site else None,
        disabled=False,
        failed_logins=0,
        lockouts=0,
    )


def new_enrolment(
    user_id: uuid.UUID,
    first_password: str,
    issued_by: uuid.UUID | None,
    now: datetime,
    params: KdfParams = DEFAULT_PARAMS,
    valid_for: timedelta = ENROLMENT_VALID_FOR,
) -> Enrolment:
    """The verifier of `first_password`, valid for `valid_for` from `now`. It costs an Argon2id
    derivation: make it before the transaction that stores it."""
    salt = new_salt()
    return Enrolment(
        user_id=user_id,
        kdf_memory_kib=params.memory_kib,
        kdf_iterations=params.iterations,
        kdf_lanes=params.lanes,
        kdf_salt=salt,
        verifier=derive_key(first_password, salt, params),
        expires_at=now + valid_for,
        issued_by=issued_by,
        issued_at=now,
    )


def enrolment_matches(enrolment: Enrolment, password: str) -> bool:
    derived = derive_key(password, enrolment.kdf_salt, kdf_params_of(enrolment))
    return hmac.compare_digest(derived, enrolment.verifier)


def new_keys(
    user_id: uuid.UUID,
    password: str,
    root_pin: bytes | None,
    params: KdfParams = DEFAULT_PARAMS,
) -> tuple[AccountKeys, UserKeys]:
    """A fresh key pair sealed under `password` with the root pin, as a row and as keys."""
    keys = UserKeys.generate(root_pin)
    row = AccountKeys(user_id=user_id, inherited=False)
    reseal(row, keys, password, params)
    public = keys.public()
    row.exchange_public = public.exchange
    row.signing_public = public.signing
    return row, keys


def keys_of(session: Session, user_id: uuid.UUID) -> AccountKeys | None:
    """The account's key pair, or None until its owner has enrolled."""
    return session.get(AccountKeys, user_id)


def creation_details(user: User, keys: AccountKeys | None = None) -> dict[str, Detail]:
    """What the audit trail records of a new account: its role, and its public keys when it
    has them (the chain is where verifiers learn which key signs for whom); an account IT
    creates has none until its owner enrols (`enrolment_details`)."""
    details: dict[str, Detail] = {
        "role": user.role.value,
        "site": None if user.site_id is None else str(user.site_id),
    }
    if keys is None:
        details["enrolment"] = True
    else:
        details |= enrolment_details(keys)
    return details


def enrolment_details(keys: AccountKeys) -> dict[str, Detail]:
    return {
        "signing_public": keys.signing_public.hex(),
        "exchange_public": keys.exchange_public.hex(),
    }


def kdf_params_of(row: AccountKeys | Enrolment) -> KdfParams:
    return KdfParams(
        memory_kib=row.kdf_memory_kib, iterations=row.kdf_iterations, lanes=row.kdf_lanes
    )


def reseal(row: AccountKeys, keys: UserKeys, password: str, params: KdfParams) -> None:
    """Seal the account's unchanged private keys under a new password or stronger parameters."""
    salt = new_salt()
    row.kdf_salt = salt
    row.kdf_memory_kib = params.memory_kib
    row.kdf_iterations = params.iterations
    row.kdf_lanes = params.lanes
    row.sealed_private = keys.seal_with_password(password, salt, params, str(row.user_id))
