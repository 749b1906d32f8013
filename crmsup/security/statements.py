"""Signed account statements: who an account is, as a key holder vouched for it.

A statement binds an account's id, user name, role and scope (its site, the teams it leads or
was granted, the sites whose access requests it works) to its two public keys, and is signed
with the Ed25519 key of the holder who vouched (HR, or a site manager within the site) — or,
for the organisation's first HR account, with the organisation's root key, which is derived
from the recovery key (`root_signing_key`) and so exists only where the recovery sheet is.

Before a client seals a key to an account it verifies the account's newest statement, and its
signer's, back to the root; and it takes the role, the scope and the public key to seal to
from the statement, never from the plain columns that anyone who can write the database can
change. Each statement names the digest of the one it replaces (`previous`) and counts up
(`serial`), so a chain of them is one account's history of being vouched for.

Pure: canonical bytes, signing and verifying. Which signer may vouch for what is decided where
the accounts are (`crmsup.records.vouching`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from crmsup.security.errors import IntegrityFailure

VERSION = 1
_PREFIX = b"crmsup-statement-v1\x00"
#: The signer of a statement signed with the organisation's root key.
ROOT = "root"
PUBLIC_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class Statement:
    """What a holder vouches for. Ids are the canonical text of UUIDs; `teams` and `sites` are
    sorted, so that equal statements have equal bytes."""

    account: str
    username: str
    role: str
    site: str | None
    exchange_public: bytes
    signing_public: bytes
    serial: int
    issued_at: str
    #: The signer's account id, or ROOT.
    signer: str
    teams: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    #: Digest of the statement this one replaces; None for an account's first.
    previous: bytes | None = field(default=None)

    def __post_init__(self) -> None:
        if len(self.exchange_public) != PUBLIC_KEY_BYTES:
            raise ValueError("an exchange public key is 32 bytes")
        if len(self.signing_public) != PUBLIC_KEY_BYTES:
            raise ValueError("a signing public key is 32 bytes")
        if self.serial < 1:
            raise ValueError("statements count from 1")
        if tuple(sorted(set(self.teams))) != self.teams:
            raise ValueError("teams are sorted and distinct")
        if tuple(sorted(set(self.sites))) != self.sites:
            raise ValueError("sites are sorted and distinct")

    def encode(self) -> bytes:
        """Canonical bytes: what is signed and stored."""
        body: dict[str, Any] = {
            "v": VERSION,
            "account": self.account,
            "username": self.username,
            "role": self.role,
            "site": self.site,
            "teams": list(self.teams),
            "sites": list(self.sites),
            "exchange_public": self.exchange_public.hex(),
            "signing_public": self.signing_public.hex(),
            "serial": self.serial,
            "issued_at": self.issued_at,
            "signer": self.signer,
            "previous": None if self.previous is None else self.previous.hex(),
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()

    def digest(self) -> bytes:
        return hashlib.sha256(_PREFIX + self.encode()).digest()

    def succeeded_by(self, **changes: Any) -> Statement:
        """The next statement of the same account: `changes` applied, serial and previous
        moved on (the caller sets signer and issued_at)."""
        return replace(self, serial=self.serial + 1, previous=self.digest(), **changes)


def decode(data: bytes) -> Statement:
    """A statement from its stored bytes; IntegrityFailure when they are not one."""
    try:
        body = json.loads(data)
        if not isinstance(body, dict) or body.get("v") != VERSION:
            raise ValueError("unknown statement version")
        statement = Statement(
            account=_text(body["account"]),
            username=_text(body["username"]),
            role=_text(body["role"]),
            site=None if body["site"] is None else _text(body["site"]),
            teams=tuple(_text(t) for t in body["teams"]),
            sites=tuple(_text(s) for s in body["sites"]),
            exchange_public=bytes.fromhex(_text(body["exchange_public"])),
            signing_public=bytes.fromhex(_text(body["signing_public"])),
            serial=int(body["serial"]),
            issued_at=_text(body["issued_at"]),
            signer=_text(body["signer"]),
            previous=None if body["previous"] is None else bytes.fromhex(_text(body["previous"])),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise IntegrityFailure("an account statement is malformed") from error
    if statement.encode() != data:
        raise IntegrityFailure("an account statement is not in its canonical form")
    return statement


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def sign(statement: Statement, signer: Ed25519PrivateKey) -> bytes:
    return signer.sign(_PREFIX + statement.encode())


def verify(statement: Statement, signature: bytes, signer_public: bytes) -> bool:
    """True when `signature` is `signer_public`'s over exactly this statement."""
    try:
        Ed25519PublicKey.from_public_bytes(signer_public).verify(
            signature, _PREFIX + statement.encode()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def root_signing_key(recovery: X25519PrivateKey) -> Ed25519PrivateKey:
    """The organisation's root signing key, derived from the recovery key: whoever holds the
    recovery sheet holds it, and no one else can make it."""
    raw = recovery.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    seed = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"crmsup-root-signing-v1").derive(
        raw
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(statement_or_keys: Statement | tuple[bytes, bytes]) -> str:
    """A short code a person reads aloud to check that the keys a holder is about to vouch
    for are the ones on the owner's own screen: 20 hex digits of the keys' digest, grouped."""
    if isinstance(statement_or_keys, Statement):
        exchange, signing = statement_or_keys.exchange_public, statement_or_keys.signing_public
    else:
        exchange, signing = statement_or_keys
    digest = hashlib.sha256(b"crmsup-fingerprint-v1\x00" + exchange + signing).hexdigest()[:20]
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4)).upper()
