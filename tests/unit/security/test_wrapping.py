from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from crmsup.security.errors import IntegrityFailure
from crmsup.security.fields import new_key
from crmsup.security.wrapping import raw_public, seal, unseal, unwrap_key, wrap_key


def test_wrap_round_trip_and_binding() -> None:
    outer, inner = new_key(), new_key()
    wrapped = wrap_key(outer, inner, "associate-data-key", "associate:1", "scope:9")
    assert unwrap_key(outer, wrapped, "associate-data-key", "associate:1", "scope:9") == inner
    with pytest.raises(IntegrityFailure):
        unwrap_key(outer, wrapped, "associate-data-key", "associate:2", "scope:9")
    with pytest.raises(IntegrityFailure):
        unwrap_key(new_key(), wrapped, "associate-data-key", "associate:1", "scope:9")


def test_seal_opens_only_for_the_recipient() -> None:
    alice, mallory = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    key = new_key()
    sealed = seal(raw_public(alice.public_key()), key, "team-key", "scope:1", "user:alice")
    assert unseal(alice, sealed, "team-key", "scope:1", "user:alice") == key
    assert key not in sealed
    with pytest.raises(IntegrityFailure):
        unseal(mallory, sealed, "team-key", "scope:1", "user:alice")


def test_a_sealed_key_copied_to_another_grant_fails() -> None:
    alice = X25519PrivateKey.generate()
    sealed = seal(raw_public(alice.public_key()), new_key(), "team-key", "scope:1", "user:a")
    with pytest.raises(IntegrityFailure):
        unseal(alice, sealed, "team-key", "scope:2", "user:a")


@pytest.mark.parametrize("sealed", [b"", bytes(32), bytes(80)])
def test_malformed_sealed_keys_fail_closed(sealed: bytes) -> None:
    with pytest.raises(IntegrityFailure):
        unseal(X25519PrivateKey.generate(), sealed, "team-key", "scope:1")
