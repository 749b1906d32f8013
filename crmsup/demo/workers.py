"""Worker processes that build the demo's batches while the main process writes them.

Drawing and encrypting a batch costs about twice what writing it does, and Python runs one
thread at a time: so the batches are built by a pool of processes, a few ahead of the writer
(bounded, so memory stays flat), and written in order. The pool starts before the accounts
are made, so its start-up overlaps their Argon2id derivations. Workers are spawned, never
forked (as `crmsup.security.signature_pool` does), so no database connection or thread of
this process is copied. Where processes cannot be started, or for a single batch, the
batches are built here, one after the other: the demo is the same either way.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from crmsup.demo.file_batch import Built, Job, Setting, build, ready
from crmsup.security.signature_pool import available_processors

#: Batches built ahead of the writer, per worker.
AHEAD = 2


class Builders:
    """Use as a context manager; `built` yields each job's rows in order."""

    def __init__(self, workers: int | None, jobs: int) -> None:
        wanted = available_processors() if workers is None else workers
        self._workers = wanted if jobs > 1 else 0
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Builders:
        if self._workers >= 1:
            try:
                self._pool = ProcessPoolExecutor(
                    self._workers, mp_context=multiprocessing.get_context("spawn")
                )
                for _ in range(self._workers):
                    self._pool.submit(ready)
            except (OSError, NotImplementedError):
                self._pool = None  # no processes here (a sandbox): build in this one
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def built(self, setting: Setting, jobs: Sequence[Job]) -> Iterator[Built]:
        pool = self._pool
        if pool is None:
            for job in jobs:
                yield build(setting, job)
            return
        waiting: deque[Future[Built]] = deque()
        upcoming = iter(jobs)
        for job in upcoming:
            waiting.append(pool.submit(build, setting, job))
            if len(waiting) >= self._workers * AHEAD:
                break
        while waiting:
            done = waiting.popleft().result()
            following = next(upcoming, None)
            if following is not None:
                waiting.append(pool.submit(build, setting, following))
            yield done
