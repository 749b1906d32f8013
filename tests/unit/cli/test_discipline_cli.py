"""`crmsup-admin discipline …` and `attachment …`, as supervisors, site managers and HR use them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from crmsup.records.checkpoints import STATE_DIR_ENV
from tests.factories import FIRST_PASSWORD, PASSWORD
from tests.helpers.cli_runner import CliRunner

SUP_PASSWORD = "a supervisor passphrase"
ROOT_PASSWORD = "IT's own passphrase"
FACTS = "Hung up on a customer twice during the evening shift"
WITNESS = "Jean Témoin"
DAY = ["--as-of", "2025-06-02"]


class Cli(CliRunner):
    def __init__(
        self,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str] | None = None,
    ) -> None:
        super().__init__(folder, monkeypatch, capsys)
        monkeypatch.setenv("CRMSUP_DB", self.url())
        monkeypatch.setenv(STATE_DIR_ENV, str(folder / "state"))
        monkeypatch.delenv("CRMSUP_NEW_PASSWORD", raising=False)

    def as_(self, user: str, *argv: str) -> int:
        password = {"sup-a": SUP_PASSWORD, "root": ROOT_PASSWORD}.get(user, PASSWORD)
        return self("--user", user, *argv, password=password)

    def json_as(self, user: str, *argv: str) -> Any:
        assert self.as_(user, "--json", *argv) == 0, self.err
        return json.loads(self.out)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once (each call logs in, and a login costs a quarter second of Argon2id)."""
    folder = tmp_path_factory.mktemp("discipline-cli")
    with pytest.MonkeyPatch.context() as monkeypatch:
        cli = Cli(folder, monkeypatch)
        init = ["init", "--org", "Acme", "--site", "Lyon", "--admin", "root", "--hr", "hr"]
        assert cli(*init, "--recovery-key-file", str(folder / "recovery.txt")) == 0
        assert cli.enrol("root", PASSWORD, ROOT_PASSWORD) == 0
        add_user = ["--user", "root", "user", "add"]
        for name, role, own in (
            ("sup-a", ["supervisor"], SUP_PASSWORD),
            ("manager", ["site_manager", "--site", "Lyon"], PASSWORD),
        ):
            made = cli(*add_user, name, "--role", *role, password=ROOT_PASSWORD, new=FIRST_PASSWORD)
            assert made == 0
            assert cli.enrol(name, FIRST_PASSWORD, own) == 0
        assert cli.as_("hr", "grant", "manager") == 0
        assert (
            cli.as_("hr", "team", "add", "Team A", "--site", "Lyon", "--supervisor", "sup-a") == 0
        )
        for number in ("E100", "E101"):
            person = ["--employee-no", number, "--first", "Ørjan", "--last", "Bøe"]
            assert cli.as_("hr", "associate", "add", *person, "--team", "Team A") == 0
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


def test_a_supervisor_drafts_issues_records_the_refusal_and_attaches_the_notice(
    cli: Cli, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS + "\n", encoding="utf-8")
    made = cli.json_as(
        "sup-a",
        "discipline",
        "add",
        "E100",
        "--category",
        "conduct",
        "--incident",
        "2025-05-28",
        "--description-file",
        str(facts),
        "--follow-up",
        "2025-06-01",
        *DAY,
    )
    row = made["row"]
    assert (row["level"], row["state"], made["description"]) == ("coaching", "draft", FACTS)
    ref = row["id"][:8]
    assert cli.as_("sup-a", "discipline", "issue", "E100", ref, "--if-version", "1", *DAY) == 0
    assert "now issued, version 2" in cli.out
    refused = ["--refused", "2025-06-02", "--witness", WITNESS]
    assert (
        cli.as_("sup-a", "discipline", "acknowledge", "E100", ref, "--if-version", "2", *refused)
        == 0
    )
    assert cli.as_("sup-a", "discipline", "annotate", "E100", ref, "--text", "Calmer since") == 0
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(b"%PDF-1.7 " + FACTS.encode())
    assert cli.as_("sup-a", "attachment", "add", "E100", ref, str(notice)) == 0
    (listed,) = cli.json_as("manager", "attachment", "list", "E100", ref)
    assert (listed["filename"], listed["media_type"]) == ("notice.pdf", "application/pdf")
    out = tmp_path / "copy.pdf"
    assert cli.as_("hr", "attachment", "get", "E100", listed["id"][:8], "--out", str(out)) == 0
    assert out.read_bytes() == notice.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    assert cli.as_("hr", "attachment", "get", "E100", listed["id"][:8], "--out", str(out)) == 3
    assert "nothing is overwritten" in cli.err

    shown = cli.json_as("hr", "discipline", "show", "E100", ref, *DAY)
    assert (shown["witness"], shown["row"]["acknowledgement"]) == (WITNESS, "refused")
    assert [n["text"] for n in shown["notes"]] == ["Calmer since"]
    assert cli.as_("sup-a", "discipline", "show", "E100", ref, *DAY) == 0
    assert FACTS in cli.out
    assert "attachment" in cli.out
    assert cli.as_("sup-a", "discipline", "list", "E100", *DAY) == 0
    assert ref in cli.out
    assert "acknowledged" in cli.out
    due = cli.json_as("sup-a", "discipline", "due", *DAY)
    assert [(d["kind"], d["due_on"], d["employee_no"]) for d in due] == [
        ("discipline.follow_up", "2025-06-01", "E100")
    ]
    for file in tmp_path.glob("crmsup.db*"):  # the database, its WAL and shared memory
        stored = file.read_bytes()
        for secret in (FACTS, WITNESS, "Calmer since", "notice.pdf"):
            assert secret.encode() not in stored, file.name


def test_approval_levels_report_and_refusals_with_their_exit_codes(
    cli: Cli, tmp_path: Path
) -> None:
    final = [
        "discipline",
        "add",
        "E101",
        "--category",
        "attendance",
        "--level",
        "final written warning",
        "--incident",
        "2025-05-30",
        "--description",
        "Absent without notice for three days",
        *DAY,
    ]
    assert cli.as_("sup-a", *final) == 3
    assert "the suggested level is 'coaching'" in cli.err
    made = cli.json_as("sup-a", *final, "--deviation-reason", "Third absence this quarter")
    ref = made["row"]["id"][:8]
    assert cli.as_("sup-a", "discipline", "issue", "E101", ref, "--if-version", "1", *DAY) == 3
    assert "submit the draft first" in cli.err
    assert cli.as_("sup-a", "discipline", "submit", "E101", ref, "--if-version", "1", *DAY) == 0
    assert cli.as_("sup-a", "discipline", "approve", "E101", ref, "--if-version", "2") == 4
    assert cli.as_("manager", "discipline", "approve", "E101", ref, "--if-version", "1") == 3
    assert "was changed by sup-a" in cli.err
    assert cli.as_("manager", "discipline", "approve", "E101", ref, "--if-version", "2") == 0
    assert cli.as_("sup-a", "discipline", "issue", "E101", ref, "--if-version", "3", *DAY) == 0

    report = cli.json_as(
        "manager", "discipline", "report", "--from", "2025-01-01", "--to", "2025-12-31"
    )
    assert report["records"] == 1
    assert [(r["supervisor"], r["counts"][3]) for r in report["rows"]] == [(None, 1), ("sup-a", 1)]
    assert (
        cli.as_("sup-a", "discipline", "report", "--from", "2025-01-01", "--to", "2025-12-31") == 4
    )
    assert cli.as_("root", "discipline", "list", "E100") == 4
    assert cli.as_("sup-a", "discipline", "show", "E101", "zzzz") == 3

    change = ["discipline", "level", "change", "Coaching", "--live-months", "3", "--retire"]
    assert cli.as_("hr", *change, "--if-version", "1") == 0
    assert cli.as_("hr", *change, "--if-version", "1") == 3
    assert cli.as_("manager", "discipline", "level", "add", "Reminder", "--live-months", "2") == 4
    assert cli.as_("sup-a", "discipline", "level", "list") == 0
    assert "retired" in cli.out

    big = tmp_path / "scan.tif"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    assert cli.as_("sup-a", "attachment", "add", "E101", ref, str(big)) == 3
    assert "attachments are limited to 10 MiB" in cli.err


def test_the_whole_file_opens_at_once_and_only_for_its_keepers(cli: Cli) -> None:
    added = ["discipline", "add", "E100", "--category", "conduct", "--incident", "2025-05-28"]
    made = cli.json_as("sup-a", *added, "--description", FACTS, *DAY)
    opened = cli.json_as("sup-a", "associate", "file", "E100", *DAY)
    assert opened["associate"]["last_name"] == "Bøe"
    assert [d["description"] for d in opened["discipline"]] == [FACTS]
    assert (opened["reviews"], opened["recommendations"]) == ([], [])
    assert cli.as_("sup-a", "associate", "file", "E100", *DAY) == 0
    assert "discipline (1)" in cli.out
    assert made["row"]["id"][:8] in cli.out
    assert cli.as_("root", "associate", "file", "E100") == 4


def test_the_inbox_lists_an_issued_records_follow_up(cli: Cli) -> None:
    added = ["discipline", "add", "E100", "--category", "conduct", "--incident", "2025-05-28"]
    made = cli.json_as("sup-a", *added, "--description", FACTS, "--follow-up", "2025-06-09", *DAY)
    ref = made["row"]["id"][:8]
    assert cli.as_("sup-a", "discipline", "issue", "E100", ref, "--if-version", "1", *DAY) == 0
    box = cli.json_as("sup-a", "inbox", "--as-of", "2025-06-10T09:00")
    follow_ups = [i for i in box["items"] if i["kind"] == "discipline.follow_up"]
    assert [(i["employee_no"], i["due_on"], i["overdue"]) for i in follow_ups] == [
        ("E100", "2025-06-09", True)
    ]
    assert cli.as_("sup-a", "inbox", "--as-of", "2025-06-10T09:00") == 0
    assert "discipline.follow_up" in cli.out
    assert "OVERDUE" in cli.out
    assert cli.as_("sup-a", "inbox", "--as-of", "next tuesday") == 3
