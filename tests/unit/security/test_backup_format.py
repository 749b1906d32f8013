"""The backup file: a round trip, and every kind of damage refused with IntegrityFailure."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import struct
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsup.security.backup_format import BackupReader, BackupWriter
from crmsup.security.backup_header import (
    AdminCopy,
    Backend,
    BackupHeader,
    make_header,
    new_file_key,
)
from crmsup.security.errors import IntegrityFailure, WrongPassword
from crmsup.security.kdf import DEFAULT_PARAMS, new_salt
from crmsup.security.recovery import new_recovery_key
from crmsup.security.user_keys import UserKeys
from crmsup.security.wrapping import raw_public

PASSWORD = "an admin's long passphrase"
CHUNK = 64
RECOVERY = new_recovery_key()
ORGANISATION = str(uuid.uuid4())


def _admin(keys: UserKeys, password: str = PASSWORD) -> AdminCopy:
    user_id = str(uuid.uuid4())
    salt = new_salt()
    return AdminCopy(
        user_id=user_id,
        username="root",
        kdf=DEFAULT_PARAMS,
        salt=salt,
        sealed_private=keys.seal_with_password(password, salt, DEFAULT_PARAMS, user_id),
        exchange_public=keys.public().exchange,
    )


ADMIN_KEYS = UserKeys.generate()


@functools.cache
def _admin_copy() -> AdminCopy:
    """Sealed once (an Argon2id derivation costs a quarter second)."""
    return _admin(ADMIN_KEYS)


def _header(file_key: bytes, chunk_size: int = CHUNK) -> BackupHeader:
    return make_header(
        file_key,
        organisation_id=ORGANISATION,
        backend=Backend.SQLITE,
        schema="0003",
        created_at="2025-01-02T03:04:05.000006Z",
        admin=_admin_copy(),
        recovery_public=raw_public(RECOVERY.public_key()),
        chunk_size=chunk_size,
    )


def _file(payload: bytes, chunk_size: int = CHUNK, pieces: int = 1) -> tuple[bytes, bytes]:
    """A backup of `payload` (handed to the writer in `pieces`) and its file key."""
    key = new_file_key()
    out = io.BytesIO()
    writer = BackupWriter(out, _header(key, chunk_size), key)
    step = max(1, len(payload) // pieces)
    for start in range(0, len(payload), step):
        writer.write(payload[start : start + step])
    writer.finish()
    return out.getvalue(), key


def _read(data: bytes, key: bytes) -> bytes:
    return b"".join(BackupReader(io.BytesIO(data)).chunks(key))


def _split(data: bytes) -> tuple[bytes, list[bytes]]:
    """The file's header part, and its records (flag, length, ciphertext) one by one."""
    (length,) = struct.unpack(">I", data[9:13])
    start = 13 + length + 64
    records = []
    position = start
    while position < len(data):
        (size,) = struct.unpack(">I", data[position + 1 : position + 5])
        records.append(data[position : position + 5 + size])
        position += 5 + size
    return data[:start], records


PAYLOAD = bytes(range(256)) * 2  # eight full chunks


def test_round_trip_and_every_way_to_open_the_key() -> None:
    data, key = _file(PAYLOAD + b"tail")
    header = BackupReader(io.BytesIO(data)).header
    assert BackupHeader.decode(header.encode()) == header
    assert header.open_with_recovery(RECOVERY) == key
    assert header.open_with_keys(ADMIN_KEYS.exchange) == key
    assert _read(data, key) == PAYLOAD + b"tail"


def test_the_admins_password_alone_opens_the_file() -> None:
    data, key = _file(b"payload")
    header = BackupReader(io.BytesIO(data)).header
    keys = header.admin.open(PASSWORD)
    assert header.open_with_keys(keys.exchange) == key
    with pytest.raises(WrongPassword):
        header.admin.open("not the passphrase")


def test_the_header_holds_no_payload_and_the_body_no_plaintext() -> None:
    secret = "Ørjan Bøe".encode() * 20
    data, _ = _file(secret)
    assert "Ørjan".encode() not in data


@given(
    size=st.one_of(
        st.integers(min_value=0, max_value=2 * CHUNK + 1),
        st.sampled_from([k * CHUNK + d for k in range(1, 6) for d in (-1, 0, 1)]),
    ),
    pieces=st.integers(min_value=1, max_value=7),
)
def test_any_size_round_trips_around_the_chunk_boundary(size: int, pieces: int) -> None:
    payload = bytes((i * 7) % 251 for i in range(size))
    data, key = _file(payload, pieces=pieces)
    assert _read(data, key) == payload
    _, records = _split(data)
    assert len(records) == max(1, -(-size // CHUNK))
    assert [r[0] for r in records] == [0] * (len(records) - 1) + [1]


@pytest.mark.parametrize("where", ["magic", "version", "length", "header", "digest", "tag"])
def test_a_flipped_byte_in_the_header_is_refused(where: str) -> None:
    data, key = _file(PAYLOAD)
    (length,) = struct.unpack(">I", data[9:13])
    position = {
        "magic": 0,
        "version": 8,
        "length": 12,
        "header": 13 + length // 2,
        "digest": 13 + length + 5,
        "tag": 13 + length + 32 + 5,
    }[where]
    damaged = bytearray(data)
    damaged[position] ^= 0x20
    with pytest.raises(IntegrityFailure):
        _read(bytes(damaged), key)


def test_a_flipped_byte_anywhere_in_the_body_is_refused() -> None:
    data, key = _file(PAYLOAD + b"x")
    start = len(_split(data)[0])
    for position in range(start, len(data), 7):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        with pytest.raises(IntegrityFailure):
            _read(bytes(damaged), key)


def test_a_truncated_file_is_refused_at_every_length() -> None:
    data, key = _file(PAYLOAD + b"x")
    for length in range(0, len(data), 5):
        with pytest.raises(IntegrityFailure):
            _read(data[:length], key)


def test_a_missing_final_chunk_is_refused() -> None:
    data, key = _file(PAYLOAD + b"x")
    head, records = _split(data)
    with pytest.raises(IntegrityFailure, match="truncated"):
        _read(head + b"".join(records[:-1]), key)


def test_swapped_repeated_or_appended_chunks_are_refused() -> None:
    data, key = _file(PAYLOAD + b"x")
    head, records = _split(data)
    swapped = [records[1], records[0], *records[2:]]
    repeated = [records[0], *records]
    for variant in (swapped, repeated):
        with pytest.raises(IntegrityFailure):
            _read(head + b"".join(variant), key)
    with pytest.raises(IntegrityFailure, match="follows its last part"):
        _read(data + records[-1], key)
    with pytest.raises(IntegrityFailure, match="follows its last part"):
        _read(data + b"\x00", key)


def test_chunks_of_another_file_are_refused() -> None:
    first, key = _file(PAYLOAD)
    second, _ = _file(PAYLOAD)
    head, _records = _split(first)
    _other_head, others = _split(second)
    with pytest.raises(IntegrityFailure):
        _read(head + b"".join(others), key)


def test_a_rewritten_header_with_a_fresh_checksum_is_refused() -> None:
    data, key = _file(PAYLOAD)
    (length,) = struct.unpack(">I", data[9:13])
    document = json.loads(data[13 : 13 + length])
    document["schema"] = "0002"
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    preamble = data[:9] + struct.pack(">I", len(encoded)) + encoded
    forged = preamble + hashlib.sha256(preamble).digest() + data[13 + length + 32 :]
    with pytest.raises(IntegrityFailure, match="header was altered"):
        _read(forged, key)


def test_a_foreign_file_or_another_key_is_refused() -> None:
    data, _key = _file(PAYLOAD)
    header = BackupReader(io.BytesIO(data)).header
    with pytest.raises(IntegrityFailure, match="not a crmsup backup"):
        BackupReader(io.BytesIO(b"SQLite format 3\x00" + bytes(100)))
    with pytest.raises(IntegrityFailure, match="another organisation"):
        header.open_with_recovery(new_recovery_key())
    with pytest.raises(IntegrityFailure):
        header.open_with_keys(UserKeys.generate().exchange)
    with pytest.raises(IntegrityFailure):
        _read(data, new_file_key())


def test_a_newer_format_version_is_refused() -> None:
    data, key = _file(b"x")
    with pytest.raises(IntegrityFailure, match="format version 2"):
        _read(data[:8] + b"\x02" + data[9:], key)


def test_the_writer_refuses_writes_after_the_end() -> None:
    key = new_file_key()
    writer = BackupWriter(io.BytesIO(), _header(key), key)
    assert writer.finish()[0] == 0
    with pytest.raises(ValueError, match="finished"):
        writer.write(b"late")
