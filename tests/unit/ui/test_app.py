"""The composition root: arguments, settings and the window it builds (without exec())."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from crmsup.app import build_main_window, load_database_info, parse_args
from crmsup.settings import DB_ENV, Settings
from crmsup.ui.tasks import TaskRunner
from tests.helpers.qt_waits import OPENING_MS


def test_built_window_shows_and_reaches_no_organisation_yet(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    settings = Settings.load(f"sqlite:///{tmp_path / 'crmsup.db'}")
    window = build_main_window(settings, runner)
    qtbot.addWidget(window)
    window.show()

    qtbot.waitUntil(lambda: "No organisation yet" in window.status_text(), timeout=OPENING_MS)
    assert window.isVisible()
    assert window.windowTitle() == "crmsup"


def test_load_database_info_creates_and_reads_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crmsup.db'}"

    info = load_database_info(Settings.load(url))

    assert info.url == url
    assert info.backend == "sqlite"
    assert info.schema_revision == info.head_revision
    assert not info.initialised


def test_db_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV, "sqlite:////from/env.db")

    assert parse_args([]).db is None
    assert Settings.load(parse_args([]).db).database_url == "sqlite:////from/env.db"
    given = parse_args(["--db", "sqlite:////given.db"]).db
    assert Settings.load(given).database_url == "sqlite:////given.db"


def test_help_mentions_the_environment_variable_and_the_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--help"])

    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert DB_ENV in out
    assert "user data folder" in out
