"""`crmsup-admin demo`: the main path, its output, the recovery sheet, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmsup.demo.areas import AREAS
from tests.helpers.cli_runner import CliRunner

NEW_PASSWORD = "the demo's shared passphrase"


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CliRunner:
    monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{tmp_path / 'crmsup.db'}")
    monkeypatch.delenv("CRMSUP_NEW_PASSWORD", raising=False)
    return CliRunner(tmp_path, monkeypatch, capsys)


def _demo(cli: CliRunner, *extra: str, sheet: str = "sheet.txt") -> list[str]:
    return ["demo", *extra, "--recovery-key-file", str(cli.folder / sheet)]


def test_a_demo_is_made_its_logins_work_and_a_second_run_is_refused(cli: CliRunner) -> None:
    assert cli("--json", *_demo(cli, "--associates", "30", "--seed", "4"), new=NEW_PASSWORD) == 0
    made = json.loads(cli.out)
    assert made["associates"]["total"] == 30
    assert sum(made["associates"]["by_status"].values()) == 30
    kinds = {"discipline", "review", "recommendation", "candidate", *(a.KIND for a in AREAS)}
    assert set(made["records"]) == kinds
    assert made["records"]["recommendation"]["by_kind"]["hire"] >= 1
    supervisors = [u for u in made["logins"] if u["role"] == "supervisor"]
    assert len(supervisors) == len(made["teams"]) == 2
    assert NEW_PASSWORD not in cli.out + cli.err
    sheet = cli.folder / "sheet.txt"
    assert sheet.stat().st_mode & 0o777 == 0o600
    assert "Demo Contact Centres" in sheet.read_text(encoding="utf-8")

    first = supervisors[0]
    assert (
        cli("--user", first["username"], "--json", "associate", "list", password=NEW_PASSWORD) == 0
    )
    roster = json.loads(cli.out)
    team = next(t for t in made["teams"] if t["name"] == first["teams"][0])
    assert len(roster) == team["associates"]
    assert {row["team"] for row in roster} == {team["name"]}

    again = _demo(cli, "--associates", "30", sheet="again.txt")
    assert cli(*again, new=NEW_PASSWORD) == 3
    assert "already holds an organisation" in cli.err
    assert not (cli.folder / "again.txt").exists()
    assert not (cli.folder / ".again.txt.part").exists()


def test_the_text_summary_lists_logins_and_never_the_password(cli: CliRunner) -> None:
    assert cli(*_demo(cli, "--associates", "12"), new=NEW_PASSWORD) == 0
    assert "Demo Contact Centres is ready: 12 associates on 1 teams at 1 site" in cli.out
    for login in ("root", "hr", "auditor", "manager", "sup-lyon-1"):
        assert f"\n{login} " in cli.out
    assert "Every login shares the password given by CRMSUP_NEW_PASSWORD" in cli.out
    assert NEW_PASSWORD not in cli.out + cli.err


@pytest.mark.parametrize(("size", "said"), [("0", "at least 1"), ("200001", "at most 200,000")])
def test_a_bad_size_is_refused_before_anything_is_written(
    cli: CliRunner, size: str, said: str
) -> None:
    assert cli(*_demo(cli, "--associates", size), new=NEW_PASSWORD) == 3
    assert said in cli.err
    assert not (cli.folder / "sheet.txt").exists()
    assert not (cli.folder / "crmsup.db").exists()


def test_without_a_new_password_nothing_is_written(cli: CliRunner) -> None:
    assert cli(*_demo(cli, "--associates", "12")) == 2
    assert "CRMSUP_NEW_PASSWORD" in cli.err
    assert not (cli.folder / "sheet.txt").exists()
    assert not (cli.folder / "crmsup.db").exists()


def test_an_existing_recovery_sheet_is_never_overwritten(cli: CliRunner) -> None:
    sheet = cli.folder / "sheet.txt"
    sheet.write_text("keep me", encoding="utf-8")
    assert cli(*_demo(cli, "--associates", "12"), new=NEW_PASSWORD) == 3
    assert "already exists" in cli.err
    assert sheet.read_text(encoding="utf-8") == "keep me"
