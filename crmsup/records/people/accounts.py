"""Making an account's key material: shared by `init` and `user add`."""

from __future__ import annotations

import uuid

from crmsup.records.models import Site, User
from crmsup.security.audit_chain import Detail
from crmsup.security.kdf import DEFAULT_PARAMS, KdfParams, new_salt
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys


def new_user(
    username: str,
    role: Role,
    password: str,
    site: Site | None,
    params: KdfParams = DEFAULT_PARAMS,
) -> tuple[User, UserKeys]:
    """A User row with fresh key pairs sealed under `password` (not yet added to a session),
    and the keys themselves, for the one moment they are needed (init signs with them)."""
    user_id = uuid.uuid4()
    keys = UserKeys.generate()
    public = keys.public()
    salt = new_salt()
    user = User(
        id=user_id,
        username=username,
        role=role,
        site_id=site.id if site else None,
        disabled=False,
        kdf_memory_kib=params.memory_kib,
        kdf_iterations=params.iterations,
        kdf_lanes=params.lanes,
        kdf_salt=salt,
        sealed_private=keys.seal_with_password(password, salt, params, str(user_id)),
        exchange_public=public.exchange,
        signing_public=public.signing,
        failed_logins=0,
        lockouts=0,
    )
    return user, keys


def creation_details(user: User) -> dict[str, Detail]:
    """What the audit trail records of a new account: its role and public keys (the chain
    is where verifiers learn which key signs for whom)."""
    return {
        "role": user.role.value,
        "signing_public": user.signing_public.hex(),
        "exchange_public": user.exchange_public.hex(),
        "site": None if user.site_id is None else str(user.site_id),
    }


def kdf_params_of(user: User) -> KdfParams:
    return KdfParams(
        memory_kib=user.kdf_memory_kib, iterations=user.kdf_iterations, lanes=user.kdf_lanes
    )


def reseal(user: User, keys: UserKeys, password: str, params: KdfParams) -> None:
    """Seal the user's unchanged private keys under a new password or stronger parameters."""
    salt = new_salt()
    user.kdf_salt = salt
    user.kdf_memory_kib = params.memory_kib
    user.kdf_iterations = params.iterations
    user.kdf_lanes = params.lanes
    user.sealed_private = keys.seal_with_password(password, salt, params, str(user.id))
