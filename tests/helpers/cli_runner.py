"""Runs `crmsup-admin` in-process, as the CLI tests do, keeping what it printed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from crmsup.cli.main import main
from crmsup.records.checkpoints import STATE_DIR_ENV
from crmsup.records.database import open_database
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, Org, add_associate, build_org


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

    def enrol(self, user: str, first: str, own: str) -> int:
        """The account's first login: IT's first password, then the owner's own."""
        return self("--user", user, "user", "passwd", password=first, new=own)


class OrgCli(CliRunner):
    """A runner on a copy of the `org` fixture's organisation (`org_template`): each call
    logs in as the user named, with that user's password."""

    def as_(self, user: str, *argv: str) -> int:
        password = SUPERVISOR_PASSWORD if user.startswith("sup-") else PASSWORD
        return self("--user", user, *argv, password=password)

    def hr(self, *argv: str) -> int:
        return self.as_("hr", *argv)

    def sup(self, *argv: str, who: str = "sup-a") -> int:
        return self.as_(who, *argv)

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.out)
        return data


def org_template(folder: Path, fill: Callable[[Org], object] = add_associate) -> Path:
    """The `org` fixture's organisation in `folder`/crmsup.db, filled by `fill` (by default
    E100 on Team A): built once per session, since each account costs an Argon2id key."""
    db = open_database(f"sqlite:///{folder / 'crmsup.db'}")
    try:
        fill(build_org(db))
    finally:
        db.dispose()
    return folder


def org_cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    """A runner on a fresh copy of `template`, with its own workstation state."""
    shutil.copy2(template / "crmsup.db", tmp_path / "crmsup.db")
    runner = OrgCli(tmp_path, monkeypatch, capsys)
    monkeypatch.setenv("CRMSUP_DB", runner.url())
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    return runner
