"""The audit trail's hash chain and signatures, and their verification.

Each entry's hash is SHA-256 over the previous entry's hash and a canonical encoding of the
entry; each entry is signed with its actor's Ed25519 key. Entries written before anyone is
logged in (a failed login, a migration) are chained but unsigned, and only those kinds may be.

A signer's public key is taken from the chain itself: the `user.create` entry that created the
account records it, so replacing a key in the accounts table does not make forged entries
verify. The first account (made by `init`) certifies itself.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

GENESIS = bytes(32)
USER_CREATE = "user.create"
#: An account's owner made its key pair: the entry registers the key and is signed by it.
USER_ENROL = "user.enrol"
#: Actions that may be recorded without a signature: nobody's keys are open when they happen.
UNSIGNED_ACTIONS = frozenset({"login", "migration", "restore"})
_HASH_PREFIX = b"crmsup-audit-v1\x00"
_SIGN_PREFIX = b"crmsup-audit-sig-v1\x00"
_SIGNATURES_PREFIX = b"crmsup-audit-signatures-v1\x00"

Detail = str | int | bool | None | list[str]


def canonical_details(details: Mapping[str, Detail] | None) -> str:
    return json.dumps(
        dict(details or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


@dataclass(frozen=True, slots=True)
class EntryFields:
    """What an entry says; `at` is ISO-8601 UTC with microseconds."""

    sequence: int
    at: str
    actor_id: str | None
    actor_name: str | None
    workstation: str
    action: str
    entity_type: str | None
    entity_id: str | None
    outcome: str
    details: str

    def encoded(self) -> bytes:
        return json.dumps(
            [
                self.sequence,
                self.at,
                self.actor_id,
                self.actor_name,
                self.workstation,
                self.action,
                self.entity_type,
                self.entity_id,
                self.outcome,
                self.details,
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")


def entry_hash(previous: bytes, entry: EntryFields) -> bytes:
    return hashlib.sha256(_HASH_PREFIX + previous + entry.encoded()).digest()


def sign(key: Ed25519PrivateKey, digest: bytes) -> bytes:
    return key.sign(_SIGN_PREFIX + digest)


def signature_valid(public: bytes, signature: bytes, digest: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _SIGN_PREFIX + digest)
    except (InvalidSignature, ValueError):
        return False
    return True


def first_invalid_signature(checks: Sequence[tuple[bytes, bytes, bytes]]) -> int | None:
    """Index of the first (public key, signature, digest) that does not verify, or None.

    The same check as `signature_valid`, with each public key parsed once per call."""
    parsed: dict[bytes, Ed25519PublicKey] = {}
    for index, (public, signature, digest) in enumerate(checks):
        key = parsed.get(public)
        try:
            if key is None:
                key = parsed[public] = Ed25519PublicKey.from_public_bytes(public)
            key.verify(signature, _SIGN_PREFIX + digest)
        except (InvalidSignature, ValueError):
            return index
    return None


@dataclass(frozen=True, slots=True)
class StoredEntry:
    fields: EntryFields
    previous: bytes
    digest: bytes
    signature: bytes | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A remembered point of the chain: the entry `sequence` had hash `digest`."""

    sequence: int
    digest: bytes


@dataclass(frozen=True, slots=True)
class VerifiedPoint:
    """How far a verification checked every signature: entry `sequence` had hash `digest`,
    and `signatures` is the SHA-256 over the stored signatures of entries 1 to `sequence`
    (`signatures_digest`), so that a later change to any of them is noticed too."""

    sequence: int
    digest: bytes
    signatures: bytes


class _SignaturesDigest:
    """Running SHA-256 over each entry's stored signature, in sequence order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(_SIGNATURES_PREFIX)

    def add(self, signature: bytes | None) -> None:
        self._hash.update(b"\x00" if signature is None else b"\x01" + signature)

    def digest(self) -> bytes:
        return self._hash.digest()


def signatures_digest(signatures: Iterable[bytes | None]) -> bytes:
    running = _SignaturesDigest()
    for signature in signatures:
        running.add(signature)
    return running.digest()


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    checked: int
    head: Checkpoint | None
    first_bad: int | None = None
    reason: str | None = None
    #: How many signatures were checked (fewer than `checked` after a `verified` point).
    signatures_checked: int = 0
    #: Public signing key of each account, as recorded in the chain (account id → key).
    signer_keys: Mapping[str, bytes] = field(default_factory=dict)
    #: The head as a point a later verification may start its signature checks after.
    verified: VerifiedPoint | None = None


class _Failure(Exception):
    def __init__(self, sequence: int, reason: str) -> None:
        super().__init__(reason)
        self.sequence = sequence
        self.reason = reason


class _LateFailure(Exception):
    def __init__(self, check: SignatureCheck) -> None:
        super().__init__(check.sequence)
        self.check = check


def _registered_key(entry: EntryFields) -> bytes | None:
    """The signing key an account creation or an enrolment records, if it does."""
    if entry.action not in (USER_CREATE, USER_ENROL) or entry.outcome != "ok":
        return None
    try:
        value = json.loads(entry.details).get("signing_public")
        return bytes.fromhex(value) if isinstance(value, str) else None
    except (ValueError, AttributeError):
        return None


def _opens_enrolment(entry: EntryFields) -> bool:
    """An account created without a key pair, whose owner will make one (`USER_ENROL`)."""
    if entry.action != USER_CREATE or entry.outcome != "ok":
        return False
    try:
        return json.loads(entry.details).get("enrolment") is True
    except (ValueError, AttributeError):
        return False


def _signer_key(stored: StoredEntry, keys: dict[str, bytes], enrolling: set[str]) -> bytes | None:
    """The key `stored` must verify under (None: an unsigned entry of a kind that may be).

    An enrolment is signed by the key it registers, and only counts for an account whose
    creation, signed by an account the chain knows, said it would enrol: no one can enrol
    an account into the chain by writing an entry of their own."""
    entry = stored.fields
    if stored.signature is None:
        if entry.action not in UNSIGNED_ACTIONS:
            raise _Failure(entry.sequence, f"entry {entry.sequence} ({entry.action}) is not signed")
        return None
    if entry.actor_id is None:
        raise _Failure(entry.sequence, f"entry {entry.sequence} is signed but names no actor")
    if entry.action == USER_ENROL:
        if entry.actor_id != entry.entity_id or entry.actor_id not in enrolling:
            raise _Failure(
                entry.sequence,
                f"entry {entry.sequence} enrols an account whose creation did not provide for it",
            )
        enrolled = _registered_key(entry)
        if enrolled is None:
            raise _Failure(entry.sequence, f"entry {entry.sequence} enrols no key")
        return enrolled
    public = keys.get(entry.actor_id)
    new_key = _registered_key(entry)
    if public is None and new_key is not None and not keys and entry.entity_id == entry.actor_id:
        public = new_key  # the first account certifies itself at init
    if public is None:
        raise _Failure(
            entry.sequence,
            f"entry {entry.sequence} is signed by an account whose key the chain never recorded",
        )
    return public


def _bad_signature(sequence: int) -> _Failure:
    return _Failure(sequence, f"entry {sequence} has an invalid signature")


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One signature left to a `SignatureVerifier`; `previous` is the hash of the entry before."""

    sequence: int
    public: bytes
    signature: bytes
    digest: bytes
    previous: bytes


class SignatureVerifier(Protocol):
    """Checks signatures apart from the walk (say, on other processors).

    `verify_chain` submits checks in sequence order; `failed` may say early that some check
    failed; `first_failure` waits for every check submitted and returns the one with the
    lowest sequence that failed, if any.
    """

    def submit(self, check: SignatureCheck) -> None: ...

    def failed(self) -> bool: ...

    def first_failure(self) -> SignatureCheck | None: ...


def verify_chain(
    entries: Iterable[StoredEntry],
    *,
    checkpoints: Iterable[Checkpoint] = (),
    current_keys: Mapping[str, bytes] | None = None,
    verifier: SignatureVerifier | None = None,
    verified: VerifiedPoint | None = None,
) -> Verdict:
    """Walk the chain in sequence order and return the first thing wrong with it, if any.

    `current_keys` (account id → signing key, from the accounts table) are compared with the
    keys the chain recorded; `checkpoints` must each still be on the chain. With a `verifier`
    the signatures are checked apart from the walk, and the verdict is the same as without:
    a bad signature found late still wins over anything the walk found after it.

    `verified` is a point up to which every signature was checked by an earlier verification
    that this caller trusts. Every hash is still checked, the chain must still pass through
    that point and the stored signatures up to it must still digest to what they did; since
    each hash covers all entries before it, the entries up to that point are then exactly
    those whose signatures were checked, and their signatures are not checked again.
    """
    wanted = {c.sequence: c.digest for c in checkpoints}
    skip_through = 0
    # Should a checkpoint say otherwise of the same entry, skip nothing and let it decide.
    if (
        verified is not None
        and wanted.setdefault(verified.sequence, verified.digest) == verified.digest
    ):
        skip_through = verified.sequence
    keys: dict[str, bytes] = {}
    enrolling: set[str] = set()
    registered: list[tuple[int, str, bytes]] = []
    created_at: dict[str, int] = {}
    previous = GENESIS
    expected = 1
    checked = 0
    signatures = 0
    submitted: list[int] = []  # sequences of the checks left to `verifier`
    head: Checkpoint | None = None
    walk_failure: _Failure | None = None
    running = _SignaturesDigest()
    try:
        for stored in entries:
            entry = stored.fields
            if entry.sequence != expected:
                what = "missing" if entry.sequence > expected else "out of order or repeated"
                raise _Failure(expected, f"entry {expected} is {what}")
            if stored.previous != previous:
                raise _Failure(
                    entry.sequence, f"entry {entry.sequence} does not follow the one before it"
                )
            if entry_hash(previous, entry) != stored.digest:
                raise _Failure(
                    entry.sequence, f"entry {entry.sequence} was changed after it was written"
                )
            public = _signer_key(stored, keys, enrolling)
            running.add(stored.signature)
            if entry.sequence <= skip_through:
                pass  # checked by the verification that reached `verified`
            elif public is not None and stored.signature is not None:
                signatures += 1
                if verifier is None:
                    if not signature_valid(public, stored.signature, stored.digest):
                        raise _bad_signature(entry.sequence)
                else:
                    submitted.append(entry.sequence)
                    verifier.submit(
                        SignatureCheck(
                            entry.sequence, public, stored.signature, stored.digest, previous
                        )
                    )
                    if verifier.failed():
                        break  # the walk stops; the bad signature is resolved below
            new_key = _registered_key(entry)
            if entry.entity_id is not None and _opens_enrolment(entry):
                enrolling.add(entry.entity_id)
            elif new_key is not None and entry.entity_id is not None:
                enrolling.discard(entry.entity_id)
                keys[entry.entity_id] = new_key
                registered.append((entry.sequence, entry.entity_id, new_key))
                created_at[entry.entity_id] = entry.sequence
            if entry.sequence in wanted and wanted[entry.sequence] != stored.digest:
                raise _Failure(
                    entry.sequence, f"the chain no longer matches checkpoint {entry.sequence}"
                )
            if entry.sequence == skip_through and running.digest() != _signatures_of(verified):
                raise _Failure(
                    entry.sequence,
                    f"signatures of entries up to {entry.sequence} changed after they were "
                    "verified",
                )
            previous = stored.digest
            head = Checkpoint(entry.sequence, stored.digest)
            expected += 1
            checked += 1
    except _Failure as failure:
        walk_failure = failure
    # Any signature check that failed lies at or before where the walk stopped, so it wins.
    late = None if verifier is None else verifier.first_failure()
    try:
        if late is not None:
            raise _LateFailure(late)
        if walk_failure is not None:
            raise walk_failure
        beyond = [s for s in wanted if s >= expected]
        if beyond:
            raise _Failure(
                expected,
                f"the chain ends at {expected - 1}, before checkpoint {min(beyond)}: "
                "entries were removed",
            )
        for account, public in (current_keys or {}).items():
            recorded = keys.get(account)
            if recorded is not None and recorded != public:
                seq = created_at[account]
                raise _Failure(
                    seq, f"an account's public key differs from the one recorded in entry {seq}"
                )
    except _LateFailure as failure:
        # As if the walk had stopped at this entry: what came before it, and nothing after.
        bad = failure.check
        earlier = {account: key for seq, account, key in registered if seq < bad.sequence}
        before = Checkpoint(bad.sequence - 1, bad.previous) if bad.sequence > 1 else None
        reason = _bad_signature(bad.sequence).reason
        upto = bisect.bisect_right(submitted, bad.sequence)
        return Verdict(False, bad.sequence - 1, before, bad.sequence, reason, upto, earlier)
    except _Failure as failure:
        return Verdict(False, checked, head, failure.sequence, failure.reason, signatures, keys)
    point = None if head is None else VerifiedPoint(head.sequence, head.digest, running.digest())
    return Verdict(
        True, checked, head, signatures_checked=signatures, signer_keys=keys, verified=point
    )


def _signatures_of(point: VerifiedPoint | None) -> bytes:
    return b"" if point is None else point.signatures
