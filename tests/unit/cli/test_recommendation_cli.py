"""`crmsup-admin recommendation | candidate | erase candidate`: a recommendation's whole life
from the command line, and the exit codes of what is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmsup.records.database import open_database
from tests.factories import PASSWORD, SUPERVISOR_PASSWORD, add_associate, build_org
from tests.helpers.cli_runner import CliRunner

RATIONALE = "Ørjan has coached every newcomer since January"


class Cli(CliRunner):
    def __init__(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        super().__init__(folder, monkeypatch, capsys)
        monkeypatch.setenv("CRMSUP_DB", self.url())

    def as_(self, user: str, *argv: str) -> int:
        password = SUPERVISOR_PASSWORD if user.startswith("sup-") else PASSWORD
        return self("--user", user, *argv, password=password)

    def json_of(self, user: str, *argv: str) -> dict[str, object]:
        assert self.as_(user, "--json", *argv) == 0, self.err
        value: dict[str, object] = json.loads(self.out)
        return value


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The organisation of `tests.factories` and associate E100 in Team A, made once."""
    folder = tmp_path_factory.mktemp("recommendation-cli")
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
    return Cli(tmp_path, monkeypatch, capsys)


def test_a_promotion_from_draft_to_the_new_title(cli: Cli) -> None:
    rationale = cli.folder / "why.txt"
    rationale.write_text(RATIONALE, encoding="utf-8")
    draft = cli.json_of(
        "sup-a",
        "recommendation",
        "create",
        "E100",
        "--kind",
        "promotion",
        "--title",
        "Team lead",
        "--rationale-file",
        str(rationale),
    )
    assert (draft["state"], draft["rationale"], draft["version"]) == ("draft", RATIONALE, 1)
    rid = str(draft["id"])[:8]
    assert cli.as_("sup-a", "recommendation", "submit", "E100", rid, "--if-version", "1") == 0
    assert f"Recommendation {rid} (promotion) of E100 is now submitted (version 2)" in cli.out
    assert cli.as_("manager", "recommendation", "due", "--as-of", "2030-01-01") == 0
    assert rid in cli.out
    assert "recommendation.approval" in cli.out
    assert cli.as_("manager", "recommendation", "approve", "E100", rid, "--comment", "Yes") == 0
    assert "manager_approved" in cli.out
    assert cli.as_("hr", "recommendation", "approve", "E100", rid) == 0
    assert "is now approved and applied (version 4)" in cli.out

    shown = cli.json_of("hr", "recommendation", "show", "E100", rid)
    assert (shown["state"], shown["manager_comment"], shown["hr_by"]) == ("approved", "Yes", "hr")
    assert cli.json_of("hr", "associate", "show", "E100")["job_title"] == "Team lead"
    assert cli.as_("sup-a", "recommendation", "list", "E100") == 0
    assert rid in cli.out
    assert RATIONALE not in cli.out
    assert cli.as_("sup-a", "recommendation", "show", "E100", rid) == 0
    assert RATIONALE in cli.out


def test_refusals_exit_3_or_4_and_change_nothing(cli: Cli) -> None:
    draft = cli.json_of(
        "sup-a", "recommendation", "create", "E100", "--kind", "advancement", "--rationale", "x"
    )
    rid = str(draft["id"])[:8]
    assert cli.as_("sup-b", "recommendation", "show", "E100", rid) == 4
    assert "outside your scope" in cli.err
    assert cli.as_("manager", "recommendation", "approve", "E100", rid) == 3
    assert "a draft, not submitted yet" in cli.err
    assert cli.as_("sup-a", "recommendation", "submit", "E100", rid, "--if-version", "7") == 3
    assert "changed by sup-a" in cli.err
    assert cli.as_("sup-a", "recommendation", "submit", "E100", "ffffffff") == 3
    assert "no recommendation ffffffff for E100" in cli.err
    assert (
        cli.as_(
            "sup-a", "recommendation", "create", "E100", "--kind", "transfer", "--rationale", "x"
        )
        == 3
    )
    assert "proposes the team to move to" in cli.err
    assert cli.as_("sup-a", "recommendation", "submit", "E100", rid) == 0
    assert cli.as_("manager", "recommendation", "reject", "E100", rid) == 3
    assert "rejection needs a comment" in cli.err
    assert cli.json_of("hr", "recommendation", "show", "E100", rid)["state"] == "submitted"


def test_a_candidate_is_interviewed_recommended_hired_or_erased(cli: Cli) -> None:
    notes = cli.folder / "notes.txt"
    notes.write_text("Calm, precise, curious", encoding="utf-8")
    grace = cli.json_of(
        "sup-a",
        "candidate",
        "add",
        "--team",
        "Team A",
        "--first",
        "Grace",
        "--last",
        "Hopper",
        "--interviewed",
        "2026-05-01",
        "--notes-file",
        str(notes),
    )
    other = cli.json_of(
        "sup-a", "candidate", "add", "--team", "Team A", "--first", "Alan", "--last", "Turing"
    )
    subject = f"candidate:{str(grace['id']).replace('-', '')[:8]}"
    assert cli.as_("sup-a", "candidate", "list", "--team", "Team A") == 0
    assert "Hopper" in cli.out
    assert "Turing" in cli.out
    hire = cli.json_of(
        "sup-a",
        "recommendation",
        "create",
        subject,
        "--kind",
        "hire",
        "--title",
        "Agent",
        "--rationale",
        "Best interview of the month",
    )
    rid = str(hire["id"])[:8]
    assert cli.as_("sup-a", "recommendation", "submit", subject, rid) == 0
    assert cli.as_("manager", "recommendation", "approve", subject, rid) == 0
    assert cli.as_("hr", "recommendation", "approve", subject, rid) == 0
    assert "is now approved (version 4)" in cli.out
    hire_cmd = ["recommendation", "hire", subject, rid, "--employee-no", "E500"]
    assert cli.as_("hr", *hire_cmd, "--hired", "2026-06-01") == 0
    assert "is now associate E500 of Team A" in cli.out
    hired = cli.json_of("hr", "associate", "show", "E500")
    assert (hired["first_name"], hired["job_title"]) == ("Grace", "Agent")

    turing = str(other["id"]).replace("-", "")[:8]
    assert cli.as_("sup-a", "erase", "candidate", turing) == 4
    assert cli.as_("hr", "erase", "candidate", turing) == 0
    assert "is erased" in cli.out
    assert cli.as_("hr", "erase", "candidate", subject[10:]) == 3
    assert "erased with the associate's" in cli.err
