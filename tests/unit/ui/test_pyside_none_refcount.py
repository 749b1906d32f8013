"""Regression: PySide6 6.12.0 on CPython 3.11 loses a reference to None per void call.

Every call that returns nothing dropped one reference to `None`; after about 5,000 calls the
count reached zero and the interpreter aborted in `none_dealloc`. pyproject.toml therefore pins
PySide6-Essentials below 6.12 on Python < 3.12 (where None is not yet immortal).
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

CALLS = 1_000
MARGIN = 50


def test_void_calls_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)

    for _ in range(CALLS):
        widget.resize(10, 10)

    after = sys.getrefcount(None)
    assert after >= before - MARGIN, f"None lost {before - after} references in {CALLS} calls"


def test_installed_pyside_honours_the_pin_for_python_before_3_12() -> None:
    installed = tuple(PySide6.__version_info__[:2])
    if sys.version_info < (3, 12):
        assert installed < (6, 12), f"PySide6 {PySide6.__version__} has the None refcount bug"
    else:
        assert installed >= (6, 8)
