"""`crmsup-admin review …`: a review's whole life from the command line, and the exit codes
of refusals (3: invalid, stale or not allowed in this state; 4: role or scope)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from crmsup.records.checkpoints import STATE_DIR_ENV
from crmsup.records.database import open_database
from tests.factories import SUPERVISOR_PASSWORD, add_associate, build_org
from tests.helpers.cli_runner import CliRunner
from tests.unit.records.reviews.matrix import COMPETENCIES, SCALE

TEMPLATE = {
    "scale": list(SCALE),
    "competencies": [
        {"name": c.name, "weight": c.weight, "description": c.description} for c in COMPETENCIES
    ],
}


class Cli(CliRunner):
    def hr(self, *argv: str) -> int:
        return self("--user", "hr", *argv)

    def sup(self, *argv: str, who: str = "sup-a") -> int:
        return self("--user", who, *argv, password=SUPERVISOR_PASSWORD)

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.out)
        return data


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The organisation of the `org` fixture and E100 on Team A, built once (each login costs
    a quarter second of Argon2id) and copied for each test."""
    folder = tmp_path_factory.mktemp("review-cli")
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
    (tmp_path / "template.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    return runner


def _draft(cli: Cli) -> str:
    """HR adds the template; sup-a opens a draft on it for E100; its short id."""
    assert (
        cli.hr(
            "review", "template", "add", "Agent annual", "--file", str(cli.folder / "template.json")
        )
        == 0
    )
    assert "Call quality" in cli.out
    assert (
        cli.sup(
            "--json",
            "review",
            "add",
            "E100",
            "--template",
            "Agent annual",
            "--kind",
            "annual",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
        )
        == 0
    )
    return str(cli.json()["id"])[:8]


def test_a_review_from_template_to_finalised(cli: Cli) -> None:
    ref = _draft(cli)
    strengths = cli.folder / "strengths.txt"
    strengths.write_text("Calm with angry callers\nand precise notes", encoding="utf-8")
    update = ["review", "update", "E100", ref, "--rate", "1=4", "--rate", "teamwork=3"]
    assert (
        cli.sup(
            "--json",
            *update,
            "--rate",
            "3=5",
            "--comment",
            "1=Clear",
            "--strengths-file",
            str(strengths),
            "--if-version",
            "1",
        )
        == 0
    )
    saved = cli.json()
    assert (saved["overall"], saved["strengths"], saved["version"]) == (
        "3.83",
        "Calm with angry callers\nand precise notes",
        2,
    )
    assert cli.sup("review", "submit", "E100", ref, "--if-version", "2") == 0
    assert f"Review {ref} of E100 submitted (submitted, version 3)." in cli.out
    today = date.today().isoformat()
    assert cli.sup("review", "acknowledge", "E100", ref, "--date", today, "--comments", "Fair") == 0
    assert cli.sup("review", "due") == 0
    assert "review.acknowledgement" not in cli.out
    assert cli.hr("review", "due") == 0
    assert "review.finalise" in cli.out
    assert cli.hr("review", "finalise", "E100", ref) == 0
    assert cli.sup("review", "show", "E100", ref) == 0
    for shown in ("finalised", "Call quality", "Overall (weighted): 3.83", "Fair", "precise notes"):
        assert shown in cli.out
    assert cli.sup("--json", "review", "list", "E100") == 0
    (row,) = json.loads(cli.out)
    assert (row["state"], row["reviewer"], row["finalised_on"]) == ("finalised", "sup-a", today)
    assert (
        cli.hr(
            "review",
            "template",
            "edit",
            "Agent annual",
            "--file",
            str(cli.folder / "template.json"),
            "--name",
            "Renamed",
        )
        == 3
    )
    assert "used by 1 review(s)" in cli.err


def test_refusals_exit_3_or_4(cli: Cli) -> None:
    ref = _draft(cli)
    assert cli.sup("review", "update", "E100", ref, "--rate", "1=9") == 3
    assert "Call quality: a rating is from 1 to 5, not 9" in cli.err
    assert cli.sup("review", "update", "E100", ref, "--goals", "More", "--if-version", "7") == 3
    assert "changed by" in cli.err
    assert cli.sup("review", "submit", "E100", ref) == 3
    assert "not yet rated: Call quality, Teamwork, Punctuality" in cli.err
    assert cli.sup("review", "show", "E100", "ffffffff") == 3
    assert (
        cli.hr("review", "template", "add", "Broken", "--file", str(cli.folder / "none.json")) == 3
    )
    assert cli.sup("review", "show", "E100", ref, who="sup-b") == 4
    assert "outside your scope" in cli.err
    assert cli.sup("review", "finalise", "E100", ref) == 4
    assert cli("--user", "root", "review", "template", "list") == 4
    assert cli.sup("--json", "review", "show", "E100", ref) == 0
    assert (cli.json()["state"], cli.json()["goals"], cli.json()["version"]) == ("draft", None, 1)
    assert cli.hr("review", "overdue", "--as-of", "2099-01-01") == 0
    assert "E100" in cli.out
    assert "Ørjan" not in cli.out
