"""The main window. For now: which database is open, what it holds, and what to do next."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from crmsup.records.errors import CrmsupError
from crmsup.records.people.info import DatabaseInfo
from crmsup.ui.tasks import TaskRunner

__all__ = ["INIT_COMMAND", "MainWindow"]

log = logging.getLogger(__name__)

INIT_COMMAND = (
    "crmsup-admin init --org NAME --site NAME --admin USER --hr USER --recovery-key-file FILE"
)

_STATUS_STYLES = {
    "busy": "color: palette(placeholder-text);",
    "ok": "font-weight: 600;",
    "hint": "font-weight: 600;",
    "error": (
        "color: #8a1c1c; background: #fdecec; border: 1px solid #e8b4b4;"
        " border-radius: 4px; padding: 8px;"
    ),
}


def _plain_label(text: str = "") -> QLabel:
    """A label that shows text as given (never as HTML) and lets it be selected and copied."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MainWindow(QMainWindow):
    """Loads `DatabaseInfo` through the runner, off the GUI thread, and shows it."""

    #: Emitted once the status area shows an outcome (information or an error).
    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        load_info: Callable[[], DatabaseInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._load_info = load_info
        self.setWindowTitle("crmsup")
        # An explicit minimum keeps the window's size hints fixed as the status area changes.
        self.setMinimumSize(560, 360)
        self.resize(760, 420)

        title = QLabel("crmsup")
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setWeight(QFont.Weight.DemiBold)
        title.setFont(title_font)
        subtitle = QLabel("Personnel records for call-centre supervisors, HR and IT")
        subtitle.setStyleSheet("color: palette(placeholder-text);")
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)

        self._status = _plain_label()
        self._status.setObjectName("status")
        # One line that scrolls rather than wraps: a command broken at "--" reads as two.
        self._command = QLineEdit(INIT_COMMAND)
        self._command.setObjectName("command")
        self._command.setReadOnly(True)
        self._command.setCursorPosition(0)
        self._command.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._command.setStyleSheet(
            "background: palette(alternate-base); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 6px;"
        )
        self._details = QWidget()
        self._form = QFormLayout(self._details)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setHorizontalSpacing(16)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(rule)
        layout.addSpacing(6)
        layout.addWidget(self._status)
        layout.addWidget(self._command)
        layout.addWidget(self._details)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.reload()

    def status_text(self) -> str:
        """What the status area says now."""
        return self._status.text()

    def reload(self) -> None:
        """Read the database information again, on the worker."""
        self._show_status("Opening the database…", "busy")
        self._command.hide()
        self._details.hide()
        self._runner.run(self._load_info).success(self._show_info).failure(self._show_error)

    def _show_status(self, text: str, kind: str) -> None:
        self._status.setText(text)
        self._status.setStyleSheet(_STATUS_STYLES[kind])

    def _show_details(self, rows: list[tuple[str, str]]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        for name, value in rows:
            label = QLabel(name)
            label.setStyleSheet("color: palette(placeholder-text);")
            self._form.addRow(label, _plain_label(value))
        self._details.show()

    def _show_info(self, info: DatabaseInfo) -> None:
        schema = info.schema_revision or "none"
        if info.schema_revision != info.head_revision:
            schema += f" (this crmsup expects {info.head_revision})"
        rows = [("Database", info.url), ("Schema revision", schema)]
        if info.initialised:
            self._show_status(f"Organisation: {info.organisation}", "ok")
            self._command.hide()
            rows += [
                ("Sites", str(info.sites)),
                ("Teams", str(info.teams)),
                ("Users", str(info.users)),
                ("Associates", str(info.associates)),
            ]
        else:
            self._show_status(
                "No organisation yet. An administrator sets one up with this command:", "hint"
            )
            self._command.show()
        self._show_details(rows)
        self.loaded.emit()

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, CrmsupError):
            message = str(error) or type(error).__name__
            self._show_status(message[:1].upper() + message[1:], "error")
        else:
            log.error(
                "loading the database information failed: unexpected %s.%s",
                type(error).__module__,
                type(error).__qualname__,
            )
            self._show_status(
                "An unexpected error stopped crmsup from reading the database; "
                "its type was logged for IT.",
                "error",
            )
        self._command.hide()
        self._details.hide()
        self.loaded.emit()
