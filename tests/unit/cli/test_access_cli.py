"""`crmsup-admin access …`: a request's whole life from the command line, and the exit codes
of refusals (3: invalid, stale or not allowed in this state; 4: role or scope)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("access-cli"))


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    runner = org_cli(template, tmp_path, monkeypatch, capsys)
    (tmp_path / "why.txt").write_text("Joins the Acme line on Monday.", encoding="utf-8")
    return runner


def _file(cli: OrgCli) -> str:
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


def test_a_request_from_filing_to_closing(cli: OrgCli) -> None:
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


def test_refusals_exit_3_or_4(cli: OrgCli) -> None:
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
