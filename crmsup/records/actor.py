"""The acting user of a session: who they are, and the keys their password unlocked.

Decrypted keys live only here, in memory. `lock()` drops them (idle timeout, manual lock,
logout); every service then refuses to decrypt until the user logs in again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from crmsup.records.errors import AuthenticationFailed
from crmsup.security.permissions import Role
from crmsup.security.user_keys import UserKeys


@dataclass(eq=False)
class Actor:
    user_id: uuid.UUID
    username: str
    role: Role
    site_id: uuid.UUID | None
    _keys: UserKeys | None
    #: Scope keys unsealed so far in this session, by ScopeKey id.
    _scope_keys: dict[uuid.UUID, bytes] = field(default_factory=dict, repr=False)
    #: What the login found that the user should look into (keys withheld from accounts whose
    #: standing does not verify), one line each.
    notices: list[str] = field(default_factory=list, repr=False)
    #: Accounts waiting for this holder to vouch for them (a holder's login only).
    waiting: list[str] = field(default_factory=list, repr=False)

    @property
    def keys(self) -> UserKeys:
        if self._keys is None:
            raise AuthenticationFailed("the session is locked; log in again")
        return self._keys

    @property
    def locked(self) -> bool:
        return self._keys is None

    def cached_scope_key(self, scope_key_id: uuid.UUID) -> bytes | None:
        return self._scope_keys.get(scope_key_id)

    def remember_scope_key(self, scope_key_id: uuid.UUID, key: bytes) -> None:
        self._scope_keys[scope_key_id] = key

    def lock(self) -> None:
        """Forget every private and scope key held by this session."""
        self._keys = None
        self._scope_keys.clear()

    def unlock(self, keys: UserKeys) -> None:
        """Hold the keys reopened by the user's password after a lock."""
        self._keys = keys
