"""`crmsup-admin retention | legal-hold | erase | associate status`, as HR meets them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from crmsup.cli.main import main
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import open_database
from crmsup.records.models import Associate, AssociateKey, AuditEntry
from tests.factories import FIRST_PASSWORD, PASSWORD
from tests.helpers.cli_runner import CliRunner

SUP_PASSWORD = "a supervisor passphrase"
ROOT_PASSWORD = "IT's own passphrase"
NAMES = ("Ørjan", "Bøe", "orjan@example.org")


class Cli(CliRunner):
    def __init__(
        self,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str] | None = None,
    ) -> None:
        super().__init__(folder, monkeypatch, capsys)
        monkeypatch.setenv("CRMSUP_DB", self.url())
        monkeypatch.delenv("CRMSUP_NEW_PASSWORD", raising=False)

    def hr(self, *argv: str, password: str = PASSWORD) -> int:
        return self("--user", "hr", *argv, password=password)


def _set_up(cli: Cli) -> None:
    """An organisation, Team A led by sup-a, Ørjan Bøe (E100) terminated on 2015-01-31 and
    Ada Lovelace (E101) active."""
    init = ["init", "--org", "Acme", "--site", "Lyon", "--admin", "root", "--hr", "hr"]
    assert cli(*init, "--recovery-key-file", str(cli.folder / "recovery.txt")) == 0
    assert cli.enrol("root", PASSWORD, ROOT_PASSWORD) == 0
    add = ["--user", "root", "user", "add", "sup-a", "--role", "supervisor"]
    assert cli(*add, password=ROOT_PASSWORD, new=FIRST_PASSWORD) == 0
    assert cli.enrol("sup-a", FIRST_PASSWORD, SUP_PASSWORD) == 0
    assert cli.hr("team", "add", "Team A", "--site", "Lyon", "--supervisor", "sup-a") == 0
    add = ["associate", "add", "--team", "Team A", "--employee-no"]
    assert cli.hr(*add, "E100", "--first", "Ørjan", "--last", "Bøe", "--email", NAMES[2]) == 0
    assert cli.hr(*add, "E101", "--first", "Ada", "--last", "Lovelace") == 0
    assert cli.hr("associate", "status", "E100", "terminated", "--date", "2015-01-31") == 0


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once: each CLI call logs in, and Argon2id makes a login cost a quarter second."""
    folder = tmp_path_factory.mktemp("retention-cli")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _set_up(Cli(folder, monkeypatch))
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


def _actions(cli: Cli, action: str) -> list[tuple[str | None, str]]:
    db = open_database(cli.url())
    try:
        with db.transaction() as session:
            query = select(AuditEntry.actor_name, AuditEntry.outcome).where(
                AuditEntry.action == action
            )
            return [(name, outcome) for name, outcome in session.execute(query)]
    finally:
        db.dispose()


def test_report_hold_and_erase_as_hr_would(cli: Cli) -> None:
    assert cli.hr("--json", "retention", "report", "--as-of", "2026-06-01") == 0
    report = json.loads(cli.out)
    assert report["due"] == [
        {
            "employee_no": "E100",
            "team": "Team A",
            "termination_date": "2015-01-31",
            "due_date": "2022-01-31",
        }
    ]
    assert cli.hr("retention", "report") == 0
    assert "E100" in cli.out
    assert "2022-01-31" in cli.out
    assert not any(name in cli.out for name in NAMES)

    assert cli.hr("legal-hold", "set", "E100") == 0
    assert cli.hr("erase", "associate", "E100") == 3
    assert "legal hold" in cli.err
    assert cli.hr("retention", "report") == 0
    assert "kept by a legal hold: E100" in cli.out
    assert cli.hr("legal-hold", "clear", "E100") == 0

    # The login passes, the password asked again is wrong (as a person at the prompt might).
    answers = iter([PASSWORD, "a wrong password!"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("crmsup.cli.secrets.password", lambda *_: next(answers))
        assert cli.hr("erase", "associate", "E100") == 5
    assert "password is needed again" in cli.err
    assert cli.hr("associate", "show", "E100") == 0
    assert "Ørjan Bøe" in cli.out

    assert cli.hr("--json", "erase", "associate", "E100") == 0
    erased = json.loads(cli.out)
    assert (erased["employee_no"], erased["residue_cleared"]) == ("E100", True)
    assert cli.hr("associate", "show", "E100") == 3
    assert "was erased on" in cli.err
    assert cli.hr("--json", "associate", "list") == 0
    assert [r["employee_no"] for r in json.loads(cli.out)] == ["E101"]
    assert cli.hr("--json", "retention", "report", "--as-of", "2026-06-01") == 0
    assert json.loads(cli.out)["due"] == []

    db = open_database(cli.url())
    try:
        assert audit_service.verify(db).ok
        with db.transaction() as session:
            tomb = session.scalars(select(Associate).where(Associate.employee_no == "E100")).one()
            assert (tomb.first_name_enc, tomb.email_enc) == (None, None)
            assert session.get(AssociateKey, tomb.id) is None
    finally:
        db.dispose()
    assert _actions(cli, "associate.erase") == [("hr", "ok")]
    assert _actions(cli, "reauth") == [("hr", "failed")]
    for file in cli.folder.iterdir():
        if file.is_file():
            data = file.read_bytes()
            assert not any(name.encode() in data for name in NAMES), file.name


def test_an_active_associate_is_not_erased(cli: Cli) -> None:
    assert cli.hr("erase", "associate", "E101") == 3
    assert "is active, not terminated" in cli.err
    assert cli.hr("erase", "associate", "E999") == 3
    assert "no associate" in cli.err


def test_others_than_hr_are_refused_with_exit_4_and_audited(cli: Cli) -> None:
    assert cli("--user", "sup-a", "erase", "associate", "E100", password=SUP_PASSWORD) == 4
    assert cli("--user", "root", "retention", "set", "associate", "1", password=ROOT_PASSWORD) == 4
    assert cli("--user", "sup-a", "legal-hold", "set", "E100", password=SUP_PASSWORD) == 4
    assert (
        cli("--user", "sup-a", "associate", "status", "E101", "leave", password=SUP_PASSWORD) == 4
    )
    assert _actions(cli, "associate.erase") == [("sup-a", "denied")]
    assert _actions(cli, "retention.set") == [("root", "denied")]
    assert _actions(cli, "associate.status")[-1] == ("sup-a", "denied")
    assert cli.hr("associate", "show", "E100") == 0


def test_retention_periods_are_listed_and_set(cli: Cli) -> None:
    assert cli.hr("retention", "set", "associate", "120") == 0
    assert "kept 120 months" in cli.out
    assert cli.hr("--json", "retention", "list") == 0
    rows = {r["kind"]: r for r in json.loads(cli.out)}
    assert (rows["associate"]["months"], rows["associate"]["set_by"]) == (120, "hr")
    assert (rows["note"]["months"], rows["note"]["set_by"]) == (12, None)
    assert cli.hr("retention", "set", "associate", "60", "--if-version", "7") == 3
    assert "changed by hr" in cli.err
    assert cli.hr("retention", "set", "associate", "0") == 3
    with pytest.raises(SystemExit) as usage:
        main(["--user", "hr", "retention", "set", "gossip", "12"])
    assert usage.value.code == 2
    for as_of, due in (("2025-01-30", []), ("2025-01-31", ["2025-01-31"])):
        assert cli.hr("--json", "retention", "report", "--as-of", as_of) == 0
        assert [d["due_date"] for d in json.loads(cli.out)["due"]] == due
