"""The main window's status area: opening, not initialised, initialised, errors, closing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from crmsup.records.database import open_database
from crmsup.records.people.info import DatabaseInfo, database_info
from crmsup.ui.main_window import INIT_COMMAND, MainWindow
from crmsup.ui.tasks import TaskRunner
from tests.helpers.qt_waits import OPENING_MS


def loader(url: str) -> Callable[[], DatabaseInfo]:
    def load() -> DatabaseInfo:
        db = open_database(url)
        try:
            return database_info(db)
        finally:
            db.dispose()

    return load


def shown_window(qtbot: QtBot, runner: TaskRunner, load: Callable[[], DatabaseInfo]) -> MainWindow:
    window = MainWindow(runner, load)
    qtbot.addWidget(window)
    window.show()
    return window


def label_texts(window: MainWindow) -> list[str]:
    """The text of every visible label, and of the command box when it is visible."""
    widgets: list[QLabel | QLineEdit] = [
        *window.findChildren(QLabel),
        *window.findChildren(QLineEdit),
    ]
    return [widget.text() for widget in widgets if widget.isVisibleTo(window)]


def test_empty_database_shows_no_organisation_and_the_command(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'crmsup.db'}"
    window = shown_window(qtbot, runner, loader(url))

    qtbot.waitUntil(lambda: "No organisation yet" in window.status_text(), timeout=OPENING_MS)

    assert window.windowTitle() == "crmsup"
    texts = label_texts(window)
    assert INIT_COMMAND in texts
    assert url in texts
    assert (tmp_path / "crmsup.db").exists()


def test_status_says_opening_until_the_information_arrives(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    release = threading.Event()
    load_real = loader(f"sqlite:///{tmp_path / 'crmsup.db'}")

    def load() -> DatabaseInfo:
        release.wait(timeout=5)
        return load_real()

    window = shown_window(qtbot, runner, load)
    assert "Opening the database" in window.status_text()

    with qtbot.waitSignal(window.loaded, timeout=OPENING_MS):
        release.set()
    assert "No organisation yet" in window.status_text()


def test_initialised_database_shows_organisation_and_counts(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    info = DatabaseInfo(
        url="postgresql+psycopg://crm:***@db.example/crmsup",
        backend="postgresql",
        schema_revision="0001",
        head_revision="0001",
        organisation="Northwind Contact Centre",
        sites=2,
        teams=7,
        users=31,
        associates=412,
    )
    window = shown_window(qtbot, runner, lambda: info)

    with qtbot.waitSignal(window.loaded, timeout=OPENING_MS):
        pass
    texts = label_texts(window)
    assert "Northwind Contact Centre" in window.status_text()
    assert info.url in texts
    assert {"0001", "2", "7", "31", "412"} <= set(texts)
    assert INIT_COMMAND not in texts


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////proc/forbidden/x.db", "Cannot create the database file in /proc/forbidden"),
        ("not a database url", "The database URL is not understood"),
        ("mysql://db.example/crm", "SQLite or PostgreSQL only"),
    ],
)
def test_database_that_cannot_be_opened_shows_the_error(
    qtbot: QtBot, runner: TaskRunner, url: str, expected: str
) -> None:
    window = shown_window(qtbot, runner, loader(url))

    with qtbot.waitSignal(window.loaded, timeout=OPENING_MS):
        pass
    assert expected in window.status_text()
    assert INIT_COMMAND not in label_texts(window)


def test_unexpected_error_shows_a_generic_line_and_logs_the_type_only(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def load() -> DatabaseInfo:
        raise ZeroDivisionError("private detail")

    with caplog.at_level(logging.ERROR):
        window = shown_window(qtbot, runner, load)
        with qtbot.waitSignal(window.loaded, timeout=OPENING_MS):
            pass

    assert "unexpected error" in window.status_text()
    assert "private detail" not in window.status_text()
    assert "Traceback" not in window.status_text()
    assert "builtins.ZeroDivisionError" in caplog.text
    assert "private detail" not in caplog.text


def test_window_closes_and_the_runner_shuts_down(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    window = shown_window(qtbot, runner, loader(f"sqlite:///{tmp_path / 'crmsup.db'}"))
    with qtbot.waitSignal(window.loaded, timeout=OPENING_MS):
        pass

    assert window.close()
    assert not window.isVisible()
    runner.shutdown()
    assert not runner.is_running
