"""The one background runner: database work off the GUI thread, results back on it.

Anki's pattern (HOUSE.md): an operation is a plain function queued on a single worker thread,
and its `.success()` / `.failure()` callbacks run on the GUI thread. One worker means
operations run one at a time, in the order they were submitted, and never race each other.

Promises:
- the function runs on the worker thread, never on the GUI thread;
- callbacks run on the thread that created the runner (the GUI thread), never on the worker;
- the worker never sees the `Task` or its callbacks (which hold widgets), and the last
  reference to a submitted function is dropped on the GUI thread, so no Qt object is ever
  released on the worker;
- after `shutdown()` no callback runs and `run()` refuses new work.
"""

from __future__ import annotations

import itertools
import logging
import queue
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

__all__ = ["Task", "TaskRunner"]

T = TypeVar("T")

log = logging.getLogger(__name__)

_Job = tuple[int, Callable[[], object]]


def _type_name(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


class Task(Generic[T]):
    """What `TaskRunner.run()` returns: register what to do with the outcome.

    Callbacks registered after the outcome arrived run at once, so registering is never late.
    A failure that no callback handles is logged by type only (messages may name records).
    """

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn: Callable[[], T] | None = fn  # held here until done; see the module docstring
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []
        self._outcome: tuple[T] | BaseException | None = None

    @property
    def done(self) -> bool:
        return self._outcome is not None

    def success(self, callback: Callable[[T], None]) -> Task[T]:
        if self._outcome is None:
            self._on_success.append(callback)
        elif isinstance(self._outcome, tuple):
            callback(self._outcome[0])
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Task[T]:
        if self._outcome is None:
            self._on_failure.append(callback)
        elif isinstance(self._outcome, BaseException):
            callback(self._outcome)
        return self

    def _finish(self, outcome: tuple[T] | BaseException) -> None:
        self._outcome, self._fn = outcome, None
        on_success, on_failure = self._on_success, self._on_failure
        self._on_success, self._on_failure = [], []
        if isinstance(outcome, tuple):
            for success_callback in on_success:
                success_callback(outcome[0])
        elif on_failure:
            for failure_callback in on_failure:
                failure_callback(outcome)
        else:
            log.error("a background task failed with %s, unhandled", _type_name(outcome))


class _WorkerThread(QThread):
    """Runs queued functions one by one; a `None` in the queue ends the thread."""

    outcome = Signal(int, object, object)  # task id, value, error (None when it succeeded)

    def __init__(self, jobs: queue.SimpleQueue[_Job | None], parent: QObject) -> None:
        super().__init__(parent)
        self._jobs = jobs

    def run(self) -> None:
        while (job := self._jobs.get()) is not None:
            task_id, fn = job
            del job
            value: object = None
            error: BaseException | None = None
            try:
                value = fn()
            except BaseException as exc:  # every outcome goes back to the GUI thread
                error = exc
                # The frames' locals may hold the function; let the GUI thread drop it last.
                traceback.clear_frames(exc.__traceback__)
            del fn
            self.outcome.emit(task_id, value, error)
            del value, error


class TaskRunner(QObject):
    """Owns the single worker thread. Create it on the GUI thread; `shutdown()` it on quit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, Task[Any]] = {}
        self._closed = False
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = _WorkerThread(self._jobs, self)
        self._thread.setObjectName("crmsup-worker")
        self._thread.outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    def run(self, fn: Callable[[], T]) -> Task[T]:
        """Queue `fn` on the worker; it runs after every function queued before it."""
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        task = Task(fn)
        task_id = next(self._ids)
        self._pending[task_id] = task
        self._jobs.put((task_id, fn))
        return task

    @property
    def is_running(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self) -> None:
        """Stop the worker: the function running now finishes, queued ones are dropped.

        Blocks until the thread has ended; no callback runs afterwards. Safe to call twice.
        """
        if self._closed:
            return
        self._closed = True
        try:
            while True:
                self._jobs.get_nowait()
        except queue.Empty:
            pass
        self._jobs.put(None)
        self._thread.wait()
        self._pending.clear()

    @Slot(int, object, object)
    def _deliver(self, task_id: int, value: object, error: object) -> None:
        task = self._pending.pop(task_id, None)
        if task is None or self._closed:
            return
        task._finish(error if isinstance(error, BaseException) else (value,))
