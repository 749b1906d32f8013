"""The encrypted backup file: one database copy, authenticated as a whole, read and written as
a stream.

Layout::

    magic "CRMSUPBK" | version (1 byte) | header length (4, big-endian) | header (JSON)
    header digest: SHA-256 of everything before it (32)
    header tag: HMAC-SHA256 of the digest under a key derived from the file key (32)
    records: final flag (1) | ciphertext length (4) | AES-256-GCM ciphertext and tag

A random 256-bit file key (sealed in the header, see `backup_header`) encrypts the payload in
chunks of `chunk_size` bytes, every chunk but the last one full. Chunk `i` uses nonce
`i ‖ final` and associated data `header digest ‖ i ‖ final` (the STREAM construction): a
chunk moved, dropped, repeated or appended, a file cut short, or a header changed fails with
`IntegrityFailure`. The digest catches accidental damage before any key is tried; the tag and
every chunk authenticate it. Payload and header keys are derived from the file key by HKDF.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crmsup.security.backup_header import BackupHeader
from crmsup.security.errors import IntegrityFailure

MAGIC = b"CRMSUPBK"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 64 << 10
_PREAMBLE = struct.Struct(">8sBI")
_RECORD = struct.Struct(">BI")
_COUNTER = struct.Struct(">Q")
_TAG_BYTES = 16
_DIGEST_BYTES = 32
_CHUNK_AAD = b"crmsup-backup-chunk-v1\x00"

_DAMAGED = "the backup file is damaged"
_TRUNCATED = "the backup file is truncated: its last part is missing"


def _subkey(file_key: bytes, file_id: bytes, purpose: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=file_id, info=b"crmsup-backup-v1 " + purpose
    )
    return hkdf.derive(file_key)


def _header_tag(file_key: bytes, header: BackupHeader, digest: bytes) -> bytes:
    key = _subkey(file_key, header.file_id, b"header")
    return hmac.new(key, digest, hashlib.sha256).digest()


def _nonce_and_aad(digest: bytes, counter: int, final: bool) -> tuple[bytes, bytes]:
    position = _COUNTER.pack(counter) + (b"\x01" if final else b"\x00")
    return b"\x00\x00\x00" + position, _CHUNK_AAD + digest + position


class BackupWriter:
    """Writes a header, then the payload as it is handed in; `finish()` seals the end.

    At most one chunk is held back (to know which chunk is the last)."""

    def __init__(self, stream: BinaryIO, header: BackupHeader, file_key: bytes) -> None:
        encoded = header.encode()
        if len(encoded) > MAX_HEADER_BYTES:
            raise ValueError("backup header too large")
        preamble = _PREAMBLE.pack(MAGIC, FORMAT_VERSION, len(encoded)) + encoded
        self._digest = hashlib.sha256(preamble).digest()
        stream.write(preamble + self._digest + _header_tag(file_key, header, self._digest))
        self._stream = stream
        self._aead = AESGCM(_subkey(file_key, header.file_id, b"payload"))
        self._chunk_size = header.chunk_size
        self._buffer = bytearray()
        self._counter = 0
        self._plain_hash = hashlib.sha256()
        self._plain_bytes = 0
        self._finished = False

    def write(self, data: bytes) -> None:
        if self._finished:
            raise ValueError("the backup is already finished")
        self._buffer += data
        self._plain_hash.update(data)
        self._plain_bytes += len(data)
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), final=False)
            del self._buffer[: self._chunk_size]

    def finish(self) -> tuple[int, bytes]:
        """Write the final chunk; return the payload's length and SHA-256."""
        if not self._finished:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._finished = True
        return self._plain_bytes, self._plain_hash.digest()

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        nonce, aad = _nonce_and_aad(self._digest, self._counter, final)
        sealed = self._aead.encrypt(nonce, chunk, aad)
        self._stream.write(_RECORD.pack(1 if final else 0, len(sealed)) + sealed)
        self._counter += 1


def _read_exactly(stream: BinaryIO, size: int, what: str) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise IntegrityFailure(what)
    return data


class BackupReader:
    """Reads the header at once (without any key); `chunks(file_key)` then checks the header
    tag and yields the payload one chunk at a time, failing on any damage."""

    def __init__(self, stream: BinaryIO) -> None:
        preamble = stream.read(_PREAMBLE.size)
        if len(preamble) < len(MAGIC) or preamble[: len(MAGIC)] != MAGIC:
            raise IntegrityFailure("this file is not a crmsup backup")
        if len(preamble) != _PREAMBLE.size:
            raise IntegrityFailure(_TRUNCATED)
        _magic, version, length = _PREAMBLE.unpack(preamble)
        if version != FORMAT_VERSION:
            raise IntegrityFailure(
                f"this backup uses format version {version}, which this crmsup cannot read"
            )
        if length > MAX_HEADER_BYTES:
            raise IntegrityFailure(f"{_DAMAGED}: its header length is out of range")
        encoded = _read_exactly(stream, length, _TRUNCATED)
        digest = _read_exactly(stream, _DIGEST_BYTES, _TRUNCATED)
        self._tag = _read_exactly(stream, _DIGEST_BYTES, _TRUNCATED)
        if not hmac.compare_digest(hashlib.sha256(preamble + encoded).digest(), digest):
            raise IntegrityFailure(f"{_DAMAGED}: its header does not match its checksum")
        self.header = BackupHeader.decode(encoded)
        self._digest = digest
        self._stream = stream

    def chunks(self, file_key: bytes) -> Iterator[bytes]:
        header = self.header
        if not hmac.compare_digest(_header_tag(file_key, header, self._digest), self._tag):
            raise IntegrityFailure("the backup's header was altered, or the key is not its own")
        aead = AESGCM(_subkey(file_key, header.file_id, b"payload"))
        counter = 0
        while True:
            record = self._stream.read(_RECORD.size)
            if len(record) != _RECORD.size:
                raise IntegrityFailure(_TRUNCATED)
            flag, length = _RECORD.unpack(record)
            final = flag == 1
            if flag > 1 or not _TAG_BYTES <= length <= header.chunk_size + _TAG_BYTES:
                raise IntegrityFailure(f"{_DAMAGED} at part {counter + 1}")
            if not final and length != header.chunk_size + _TAG_BYTES:
                raise IntegrityFailure(f"{_DAMAGED} at part {counter + 1}")
            sealed = _read_exactly(self._stream, length, _TRUNCATED)
            nonce, aad = _nonce_and_aad(self._digest, counter, final)
            try:
                chunk = aead.decrypt(nonce, sealed, aad)
            except InvalidTag:
                raise IntegrityFailure(
                    f"{_DAMAGED}: part {counter + 1} failed its integrity check"
                ) from None
            if final:
                if self._stream.read(1):
                    raise IntegrityFailure(f"{_DAMAGED}: data follows its last part")
                yield chunk
                return
            yield chunk
            counter += 1
