"""Signatures checked apart from the walk give the very verdict of the sequential walk."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crmsup.security import signature_pool
from crmsup.security.audit_chain import (
    GENESIS,
    Checkpoint,
    EntryFields,
    SignatureCheck,
    StoredEntry,
    Verdict,
    canonical_details,
    entry_hash,
    sign,
    verify_chain,
)
from crmsup.security.signature_pool import ParallelSignatures

ADMIN, HR, STRANGER = (Ed25519PrivateKey.generate() for _ in range(3))
SIGNERS = {"admin": ADMIN, "hr": HR, "stranger": STRANGER}
LENGTH = 60


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _spec(n: int) -> tuple[str, str | None, str | None, str]:
    """(action, actor, entity, details) of entry n: admin certifies itself and hr, then work."""
    if n == 1:
        return (
            "user.create",
            "admin",
            "admin",
            canonical_details({"signing_public": _public(ADMIN).hex()}),
        )
    if n == 2:
        return (
            "user.create",
            "admin",
            "hr",
            canonical_details({"signing_public": _public(HR).hex()}),
        )
    if n % 7 == 0:
        return "login", None, None, "{}"
    return "associate.view", "hr" if n % 2 else "admin", f"a{n}", "{}"


def _chain(
    length: int = LENGTH,
    bad_signatures: frozenset[int] = frozenset(),
    signed_by: dict[int, str] | None = None,
) -> list[StoredEntry]:
    previous, out = GENESIS, []
    for n in range(1, length + 1):
        action, actor, entity, details = _spec(n)
        actor = (signed_by or {}).get(n, actor)
        fields = EntryFields(
            n, "2026-11-23T09:00:00.000000Z", actor, actor, "ws", action, "x", entity, "ok", details
        )
        digest = entry_hash(previous, fields)
        signature = None if actor is None else sign(SIGNERS[actor], digest)
        if n in bad_signatures and signature is not None:
            signature = sign(STRANGER, digest)
        out.append(StoredEntry(fields, previous, digest, signature))
        previous = digest
    return out


def _changed(chain: list[StoredEntry], n: int) -> list[StoredEntry]:
    edited = replace(chain[n - 1], fields=replace(chain[n - 1].fields, outcome="denied"))
    return [*chain[: n - 1], edited, *chain[n:]]


Case = Callable[[], tuple[list[StoredEntry], list[Checkpoint], dict[str, bytes]]]

CASES: dict[str, Case] = {
    "intact": lambda: (_chain(), [], {}),
    "bad signature then a changed entry": lambda: (
        _changed(_chain(bad_signatures=frozenset({10})), 30),
        [],
        {},
    ),
    "one bad signature late": lambda: (_chain(bad_signatures=frozenset({53})), [], {}),
    "bad signature on the last entry": lambda: (_chain(bad_signatures=frozenset({LENGTH})), [], {}),
    "bad self-certification": lambda: (_chain(bad_signatures=frozenset({1})), [], {}),
    "bad signature and checkpoint on one entry": lambda: (
        _chain(bad_signatures=frozenset({20})),
        [Checkpoint(20, bytes(32))],
        {},
    ),
    "checkpoint mismatch only": lambda: (
        (chain := _chain()),
        [Checkpoint(20, bytes(32)), Checkpoint(5, chain[4].digest)],
        {},
    ),
    "checkpoint beyond the end and a bad signature": lambda: (
        _chain(bad_signatures=frozenset({50})),
        [Checkpoint(LENGTH + 5, bytes(32))],
        {},
    ),
    "checkpoint beyond the end": lambda: (_chain(), [Checkpoint(LENGTH + 5, bytes(32))], {}),
    "replaced account key and a bad signature": lambda: (
        _chain(bad_signatures=frozenset({44})),
        [],
        {"hr": _public(STRANGER)},
    ),
    "replaced account key": lambda: (
        _chain(),
        [],
        {"hr": _public(STRANGER), "admin": _public(ADMIN)},
    ),
    "unknown signer before a bad signature": lambda: (
        _chain(bad_signatures=frozenset({45}), signed_by={40: "stranger"}),
        [],
        {},
    ),
    "bad signature before an unknown signer": lambda: (
        _chain(bad_signatures=frozenset({25}), signed_by={40: "stranger"}),
        [],
        {},
    ),
    "several bad signatures": lambda: (_chain(bad_signatures=frozenset({12, 13, 31})), [], {}),
}


def _both(case: Case, verifier: ParallelSignatures) -> tuple[Verdict, Verdict]:
    entries, checkpoints, keys = case()
    alone = verify_chain(entries, checkpoints=checkpoints, current_keys=keys)
    with verifier:
        apart = verify_chain(
            iter(entries), checkpoints=checkpoints, current_keys=keys, verifier=verifier
        )
    return alone, apart


@pytest.mark.parametrize("chunk", [1, 4, 7, 1000])
@pytest.mark.parametrize("name", sorted(CASES))
def test_checks_apart_give_the_same_verdict(name: str, chunk: int) -> None:
    alone, apart = _both(CASES[name], ParallelSignatures(workers=1, chunk=chunk))
    assert apart == alone


def test_the_cases_cover_failures_of_each_kind() -> None:
    verdicts = {}
    for name, case in CASES.items():
        entries, checkpoints, keys = case()
        verdicts[name] = verify_chain(entries, checkpoints=checkpoints, current_keys=keys)
    assert verdicts["intact"].ok
    assert verdicts["bad signature then a changed entry"].first_bad == 10
    assert verdicts["bad signature and checkpoint on one entry"].reason == (
        "entry 20 has an invalid signature"
    )
    assert verdicts["unknown signer before a bad signature"].first_bad == 40
    assert verdicts["bad signature before an unknown signer"].first_bad == 25
    assert verdicts["replaced account key and a bad signature"].first_bad == 44
    assert all(not v.ok for name, v in verdicts.items() if name != "intact")


@pytest.mark.parametrize(
    "name", ["intact", "bad signature then a changed entry", "several bad signatures"]
)
def test_worker_processes_give_the_same_verdict(name: str) -> None:
    verifier = ParallelSignatures(workers=2, chunk=8)
    alone, apart = _both(CASES[name], verifier)
    assert apart == alone
    assert verifier.started_workers


def test_a_short_trail_never_starts_workers() -> None:
    verifier = ParallelSignatures(workers=2)
    alone, apart = _both(CASES["one bad signature late"], verifier)
    assert apart == alone
    assert not verifier.started_workers


def test_a_chunk_whose_worker_died_is_checked_here() -> None:
    chain = _chain(bad_signatures=frozenset({4}))
    batch = [
        SignatureCheck(n, _public(ADMIN), chain[n - 1].signature or b"", chain[n - 1].digest, b"")
        for n in (1, 2, 4, 6)
    ]
    died: Future[int | None] = Future()
    died.set_exception(BrokenProcessPool("a worker died"))
    assert signature_pool._outcome(batch, died) == 2


def test_available_processors_is_at_least_one() -> None:
    assert signature_pool.available_processors() >= 1
