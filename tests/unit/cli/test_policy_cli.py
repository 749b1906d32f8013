"""`crmsup-admin policy …` and `note …`: publishing, acknowledging and retiring a policy, a
note, and a claim logged, corrected and closed from the command line, and the exit codes of
refusals (3: invalid, stale or closed; 4: role or scope)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers.cli_runner import OrgCli, org_cli, org_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return org_template(tmp_path_factory.mktemp("policy-cli"))


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> OrgCli:
    runner = org_cli(template, tmp_path, monkeypatch, capsys)
    return runner


def test_a_policy_published_acknowledged_and_tracked(cli: OrgCli) -> None:
    body, pdf = cli.folder / "body.txt", cli.folder / "recording.pdf"
    body.write_text("Calls are recorded.\nSay so at the start.", encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.7 recording policy")
    today = date.today().isoformat()
    publish = ["policy", "publish", "Call recording", "--effective", today]
    assert cli.hr(*publish, "--body-file", str(body), "--document", str(pdf)) == 0
    assert "version 1 published; acknowledge by" in cli.out
    assert cli.sup("policy", "due") == 0
    assert "policy.acknowledge" in cli.out
    assert cli.sup("policy", "acknowledge", "call recording") == 0
    assert "You acknowledged 'Call recording' version 1" in cli.out
    assert cli.sup("policy", "acknowledge", "Call recording") == 3
    assert "already" in cli.err
    assert cli.sup("policy", "track", "E100", "Call recording", "--date", today) == 0
    assert cli.sup("--json", "policy", "acks", "E100") == 0
    assert json.loads(cli.out)[0]["recorded_by"] == "sup-a"
    saved = cli.folder / "saved.pdf"
    assert (
        cli("--user", "auditor", "policy", "show", "Call recording", "--save-document", str(saved))
        == 0
    )
    assert "Say so at the start." in cli.out
    assert saved.read_bytes() == pdf.read_bytes()
    assert cli.hr("policy", "outstanding") == 0
    assert "sup-b" in cli.out
    assert "E100" not in cli.out
    assert cli.hr("--json", "policy", "settings", "--window-minutes", "90", "--opens", "09:00") == 0
    assert (cli.json()["ack_minutes"], cli.json()["opens_minute"], cli.json()["version"]) == (
        90,
        540,
        1,
    )
    assert cli.hr("policy", "settings", "--window-minutes", "60", "--if-version", "0") == 3
    assert "changed by hr" in cli.err
    assert cli.sup("policy", "settings", "--window-minutes", "60") == 4
    assert cli.sup("policy", "publish", "Dress code", "--effective", today, "--body", "x") == 4
    assert cli.hr("policy", "publish", "Dress code", "--effective", today) == 3
    assert "text or an attached document" in cli.err


def test_a_note_and_a_claim_from_the_command_line(cli: OrgCli) -> None:
    assert (
        cli.sup("--json", "note", "add", "E100", "--kind", "conversation", "--text", "Breaks") == 0
    )
    ref = str(cli.json()["id"])[:8]
    assert (
        cli.sup("note", "update", "E100", ref, "--text", "Later breaks", "--if-version", "1") == 0
    )
    assert "saved (version 2)" in cli.out
    assert cli.sup("note", "update", "E100", ref, "--text", "Again", "--if-version", "1") == 3
    assert "changed by sup-a" in cli.err
    assert cli.hr("note", "update", "E100", ref, "--text", "Mine") == 4
    assert cli.sup("note", "show", "E100", ref, who="sup-b") == 4
    assert cli.hr("note", "show", "E100", ref) == 0
    assert "Later breaks" in cli.out
    assert (
        cli.sup("--json", "note", "claim", "add", "E100", "--text", "Rude", "--client", "C-1") == 0
    )
    claim = str(cli.json()["id"])[:8]
    assert cli.sup("policy", "due") == 0
    assert "claim.first_response" in cli.out
    assert cli.sup("note", "claim", "close", "E100", claim, "--outcome", "upheld") == 3
    assert "closed only when responded" in cli.err
    assert cli.sup("note", "claim", "respond", "E100", claim, "--text", "Called back") == 0
    assert "answered (responded, version 2)" in cli.out
    assert (
        cli.sup("note", "claim", "close", "E100", claim, "--outcome", "upheld", "--if-version", "2")
        == 0
    )
    assert cli.sup("note", "claim", "show", "E100", claim) == 0
    for shown in ("closed", "C-1", "Rude", "Called back", "upheld"):
        assert shown in cli.out
    assert cli.sup("note", "claim", "list", "E100") == 0
    assert claim in cli.out
    assert cli.sup("note", "claim", "add", "E100", "--text", "x", "--received", "tomorrow") == 3
    assert cli("--user", "root", "note", "list", "E100") == 4


def test_hr_retires_a_policy_from_the_command_line(cli: OrgCli) -> None:
    today = date.today().isoformat()
    assert cli.hr("policy", "publish", "Call recording", "--effective", today, "--body", "x") == 0
    reason = cli.folder / "reason.txt"
    reason.write_text("Replaced by the 2026 recording rules.\n", encoding="utf-8")
    retire = ["policy", "retire", "call recording"]
    assert cli.sup(*retire, "--reason", "Old") == 4
    assert cli.hr(*retire, "--reason", "Old", "--on", "2000-01-01") == 3
    assert "not from 2000-01-01" in cli.err
    assert cli.hr(*retire, "--reason", "  ") == 3
    assert "must not be empty" in cli.err
    assert cli.hr(*retire, "--reason-file", str(cli.folder / "missing.txt")) == 3
    assert cli.hr(*retire, "--reason-file", str(reason)) == 0
    assert "retired from" in cli.out
    assert cli.hr(*retire, "--reason", "Again") == 3
    assert "already retired" in cli.err
    assert cli.sup("policy", "acknowledge", "Call recording") == 3
    assert "was retired on" in cli.err
    assert cli.sup("policy", "due") == 0
    assert "policy.acknowledge" not in cli.out
    assert cli.hr("policy", "publish", "Call recording", "--effective", today, "--body", "y") == 3
    assert "publish it under a new title" in cli.err
    assert cli.hr("policy", "list") == 0
    assert "retired from" in cli.out
    assert cli("--user", "auditor", "policy", "show", "Call recording") == 0
    assert "Replaced by the 2026 recording rules." in cli.out
    assert "by hr" in cli.out
    assert cli.hr("--json", "policy", "list") == 0
    (row,) = json.loads(cli.out)
    assert (row["retirement"]["retired_by"], row["retirement"]["reason"]) == (
        "hr",
        "Replaced by the 2026 recording rules.",
    )


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
