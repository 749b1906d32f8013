"""`crmsup-admin audit …`: exit codes, JSON shapes, tampering, checkpoint files, login warning."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crmsup.cli.main import main
from crmsup.records.checkpoints import STATE_DIR_ENV

PASSWORD = "correct horse battery staple"
AUDITOR_PASSWORD = "an auditor's passphrase"
SUP_PASSWORD = "a supervisor passphrase"
ROOT_PASSWORD = "IT's own passphrase"
FIRST_PASSWORD = "first password from IT"

Call = Callable[..., int]


def _caller(monkeypatch: pytest.MonkeyPatch) -> Call:
    def call(*argv: str, password: str = PASSWORD, new: str | None = None) -> int:
        monkeypatch.setenv("CRMSUP_PASSWORD", password)
        if new is not None:
            monkeypatch.setenv("CRMSUP_NEW_PASSWORD", new)
        return main(list(argv))

    return call


def _set_up(call: Call, folder: Path) -> None:
    init = ["init", "--org", "Acme", "--site", "Lyon", "--admin", "root", "--hr", "hr"]
    assert call(*init, "--recovery-key-file", str(folder / "recovery.txt")) == 0
    # IT's first login, then each account's: every owner chooses their own password.
    assert call("--user", "root", "user", "passwd", new=ROOT_PASSWORD) == 0
    for name, role, own in (
        ("audit", "auditor", AUDITOR_PASSWORD),
        ("sup-a", "supervisor", SUP_PASSWORD),
    ):
        add = ["--user", "root", "user", "add", name, "--role", role]
        assert call(*add, password=ROOT_PASSWORD, new=FIRST_PASSWORD) == 0
        assert call("--user", name, "user", "passwd", password=FIRST_PASSWORD, new=own) == 0
    assert (
        call("--user", "hr", "team", "add", "Team A", "--site", "Lyon", "--supervisor", "sup-a")
        == 0
    )
    person = ["--employee-no", "E100", "--first", "Ørjan", "--last", "Bøe", "--team", "Team A"]
    assert call("--user", "hr", "associate", "add", *person) == 0
    assert call("--user", "hr", "associate", "show", "E100") == 0


@pytest.fixture(scope="session")
def audit_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The set-up made once (each login costs a quarter second of Argon2id), copied per test."""
    folder = tmp_path_factory.mktemp("audit-cli-template")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{folder / 'crmsup.db'}")
        monkeypatch.setenv(STATE_DIR_ENV, str(folder / "state"))
        _set_up(_caller(monkeypatch), folder)
    return folder


class Cli:
    def __init__(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.folder = folder
        self._call = _caller(monkeypatch)
        self._capsys = capsys
        self.out = ""
        self.err = ""

    @property
    def db_path(self) -> Path:
        return self.folder / "db" / "crmsup.db"

    def __call__(self, *argv: str, password: str = PASSWORD) -> int:
        code = self._call(*argv, password=password)
        self.out, self.err = self._capsys.readouterr()
        return code

    def sql(self, statement: str, **params: object) -> None:
        engine = create_engine(f"sqlite:///{self.db_path}")
        try:
            with engine.begin() as connection:
                connection.execute(text(statement), params)
        finally:
            engine.dispose()

    def cut(self, keep: int) -> None:
        """Remove every entry after `keep`, and set the head back, as a careful forger would."""
        self.sql("DELETE FROM audit_log WHERE sequence > :keep", keep=keep)
        self.sql(
            "UPDATE audit_head SET sequence = :keep, entry_hash = "
            "(SELECT entry_hash FROM audit_log WHERE sequence = :keep)",
            keep=keep,
        )

    def seen(self) -> int:
        """The sequence this workstation remembers."""
        store = json.loads((self.folder / "state" / "checkpoints.json").read_text("utf-8"))
        (remembered,) = store["organisations"].values()
        sequence: int = remembered["sequence"]
        return sequence

    def head(self) -> int:
        engine = create_engine(f"sqlite:///{self.db_path}")
        try:
            with engine.connect() as connection:
                found: int = connection.execute(
                    text("SELECT sequence FROM audit_head")
                ).scalar_one()
                return found
        finally:
            engine.dispose()


@pytest.fixture
def cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    audit_template: Path,
) -> Cli:
    (tmp_path / "db").mkdir()
    shutil.copy2(audit_template / "crmsup.db", tmp_path / "db" / "crmsup.db")
    monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{tmp_path / 'db' / 'crmsup.db'}")
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    monkeypatch.delenv("CRMSUP_NEW_PASSWORD", raising=False)
    return Cli(tmp_path, monkeypatch, capsys)


def _verify_json(cli: Cli, *extra: str) -> dict[str, object]:
    assert cli("--user", "hr", "--json", "audit", "verify", *extra) == 0, cli.err
    report: dict[str, object] = json.loads(cli.out)
    return report


def test_verify_an_intact_trail(cli: Cli) -> None:
    assert cli("--user", "audit", "audit", "verify", password=AUDITOR_PASSWORD) == 0
    assert cli.out.startswith("intact: ")
    assert "verified on this workstation" not in cli.out  # the first time, every signature
    first_head = cli.head() - 1  # the verification's own entry came after
    report = _verify_json(cli)
    assert set(report) == {
        "ok",
        "checked",
        "signatures_checked",
        "signatures_verified_before",
        "first_bad",
        "reason",
        "head_sequence",
    }
    assert (report["ok"], report["first_bad"], report["reason"]) == (True, None, None)
    assert report["checked"] == report["head_sequence"] == cli.head() - 1
    # Resumed after the auditor's verification: only the entries since then are checked.
    assert report["signatures_verified_before"] == first_head
    assert report["signatures_checked"] == cli.head() - 1 - first_head


def test_full_checks_every_signature_again(cli: Cli) -> None:
    first = _verify_json(cli)
    assert first["signatures_verified_before"] is None
    every = first["signatures_checked"]
    assert isinstance(every, int)
    assert every > 10
    full = _verify_json(cli, "--full")
    assert full["signatures_verified_before"] is None
    assert full["signatures_checked"] == every + 2  # + the first verification and its login
    assert cli("--user", "hr", "audit", "verify") == 0
    assert "verified on this workstation" in cli.out
    assert "--full checks them all" in cli.out


def test_a_signature_changed_below_the_verified_point_is_found(cli: Cli) -> None:
    assert _verify_json(cli)["ok"] is True
    cli.sql("UPDATE audit_log SET signature = zeroblob(64) WHERE sequence = 3")
    assert cli("--user", "hr", "--json", "audit", "verify") == 6
    report = json.loads(cli.out)
    assert (report["first_bad"], report["reason"]) == (3, "entry 3 has an invalid signature")
    assert report["signatures_verified_before"] is None  # checked in full to name the entry


def test_a_forged_or_foreign_verification_mark_is_ignored(cli: Cli) -> None:
    assert _verify_json(cli)["ok"] is True
    store_file = cli.folder / "state" / "checkpoints.json"
    store = json.loads(store_file.read_text("utf-8"))
    (entry,) = store["organisations"].values()
    mark = json.loads(entry["verified"])
    for forged in (
        mark | {"sequence": mark["sequence"] - 1},  # signature no longer covers it
        mark | {"signer_id": "00000000-0000-0000-0000-000000000000"},
        mark | {"organisation_id": "00000000-0000-0000-0000-000000000000"},
        {"format": "something else"},
    ):
        entry["verified"] = json.dumps(forged)
        store_file.write_text(json.dumps(store), "utf-8")
        report = _verify_json(cli)
        assert report["signatures_verified_before"] is None, forged
        checked = report["checked"]
        assert isinstance(checked, int)
        assert report["signatures_checked"] == checked - _unsigned(cli)
        store = json.loads(store_file.read_text("utf-8"))
        (entry,) = store["organisations"].values()


def _unsigned(cli: Cli) -> int:
    engine = create_engine(f"sqlite:///{cli.db_path}")
    try:
        with engine.connect() as connection:
            found: int = connection.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE signature IS NULL AND sequence < "
                    "(SELECT sequence FROM audit_head)"
                )
            ).scalar_one()
            return found
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "argv",
    [
        ("audit", "verify"),
        ("audit", "list"),
        ("audit", "export", "trail.csv"),
        ("audit", "checkpoint", "--out", "cp.json"),
    ],
)
def test_only_auditor_hr_and_admin_may(cli: Cli, argv: tuple[str, ...]) -> None:
    argv = tuple(str(cli.folder / a) if a.endswith((".csv", ".json")) else a for a in argv)
    assert cli("--user", "sup-a", *argv, password=SUP_PASSWORD) == 4
    assert "may not" in cli.err
    assert sorted(p.name for p in cli.folder.iterdir()) == ["db", "state"]
    for user, password in (("root", ROOT_PASSWORD), ("audit", AUDITOR_PASSWORD)):
        assert cli("--user", user, *argv, password=password) == 0, cli.err


def test_list_as_json_with_filters(cli: Cli) -> None:
    assert cli("--user", "audit", "--json", "audit", "list", password=AUDITOR_PASSWORD) == 0
    rows = json.loads(cli.out)
    assert set(rows[0]) == {
        "sequence",
        "at",
        "actor",
        "workstation",
        "action",
        "entity_type",
        "entity_id",
        "outcome",
        "details",
    }
    assert "Ørjan" not in cli.out
    assert "Bøe" not in cli.out
    view = next(r for r in rows if r["action"] == "associate.view")
    argv = ["--json", "audit", "list", "--actor", "hr", "--action", "associate.*"]
    assert cli("--user", "hr", *argv, "--entity", view["entity_id"]) == 0
    assert {r["action"] for r in json.loads(cli.out)} == {"associate.create", "associate.view"}
    assert (
        cli("--user", "hr", "--json", "audit", "list", "--limit", "2", "--since", "2020-01-01") == 0
    )
    assert [r["action"] for r in json.loads(cli.out)] == ["audit.read", "login"]
    assert cli("--user", "hr", "audit", "list", "--action", "audit.read") == 0
    assert cli.out.splitlines()[0].split()[:3] == ["SEQ", "AT", "(UTC)"]
    assert cli("--user", "hr", "audit", "list", "--since", "1/2/2026") == 3
    assert "YYYY-MM-DD" in cli.err


def test_export_xlsx_and_csv(cli: Cli) -> None:
    xlsx, text_file = cli.folder / "trail.xlsx", cli.folder / "trail.csv"
    assert cli("--user", "audit", "audit", "export", str(xlsx), password=AUDITOR_PASSWORD) == 0
    assert "entries to" in cli.out
    assert xlsx.read_bytes().startswith(b"PK")
    assert cli("--user", "hr", "--json", "audit", "export", str(text_file), "--actor", "hr") == 0
    result = json.loads(cli.out)
    assert result["format"] == "csv"
    lines = list(csv.reader(text_file.read_text(encoding="utf-8-sig").splitlines()))
    assert len(lines) == result["count"] + 1
    assert {line[2] for line in lines[1:]} == {"hr"}
    assert "Ørjan".encode() not in text_file.read_bytes()
    assert cli("--user", "hr", "audit", "export", str(cli.folder / "trail.ods")) == 3
    assert not (cli.folder / "trail.ods").exists()


def test_a_tampered_trail_is_exit_6_naming_the_entry(cli: Cli) -> None:
    cli.sql("UPDATE audit_log SET outcome = 'denied' WHERE sequence = 5")
    assert cli("--user", "audit", "audit", "verify", password=AUDITOR_PASSWORD) == 6
    assert "entry 5" in cli.err
    assert "changed" in cli.err
    assert cli("--user", "audit", "--json", "audit", "verify", password=AUDITOR_PASSWORD) == 6
    report = json.loads(cli.out)
    assert (report["ok"], report["first_bad"], report["checked"]) == (False, 5, 4)
    assert report["head_sequence"] == 4
    assert (
        cli("--user", "audit", "audit", "checkpoint", "--out", "x.json", password=AUDITOR_PASSWORD)
        == 6
    )
    assert "no checkpoint written" in cli.err


def test_a_checkpoint_file_verifies_and_a_tampered_one_is_refused(cli: Cli) -> None:
    checkpoint = cli.folder / "cp.json"
    assert (
        cli(
            "--user",
            "audit",
            "audit",
            "checkpoint",
            "--out",
            str(checkpoint),
            password=AUDITOR_PASSWORD,
        )
        == 0
    )
    document = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert document["format"] == "crmsup-checkpoint-1"
    assert document["signer_name"] == "audit"
    assert checkpoint.stat().st_mode & 0o777 == 0o600
    assert cli("--user", "hr", "audit", "verify", "--checkpoint", str(checkpoint)) == 0
    assert f"checkpoint of entry {document['sequence']}" in cli.out

    forged = cli.folder / "forged.json"
    forged.write_text(json.dumps(document | {"sequence": document["sequence"] - 1}), "utf-8")
    assert cli("--user", "hr", "audit", "verify", "--checkpoint", str(forged)) == 6
    assert "signature does not verify" in cli.err

    damaged = cli.folder / "damaged.json"
    damaged.write_bytes(checkpoint.read_bytes()[:50])
    assert cli("--user", "hr", "audit", "verify", "--checkpoint", str(damaged)) == 6
    assert "not a readable crmsup checkpoint" in cli.err
    missing = cli.folder / "missing.json"
    assert cli("--user", "hr", "audit", "verify", "--checkpoint", str(missing)) == 3


def test_a_trail_cut_below_a_checkpoint_file_is_exit_6(cli: Cli) -> None:
    checkpoint = cli.folder / "cp.json"
    assert cli("--user", "hr", "audit", "checkpoint", "--out", str(checkpoint)) == 0
    sequence = json.loads(checkpoint.read_text(encoding="utf-8"))["sequence"]
    cli.cut(sequence - 2)
    assert cli("--user", "hr", "audit", "verify", "--checkpoint", str(checkpoint)) == 6
    assert "warning" in cli.err  # this workstation, too, saw more than the trail now holds
    assert f"entry {sequence}: the chain no longer matches checkpoint {sequence}" in cli.err


def test_the_login_warning_after_entries_are_cut(cli: Cli) -> None:
    assert cli("--user", "hr", "audit", "list", "--limit", "1") == 0
    assert "warning" not in cli.err
    seen = cli.seen()
    cli.cut(seen - 2)
    assert cli("--user", "audit", "audit", "list", "--limit", "1", password=AUDITOR_PASSWORD) == 0
    assert f"no longer extends what this workstation saw at sequence {seen}" in cli.err
    assert (
        cli(
            "--user",
            "audit",
            "--json",
            "audit",
            "list",
            "--action",
            "checkpoint.mismatch",
            password=AUDITOR_PASSWORD,
        )
        == 0
    )
    assert [r["details"]["sequence"] for r in json.loads(cli.out)] == [seen]
    assert "warning" not in cli.err  # warned once, and recorded in the trail
