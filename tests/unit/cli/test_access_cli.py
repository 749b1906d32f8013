"""`crmsup-admin access …`: a request's whole life from the command line, and the exit codes
of refusals (3: invalid, stale or not allowed in this state; 4: role or scope)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmsup.records.checkpoints import STATE_DIR_ENV
from crmsup.records.database import open_database
from tests.factories import SUPERVISOR_PASSWORD, add_associate, build_org
from tests.helpers.cli_runner import CliRunner


class Cli(CliRunner):
    def as_(self, user: str, *argv: str) -> int:
        password = SUPERVISOR_PASSWORD if user.startswith("sup-") else None
        if password is None:
            return self("--user", user, *argv)
        return self("--user", user, *argv, password=password)

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.out)
        return data


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The organisation of the `org` fixture and E100 on Team A, built once and copied."""
    folder = tmp_path_factory.mktemp("access-cli")
    db = open_database(f"sqlite:///{folder / 'crmsup.db'}")
    try:
        add_associate(build_org(db))
    finally:
        db.dispose()
    return folder


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    shutil.copy2(template / "crmsup.db", tmp_path / "crmsup.db")
    runner = Cli(tmp_path, monkeypatch, capsys)
    monkeypatch.setenv("CRMSUP_DB", runner.url())
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    (tmp_path / "why.txt").write_text("Joins the Acme line on Monday.", encoding="utf-8")
    return runner


def _file(cli: Cli) -> str:
    code = cli.as_(
        "sup-a",
        "--json",
        "access",
        "request",
        "E100",
        "--kind",
        "new",
        "--system",
        "Genesys:agent",
        "--system",
        "Salesforce:service user",
        "--justification-file",
        str(cli.folder / "why.txt"),
    )
    assert code == 0, cli.err
    row = cli.json()["row"]
    assert isinstance(row, dict)
    return str(row["id"])[:8]


def test_a_request_from_filing_to_closing(cli: Cli) -> None:
    short = _file(cli)
    assert cli.as_("manager", "access", "approve", short, "--comment", "fine") == 0
    assert "approved" in cli.out
    assert cli.as_("root", "access", "list", "--state", "approved") == 0
    assert short in cli.out
    assert "E100" in cli.out
    assert cli.as_("root", "access", "show", short) == 0
    assert "Ørjan Bøe" in cli.out
    assert "Joins the Acme line" in cli.out
    assert cli.as_("root", "--json", "access", "provision", short, "--line", "1") == 0
    row = cli.json()["row"]
    assert isinstance(row, dict)
    version = row["version"]
    assert cli.as_("root", "access", "provision", short, "--if-version", str(version)) == 0
    assert "provisioned" in cli.out
    assert cli.as_("root", "access", "close", short) == 0
    assert "closed" in cli.out


def test_refusals_exit_3_or_4(cli: Cli) -> None:
    short = _file(cli)
    assert cli.as_("sup-a", "access", "approve", short) == 4
    assert cli.as_("sup-b", "access", "show", short) == 4
    assert cli.as_("root", "access", "provision", short) == 3  # not approved yet
    assert "requested request cannot be provisioned" in cli.err
    assert cli.as_("hr", "access", "deny", short, "--if-version", "7") == 3
    assert cli.as_("hr", "access", "show", "zz") == 3
    bad = ("access", "request", "E100", "--kind", "new", "--system", "Genesys")
    assert cli.as_("hr", *bad, "--justification", "why") == 3
    assert cli.as_("hr", "access", "due") == 0
    assert short in cli.out
