"""The background runner: where functions and callbacks run, failures, order, shutdown."""

from __future__ import annotations

import functools
import logging
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmsup.ui.tasks import TaskRunner


def test_success_callback_gets_the_value_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner, qapp: QApplication
) -> None:
    ran_on: list[int] = []
    received: list[tuple[str, int, bool]] = []

    def work() -> str:
        ran_on.append(threading.get_ident())
        return "value"

    def on_success(value: str) -> None:
        on_gui = QThread.currentThread() is qapp.thread()
        received.append((value, threading.get_ident(), on_gui))

    task = runner.run(work).success(on_success)
    qtbot.waitUntil(lambda: bool(received))

    assert task.done
    assert len(ran_on) == 1
    assert ran_on[0] != threading.get_ident()
    assert received == [("value", threading.get_ident(), True)]


def test_failure_callback_receives_the_exception(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []
    successes: list[object] = []

    def work() -> int:
        raise ValueError("boom")

    runner.run(work).success(successes.append).failure(errors.append)
    qtbot.waitUntil(lambda: bool(errors))

    assert len(errors) == 1
    assert isinstance(errors[0], ValueError)
    assert str(errors[0]) == "boom"
    assert successes == []


def test_tasks_run_in_submission_order(qtbot: QtBot, runner: TaskRunner) -> None:
    ran: list[int] = []
    delivered: list[int] = []

    def work(number: int) -> int:
        ran.append(number)
        return number

    for number in range(50):
        runner.run(functools.partial(work, number)).success(delivered.append)
    qtbot.waitUntil(lambda: len(delivered) == 50)

    assert ran == list(range(50))
    assert delivered == list(range(50))


def test_callback_registered_after_the_outcome_runs_at_once(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    task = runner.run(lambda: 42)
    qtbot.waitUntil(lambda: task.done)
    late: list[int] = []

    task.success(late.append)

    assert late == [42]


def test_unhandled_failure_is_logged_by_type_only(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KeyError("secret-looking detail")

    with caplog.at_level(logging.ERROR, logger="crmsup.ui.tasks"):
        task = runner.run(work)
        qtbot.waitUntil(lambda: task.done)

    assert "builtins.KeyError" in caplog.text
    assert "secret-looking detail" not in caplog.text


def test_shutdown_stops_the_thread_and_refuses_new_work(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    started = threading.Event()
    delivered: list[str] = []

    def blocking() -> str:
        started.set()
        release.wait(timeout=5)
        return "first"

    runner.run(blocking).success(delivered.append)
    runner.run(lambda: "queued").success(delivered.append)
    qtbot.waitUntil(started.is_set)
    release.set()
    runner.shutdown()
    runner.shutdown()  # a second call is harmless

    assert not runner.is_running
    qapp = QApplication.instance()
    assert qapp is not None
    qapp.processEvents()
    assert delivered == []  # nothing is delivered after shutdown
    with pytest.raises(RuntimeError, match="shut down"):
        runner.run(lambda: None)
