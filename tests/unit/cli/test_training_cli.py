"""`crmsup-admin training …`: a course's and an associate's training from the command line,
and the exit codes of refusals (3: invalid, stale or not allowed in this state; 4: role or
scope)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template
from tests.unit.records.training.matrix import AGENT, agent


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("training-cli"), agent)


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    runner = org_cli(template, tmp_path, monkeypatch, capsys)
    return runner


def _course(cli: OrgCli) -> None:
    added = cli.hr(
        "training", "course", "add", "gdpr-1", "--title", "Data protection",
        "--kind", "compliance", "--hours", "1.5", "--validity", "12", "--for", AGENT,
    )  # fmt: skip
    assert added == 0
    assert "Course GDPR-1 added (version 1)." in cli.out


def _assigned(cli: OrgCli) -> str:
    _course(cli)
    due = (date.today() + timedelta(days=10)).isoformat()
    assert cli.sup("--json", "training", "assign", "E100", "GDPR-1", "--due", due) == 0
    return str(cli.json()["id"])[:8]


def test_a_course_assigned_passed_and_an_admission(cli: OrgCli) -> None:
    ref = _assigned(cli)
    today = date.today().isoformat()
    notes = cli.folder / "notes.txt"
    notes.write_text("Asked sharp questions", encoding="utf-8")
    done = cli.sup(
        "--json", "training", "complete", "E100", "GDPR-1", "--on", today, "--pass",
        "--score", "88.5", "--trainer", "Jo from Legal", "--notes-file", str(notes),
    )  # fmt: skip
    assert done == 0
    completion = cli.json()
    assert (completion["passed"], completion["score"], completion["notes"]) == (
        True,
        "88.5",
        "Asked sharp questions",
    )
    assert cli.sup("training", "list", "E100") == 0
    assert ref in cli.out
    assert "completed" in cli.out
    assert cli.sup("training", "show", "E100", str(completion["id"])[:8]) == 0
    assert "Jo from Legal" in cli.out
    reason = cli.folder / "reason.txt"
    reason.write_text("Ready for the bank's calls", encoding="utf-8")
    admitted = cli.sup(
        "--json", "training", "admit", "E100", "--project", "Bank X", "--course", "GDPR-1",
        "--reason-file", str(reason),
    )  # fmt: skip
    assert admitted == 0
    admission = cli.json()
    assert (admission["courses"], admission["decided_by"]) == (["GDPR-1"], "sup-a")
    assert cli.sup("training", "admission", "E100", str(admission["id"])[:8]) == 0
    assert "Ready for the bank's calls" in cli.out
    assert cli.sup("training", "compliance") == 0
    assert "E100" in cli.out
    assert "done" in cli.out
    later = (date.today() + timedelta(days=360)).isoformat()
    assert cli.hr("training", "due", "--as-of", later) == 0
    assert "training.due" in cli.out
    assert cli.hr("training", "course", "retire", "GDPR-1", "--if-version", "1") == 0
    assert cli.hr("--json", "training", "course", "list", "--all") == 0
    assert json.loads(cli.out)[0]["active"] is False


def test_refusals_exit_3_or_4(cli: OrgCli) -> None:
    ref = _assigned(cli)
    today = date.today().isoformat()
    course = ["training", "course", "add", "X-1", "--title", "X", "--kind", "product"]
    assert cli.sup(*course, "--hours", "1") == 4
    assert cli.sup("training", "list", "E100", who="sup-b") == 4
    assert "outside your scope" in cli.err
    scored = cli.sup(
        "training", "complete", "E100", "GDPR-1", "--on", today, "--pass", "--score", "101"
    )
    assert scored == 3
    assert "a score is a number from 0 to 100" in cli.err
    assert cli.sup("training", "cancel", "E100", ref, "--if-version", "7") == 3
    assert "changed by" in cli.err
    assert cli.sup("training", "show", "E100", "ffffffff") == 3
    assert cli.sup("training", "admit", "E100", "--project", "P", "--course", "GDPR-1",
                   "--reason", "R") == 3  # fmt: skip
    assert "no pass that counts" in cli.err
    assert cli.sup("--json", "training", "list", "E100") == 0
    listed = json.loads(cli.out)
    assert (len(listed["completions"]), listed["assignments"][0]["state"]) == (0, "open")
