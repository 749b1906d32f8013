"""Checking the audit trail's signatures on every processor while the chain is walked.

An Ed25519 verification costs some 30 times what re-hashing an entry does, so a long trail
is verified fastest with the walk (hashes, order, signers, checkpoints) in this process and
the signatures checked in chunks by a pool of worker processes. A short trail never starts
the pool: below one chunk the signatures are checked here, as they would be without it.

Nothing is weakened by this: every signature is still checked, a worker that dies is made
up for by checking its chunk here, and `verify_chain` gives the same verdict either way.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from crmsup.security.audit_chain import SignatureCheck, first_invalid_signature

#: Signatures per chunk: about a third of a second of work, large enough that sending a
#: chunk to a worker costs little beside checking it.
CHUNK = 2000

_Triples = list[tuple[bytes, bytes, bytes]]


def available_processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


class ParallelSignatures:
    """A `SignatureVerifier` (see `verify_chain`) backed by a process pool.

    Use it as a context manager: leaving the block stops the workers, also after an error.
    Workers are started with "spawn" (never "fork"), so a process that has threads (a GUI,
    a database driver) is not copied in the middle of what those threads were doing.
    """

    def __init__(self, workers: int | None = None, chunk: int = CHUNK) -> None:
        self._workers = workers if workers is not None else available_processors()
        self._chunk = chunk
        self._pending: list[SignatureCheck] = []
        self._batches: list[tuple[list[SignatureCheck], Future[int | None]]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._started = False
        self._scanned = 0
        self._known_bad = False

    def __enter__(self) -> ParallelSignatures:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def started_workers(self) -> bool:
        """Whether a pool of workers was started (for tests and benchmarks)."""
        return self._started

    def submit(self, check: SignatureCheck) -> None:
        self._pending.append(check)
        if len(self._pending) >= self._chunk:
            self._send(parallel=True)
            self._scan()

    def failed(self) -> bool:
        return self._known_bad

    def first_failure(self) -> SignatureCheck | None:
        """Wait for every chunk; the lowest failed check, if any. Later chunks are cancelled
        once an earlier one has failed."""
        if self._pending:
            self._send(parallel=self._pool is not None)  # too few alone to repay a pool
        for index, (batch, future) in enumerate(self._batches):
            bad = _outcome(batch, future)
            if bad is not None:
                for _, later in self._batches[index + 1 :]:
                    later.cancel()
                return batch[bad]
        return None

    def _send(self, *, parallel: bool) -> None:
        batch, self._pending = self._pending, []
        pool = self._start() if parallel and self._pool is None else self._pool
        future: Future[int | None] | None = None
        if parallel and pool is not None:
            try:
                future = pool.submit(first_invalid_signature, _triples(batch))
            except (BrokenProcessPool, RuntimeError):
                future = None  # the pool is gone: check here instead
        if future is None:
            future = Future()
            future.set_result(first_invalid_signature(_triples(batch)))
        self._batches.append((batch, future))

    def _start(self) -> ProcessPoolExecutor | None:
        if self._workers < 2:
            return None
        try:
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=multiprocessing.get_context("spawn")
            )
        except (OSError, NotImplementedError):
            return None  # no processes here (a sandbox): check in this process instead
        self._started = True
        return self._pool

    def _scan(self) -> None:
        """Look, without waiting, at the chunks already done, in order."""
        while self._scanned < len(self._batches):
            batch, future = self._batches[self._scanned]
            if not future.done():
                return
            if _outcome(batch, future) is not None:
                self._known_bad = True
                return
            self._scanned += 1


def _outcome(batch: list[SignatureCheck], future: Future[int | None]) -> int | None:
    """Index of the first bad signature of `batch`, as its worker found (or here, if the
    worker died: nothing a dead worker said counts)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return first_invalid_signature(_triples(batch))


def _triples(batch: list[SignatureCheck]) -> _Triples:
    return [(check.public, check.signature, check.digest) for check in batch]
