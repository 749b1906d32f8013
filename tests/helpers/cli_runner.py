"""Runs `crmsup-admin` in-process, as the CLI tests do, keeping what it printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsup.cli.main import main
from tests.factories import PASSWORD


class CliRunner:
    """`runner(*argv, password=…, new=…)` returns the exit code; `.out` and `.err` hold the
    output when the runner was given `capsys`."""

    def __init__(
        self,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str] | None = None,
    ) -> None:
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.capsys = capsys
        self.out = ""
        self.err = ""

    def url(self, name: str = "crmsup.db") -> str:
        return f"sqlite:///{self.folder / name}"

    def __call__(self, *argv: str, password: str = PASSWORD, new: str | None = None) -> int:
        self.monkeypatch.setenv("CRMSUP_PASSWORD", password)
        if new is not None:
            self.monkeypatch.setenv("CRMSUP_NEW_PASSWORD", new)
        code = main(list(argv))
        if self.capsys is not None:
            captured = self.capsys.readouterr()
            self.out, self.err = captured.out, captured.err
        return code
