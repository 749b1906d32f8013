from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from crmsup.security.errors import IntegrityFailure
from crmsup.security.fields import FieldCipher, new_key


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(new_key(), "key-1")


@given(text=st.text())
def test_round_trip_of_any_text(text: str) -> None:
    cipher = FieldCipher(new_key(), "key-1")
    blob = cipher.encrypt("associates", "first_name_enc", "row-1", text)
    assert cipher.decrypt("associates", "first_name_enc", "row-1", blob) == text


def test_ciphertext_holds_no_plaintext(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("associates", "first_name_enc", "row-1", "Ørjan")
    assert "Ørjan".encode() not in blob
    assert blob != cipher.encrypt("associates", "first_name_enc", "row-1", "Ørjan")


@pytest.mark.parametrize("position", [0, 1, 12, 13, -1])
def test_a_flipped_byte_is_an_integrity_failure(cipher: FieldCipher, position: int) -> None:
    blob = bytearray(cipher.encrypt("associates", "first_name_enc", "row-1", "Ørjan"))
    blob[position] ^= 0x01
    with pytest.raises(IntegrityFailure):
        cipher.decrypt("associates", "first_name_enc", "row-1", bytes(blob))


@pytest.mark.parametrize(
    ("table", "column", "row"),
    [
        ("associates", "first_name_enc", "row-2"),  # moved to another row
        ("associates", "last_name_enc", "row-1"),  # moved to another column
        ("candidates", "first_name_enc", "row-1"),  # moved to another table
    ],
)
def test_a_moved_value_fails_to_decrypt(
    cipher: FieldCipher, table: str, column: str, row: str
) -> None:
    blob = cipher.encrypt("associates", "first_name_enc", "row-1", "Ørjan")
    with pytest.raises(IntegrityFailure):
        cipher.decrypt(table, column, row, blob)


def test_another_key_id_fails_to_decrypt(cipher: FieldCipher) -> None:
    key = new_key()
    blob = FieldCipher(key, "key-1").encrypt("t", "c", "r", "x")
    with pytest.raises(IntegrityFailure):
        FieldCipher(key, "key-2").decrypt("t", "c", "r", blob)


@pytest.mark.parametrize("blob", [b"", b"\x01", b"\x02" + bytes(40)])
def test_malformed_blobs_are_integrity_failures(cipher: FieldCipher, blob: bytes) -> None:
    with pytest.raises(IntegrityFailure):
        cipher.decrypt("t", "c", "r", blob)


def test_keys_are_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FieldCipher(b"short", "k")


def test_a_value_sealed_under_the_v1_format_still_opens() -> None:
    """Known answer: the layout and associated data of stored fields must never drift,
    or every existing database stops opening."""
    key = bytes(range(32))
    nonce = bytes(12)
    aad = "\x1f".join(("crmsup-field-v1", "associates", "first_name_enc", "row-1", "key-1"))
    blob = b"\x01" + nonce + AESGCM(key).encrypt(nonce, "Ørjan".encode(), aad.encode())
    assert FieldCipher(key, "key-1").decrypt("associates", "first_name_enc", "row-1", blob) == (
        "Ørjan"
    )
    with pytest.raises(IntegrityFailure):
        FieldCipher(key, "key-2").decrypt("associates", "first_name_enc", "row-1", blob)
