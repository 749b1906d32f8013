"""`crmsup-admin backup` and `restore` end to end, exit codes included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import open_database
from tests.factories import PASSWORD
from tests.helpers.cli_runner import CliRunner

Cli = CliRunner
ROOT_PASSWORD = "IT's own passphrase"


def _set_up(cli: Cli) -> None:
    init = ["init", "--org", "Acme", "--site", "Lyon", "--admin", "root", "--hr", "hr"]
    assert cli(*init, "--recovery-key-file", str(cli.folder / "recovery.txt")) == 0
    assert cli.enrol("root", PASSWORD, ROOT_PASSWORD) == 0
    assert cli("--user", "hr", "team", "add", "Team A", "--site", "Lyon") == 0
    person = ["--employee-no", "E100", "--first", "Ørjan", "--last", "Bøe", "--team", "Team A"]
    assert cli("--user", "hr", "associate", "add", *person, "--email", "orjan@example.org") == 0


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The set-up, made once: every login costs an Argon2id derivation."""
    folder = tmp_path_factory.mktemp("backup-cli")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{folder / 'crmsup.db'}")
        _set_up(Cli(folder, monkeypatch))
    return folder


@pytest.fixture
def cli(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    for name in ("crmsup.db", "recovery.txt"):
        shutil.copy2(template / name, tmp_path / name)
    monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{tmp_path / 'crmsup.db'}")
    return Cli(tmp_path, monkeypatch, capsys)


def _backup(cli: Cli) -> Path:
    out = cli.folder / "acme.crmsupbak"
    assert cli("--user", "root", "--json", "backup", str(out), password=ROOT_PASSWORD) == 0, cli.err
    return out


def test_backup_then_restore_with_the_admins_password(cli: Cli) -> None:
    out = _backup(cli)
    made = json.loads(cli.out)
    assert made["file"] == str(out)
    assert (made["backend"], made["bytes"]) == ("sqlite", out.stat().st_size)
    assert made["entries"] > 0
    data = out.read_bytes()
    for word in ("Ørjan", "Bøe", "orjan@example.org"):
        assert word.encode() not in data
    restored = cli.url("restored.db")
    assert (
        cli("--db", restored, "--user", "root", "restore", str(out), password=ROOT_PASSWORD) == 0
    ), cli.err
    assert "Restored Acme" in cli.out
    assert "audit trail verifies" in cli.out
    assert cli("--db", restored, "--user", "hr", "--json", "associate", "list") == 0
    rows = json.loads(cli.out)
    assert [(r["employee_no"], r["first_name"], r["last_name"]) for r in rows] == [
        ("E100", "Ørjan", "Bøe")
    ]
    db = open_database(restored)
    try:
        assert audit_service.verify(db).ok
    finally:
        db.dispose()


def test_restore_with_the_recovery_key_file(cli: Cli) -> None:
    out = _backup(cli)
    sheet = str(cli.folder / "recovery.txt")
    restored = cli.url("restored.db")
    assert cli("--db", restored, "--json", "restore", str(out), "--recovery-key-file", sheet) == 0
    result = json.loads(cli.out)
    assert (result["opened_with"], result["audit_ok"]) == ("recovery key", True)


def test_only_an_admin_backs_up_exit_4(cli: Cli) -> None:
    out = cli.folder / "b.crmsupbak"
    assert cli("--user", "hr", "backup", str(out)) == 4
    assert "may not" in cli.err
    assert not out.exists()


def test_a_database_with_an_organisation_or_an_existing_file_is_exit_3(cli: Cli) -> None:
    out = _backup(cli)
    assert cli("--user", "root", "restore", str(out), password=ROOT_PASSWORD) == 3
    assert "already holds an organisation" in cli.err
    before = out.read_bytes()
    assert cli("--user", "root", "backup", str(out), password=ROOT_PASSWORD) == 3
    assert "already exists" in cli.err
    assert out.read_bytes() == before


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_damaged_backup_is_exit_6_and_nothing_is_written(cli: Cli, damage: str) -> None:
    out = _backup(cli)
    data = bytearray(out.read_bytes())
    if damage == "truncated":
        del data[-4096:]
    else:
        data[len(data) // 3] ^= 0x10
    out.write_bytes(bytes(data))
    target = cli.folder / "restored" / "crmsup.db"
    assert (
        cli(
            "--db",
            f"sqlite:///{target}",
            "--user",
            "root",
            "restore",
            str(out),
            password=ROOT_PASSWORD,
        )
        == 6
    )
    assert "damaged" in cli.err or "truncated" in cli.err
    assert not target.exists()


def test_a_foreign_file_is_exit_6(cli: Cli) -> None:
    foreign = cli.folder / "crmsup.db"
    restored = cli.url("restored.db")
    assert (
        cli("--db", restored, "--user", "root", "restore", str(foreign), password=ROOT_PASSWORD)
        == 6
    )
    assert "not a crmsup backup" in cli.err


def test_the_wrong_password_is_exit_5_and_how_to_open_is_a_usage_error(cli: Cli) -> None:
    out = _backup(cli)
    restored = cli.url("restored.db")
    assert cli("--db", restored, "--user", "root", "restore", str(out), password="wrong") == 5
    assert cli("--db", restored, "restore", str(out)) == 2
    sheet = str(cli.folder / "recovery.txt")
    argv = ["--db", restored, "--user", "root", "restore", str(out), "--recovery-key-file", sheet]
    assert cli(*argv, password=ROOT_PASSWORD) == 2
    assert not (cli.folder / "restored.db").exists()
