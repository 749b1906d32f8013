"""`crmsup-admin attendance …` and `pto …`: events, points, rules, a request's life from the
command line, and the exit codes of refusals (3: invalid or stale; 4: role or scope)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("attendance-cli"))


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    runner = org_cli(template, tmp_path, monkeypatch, capsys)
    return runner


def test_events_points_and_rules(cli: OrgCli) -> None:
    today = date.today()
    notes = cli.folder / "notes.txt"
    notes.write_text("Missed the shift without calling", encoding="utf-8")
    assert cli.hr("attendance", "rules", "set", "--threshold", "3", "--if-version", "0") == 0
    assert "thresholds: 3" in cli.out
    assert (
        cli.sup(
            "--json",
            "attendance",
            "add",
            "E100",
            "--kind",
            "no_call_no_show",
            "--on",
            today.isoformat(),
            "--notes-file",
            str(notes),
        )
        == 0
    )
    event = cli.json()
    assert event["notes"] == "Missed the shift without calling"
    short = str(event["id"]).replace("-", "")[:8]
    assert cli.sup("attendance", "list", "E100") == 0
    assert short in cli.out
    assert cli.sup("attendance", "points", "E100") == 0
    assert "3 points" in cli.out
    assert "Suggested attendance step: coaching" in cli.out
    assert cli.sup("attendance", "due") == 0
    assert "attendance.threshold" in cli.out
    # Stale, then refused for another team, then an event in the future.
    assert (
        cli.sup("attendance", "update", "E100", short, "--minutes", "5", "--if-version", "9") == 3
    )
    assert "changed by" in cli.err
    assert cli.sup("attendance", "show", "E100", short, who="sup-b") == 4
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert cli.sup("attendance", "add", "E100", "--kind", "early_leave", "--on", tomorrow) == 3


def test_a_request_from_filing_to_approval(cli: OrgCli) -> None:
    start = date.today() + timedelta(days=10)
    assert cli.hr("pto", "adjust", "E100", "--hours", "16", "--reason", "Opening balance") == 0
    assert cli.sup("pto", "adjust", "E100", "--hours", "8", "--reason", "Gift") == 4
    assert (
        cli.hr(
            "pto", "rule", "set", "--job-title", "Agent", "--from", "2024-01-01",
            "--per", "monthly", "--hours", "8", "--cap", "120",
        )
        == 0
    )  # fmt: skip
    assert "Agent" in cli.out
    asked = ("--from", start.isoformat(), "--to", start.isoformat())
    assert cli.sup("pto", "request", "E100", *asked, "--hours", "24") == 3
    assert "not enough PTO" in cli.err
    assert cli.sup("--json", "pto", "request", "E100", *asked, "--hours", "8") == 0
    short = str(cli.json()["id"]).replace("-", "")[:8]
    assert cli.sup("pto", "approve", "E100", short, "--comment", "Fine", "--if-version", "1") == 0
    assert "approved, version 2" in cli.out
    assert cli.sup("pto", "deny", "E100", short) == 3
    assert cli.sup("pto", "balance", "E100", "--on", start.isoformat()) == 0
    assert "8.00 hours" in cli.out
    assert cli.sup("pto", "ledger", "E100", "--to", start.isoformat()) == 0
    assert "adjustment" in cli.out
    assert "taken" in cli.out
    assert cli.sup("pto", "cancel", "E100", short, "--if-version", "2") == 0
    assert "cancelled" in cli.out
