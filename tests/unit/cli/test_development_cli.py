"""`crmsup-admin development|coaching|scorecard …`: a plan's life, a coaching session and a
scored call from the command line, and the exit codes of refusals (3: invalid, stale or not
allowed in this state; 4: role or scope)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template

ITEMS = {
    "items": [
        {"text": "Greeting", "weight": 2},
        {"text": "Resolution", "weight": 3},
        {"text": "Recorded-line statement", "weight": 1, "auto_fail": True},
    ]
}


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("development-cli"))


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    runner = org_cli(template, tmp_path, monkeypatch, capsys)
    (tmp_path / "items.json").write_text(json.dumps(ITEMS), encoding="utf-8")
    return runner


def _this_week() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday())


def _plan(cli: OrgCli) -> str:
    """sup-a opens and activates the plan of this week's month for E100; its short id."""
    month = f"{_this_week():%Y-%m}"
    goals = cli.folder / "goals.txt"
    goals.write_text("Shorter hold times\nWarmer closings\n", encoding="utf-8")
    assert (
        cli.sup(
            "--json", "development", "add", "E100", "--month", month, "--goals-file", str(goals)
        )
        == 0
    )
    ref = str(cli.json()["id"]).replace("-", "")[:8]
    assert cli.sup("development", "activate", "E100", ref, "--if-version", "1") == 0
    assert f"Plan {ref} of E100 for {month} activated (active, version 2)." in cli.out
    return ref


def test_a_plan_a_session_and_a_scored_call(cli: OrgCli) -> None:
    ref = _plan(cli)
    week = _this_week().isoformat()
    assert cli.sup("development", "due") == 0
    assert "development.update" in cli.out
    assert (
        cli.sup(
            "--json", "development", "update", "E100", ref, "--week", week, "--text", "Good week"
        )
        == 0
    )
    update = str(cli.json()["id"]).replace("-", "")[:8]
    assert (
        cli.sup(
            "development",
            "edit-update",
            "E100",
            update,
            "--text",
            "Great week",
            "--if-version",
            "1",
        )
        == 0
    )
    assert (
        cli.sup(
            "coaching",
            "add",
            "E100",
            "--date",
            date.today().isoformat(),
            "--topic",
            "Hold times",
            "--plan",
            ref,
        )
        == 0
    )
    assert "Coaching session" in cli.out
    assert cli.hr("scorecard", "add", "Inbound", "--file", str(cli.folder / "items.json")) == 0
    assert "Recorded-line statement" in cli.out
    evaluate = [
        "coaching",
        "evaluate",
        "E100",
        "--scorecard",
        "Inbound",
        "--date",
        date.today().isoformat(),
    ]
    assert (
        cli.sup(
            "--json",
            *evaluate,
            "--answer",
            "1=pass",
            "--answer",
            "2=fail",
            "--answer",
            "3=pass",
            "--strengths",
            "Warm",
        )
        == 0
    )
    assert cli.json()["score"] == "50.00"
    evaluation = str(cli.json()["id"]).replace("-", "")[:8]
    assert (
        cli.sup(
            "coaching", "reevaluate", "E100", evaluation, "--answer", "3=fail", "--if-version", "1"
        )
        == 0
    )
    assert f"Evaluation {evaluation} of E100 saved: 0.00% (version 2)." in cli.out
    assert cli.sup("development", "close", "E100", ref, "--outcome", "Met both goals") == 0
    assert cli.sup("development", "show", "E100", ref) == 0
    for shown in ("closed", "Shorter hold times", "Great week", "Met both goals"):
        assert shown in cli.out
    assert cli.sup("--json", "coaching", "list", "E100") == 0
    (row,) = json.loads(cli.out)
    assert row["plan_id"].replace("-", "").startswith(ref)


def test_refusals_exit_3_or_4(cli: OrgCli) -> None:
    ref = _plan(cli)
    assert cli.sup("development", "activate", "E100", ref) == 3
    assert "that is active cannot take the step 'activate'" in cli.err
    assert cli.sup("development", "goals", "E100", ref, "--goal", "x", "--if-version", "1") == 3
    assert "changed by sup-a" in cli.err
    assert cli.sup("development", "show", "E100", "ffffffff") == 3
    assert cli.sup("development", "add", "E100", "--month", "2026-13", "--goal", "x") == 3
    assert cli.hr("scorecard", "add", "Inbound", "--file", str(cli.folder / "none.json")) == 3
    assert cli.hr("scorecard", "add", "Inbound", "--file", str(cli.folder / "items.json")) == 0
    assert (
        cli.sup(
            "coaching",
            "evaluate",
            "E100",
            "--scorecard",
            "Inbound",
            "--date",
            date.today().isoformat(),
            "--answer",
            "9=pass",
        )
        == 3
    )
    assert "an item number 1 to 3" in cli.err
    assert cli.sup("development", "show", "E100", ref, who="sup-b") == 4
    assert "outside your scope" in cli.err
    assert cli.sup("scorecard", "add", "Outbound", "--file", str(cli.folder / "items.json")) == 4
    assert cli("--user", "root", "coaching", "list", "E100") == 4
    assert cli.sup("--json", "development", "show", "E100", ref) == 0
    assert (cli.json()["goals"], cli.json()["version"]) == (
        ["Shorter hold times", "Warmer closings"],
        2,
    )
