"""Composition root of the desktop app: settings → runner → main window.

Nothing here touches the database on the GUI thread: the window asks the runner to run
`load_database_info`, which opens (and migrates) the database on the worker.
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys

from PySide6.QtWidgets import QApplication

from crmsup.records.database import open_database
from crmsup.records.people.info import DatabaseInfo, database_info
from crmsup.settings import APP_NAME, DB_ENV, Settings
from crmsup.ui.main_window import MainWindow
from crmsup.ui.tasks import TaskRunner

__all__ = ["build_main_window", "load_database_info", "main", "parse_args"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=APP_NAME, description="crmsup desktop app")
    parser.add_argument(
        "--db",
        metavar="URL",
        help=(
            f"database URL (sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME); "
            f"default: ${DB_ENV}, else crmsup.db in the user data folder"
        ),
    )
    return parser.parse_args(argv)


def load_database_info(settings: Settings) -> DatabaseInfo:
    """Open the database, read what it holds, close it. Runs on the worker thread."""
    db = open_database(settings.database_url)
    try:
        return database_info(db)
    finally:
        db.dispose()


def build_main_window(settings: Settings, runner: TaskRunner) -> MainWindow:
    return MainWindow(runner, functools.partial(load_database_info, settings))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.load(args.db)
    QApplication.setApplicationName(APP_NAME)
    app = QApplication(sys.argv[:1])
    runner = TaskRunner()
    app.aboutToQuit.connect(runner.shutdown)
    window = build_main_window(settings, runner)
    window.show()
    exit_code = app.exec()
    runner.shutdown()  # idempotent: normally already done on aboutToQuit
    del window  # before the QApplication goes, as Qt requires
    return exit_code
