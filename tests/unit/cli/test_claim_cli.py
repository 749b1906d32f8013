"""`crmsup-admin note claim update`: correcting a claim from the command line, and the exit
codes of its refusals (3: invalid, stale or closed; 4: outside the user's scope)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("claim-cli"))


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    return org_cli(template, tmp_path, monkeypatch, capsys)


def test_a_claim_is_corrected_until_it_is_closed(cli: OrgCli, tmp_path: Path) -> None:
    assert (
        cli.sup("--json", "note", "claim", "add", "E100", "--text", "Rud", "--client", "C-1") == 0
    )
    claim = str(cli.json()["id"])[:8]
    fix = ("note", "claim", "update", "E100", claim)
    assert cli.sup(*fix, "--text", "Rude", "--client", "", "--if-version", "1") == 0
    assert "saved (open, version 2)" in cli.out
    assert cli.sup(*fix, "--text", "Again", "--if-version", "1") == 3
    assert "changed by sup-a" in cli.err
    assert cli.sup(*fix, "--response", "Called back") == 3
    assert "respond first" in cli.err
    assert cli.sup(*fix, "--text", "Mine", who="sup-b") == 4
    assert cli.sup("note", "claim", "respond", "E100", claim, "--text", "Calld back") == 0
    answer = tmp_path / "answer.txt"
    answer.write_text("Called back twice\n", encoding="utf-8")
    assert cli.sup(*fix, "--response-file", str(answer)) == 0
    assert "saved (responded, version 4)" in cli.out
    assert cli.sup(*fix, "--received", "2020-01-01T09:00+00:00") == 3
    assert "cannot change once it was answered" in cli.err
    assert cli.sup("note", "claim", "close", "E100", claim, "--outcome", "upheld") == 0
    assert cli.sup(*fix, "--text", "Other") == 3
    assert "closed claim is final" in cli.err
    assert cli.sup("note", "claim", "show", "E100", claim) == 0
    assert "Rude" in cli.out
    assert "Called back twice" in cli.out
    assert "C-1" not in cli.out
