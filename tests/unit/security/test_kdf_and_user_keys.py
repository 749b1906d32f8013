from __future__ import annotations

import pytest

from crmsup.security.errors import WrongPassword
from crmsup.security.kdf import (
    DEFAULT_PARAMS,
    MIN_ITERATIONS,
    MIN_MEMORY_KIB,
    KdfParams,
    needs_upgrade,
    new_salt,
)
from crmsup.security.user_keys import UserKeys


def test_defaults_meet_the_design_minimum() -> None:
    assert DEFAULT_PARAMS.memory_kib >= 64 * 1024
    assert DEFAULT_PARAMS.iterations >= 3


@pytest.mark.parametrize(
    ("memory", "iterations"), [(MIN_MEMORY_KIB - 1, MIN_ITERATIONS), (MIN_MEMORY_KIB, 2)]
)
def test_weaker_parameters_are_refused(memory: int, iterations: int) -> None:
    with pytest.raises(ValueError, match="minimum"):
        KdfParams(memory_kib=memory, iterations=iterations)


def test_needs_upgrade_when_defaults_rise() -> None:
    assert not needs_upgrade(DEFAULT_PARAMS, DEFAULT_PARAMS)
    assert needs_upgrade(DEFAULT_PARAMS, KdfParams(iterations=DEFAULT_PARAMS.iterations + 1))
    assert needs_upgrade(DEFAULT_PARAMS, KdfParams(memory_kib=DEFAULT_PARAMS.memory_kib * 2))


def test_private_keys_open_only_with_the_password_and_for_the_user() -> None:
    keys = UserKeys.generate()
    salt = new_salt()
    sealed = keys.seal_with_password("a long passphrase", salt, DEFAULT_PARAMS, "user-1")
    opened = UserKeys.open_with_password(
        sealed, "a long passphrase", salt, DEFAULT_PARAMS, "user-1"
    )
    assert opened.public() == keys.public()
    with pytest.raises(WrongPassword):
        UserKeys.open_with_password(sealed, "a long passphrasE", salt, DEFAULT_PARAMS, "user-1")
    with pytest.raises(WrongPassword):
        UserKeys.open_with_password(sealed, "a long passphrase", salt, DEFAULT_PARAMS, "user-2")
