"""`crmsup-admin` as a new user meets it: the contract of issue 2, exit codes included."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crmsup.cli.main import main

PASSWORD = "correct horse battery staple"
SUP_PASSWORD = "a supervisor passphrase"
ROOT_PASSWORD = "IT's own passphrase"
FIRST_PASSWORD = "first password from IT"


Call = Callable[..., int]


def _set_up(call: Call, folder: Path) -> None:
    """init, two teams with a supervisor each, and Ørjan Bøe in team A — as a new user would."""
    sheet = folder / "recovery.txt"
    init = ["init", "--org", "Acme", "--site", "Lyon", "--admin", "root", "--hr", "hr"]
    init += ["--recovery-key-file"]
    assert call(*init, str(sheet)) == 0
    assert sheet.stat().st_mode & 0o777 == 0o600
    assert call("--user", "root", "user", "passwd", new=ROOT_PASSWORD) == 0  # root enrols
    for sup in ("sup-a", "sup-b"):
        add_user = f"--user root user add {sup} --role supervisor".split()
        assert call(*add_user, password=ROOT_PASSWORD, new=FIRST_PASSWORD) == 0
        enrol = ["--user", sup, "user", "passwd"]
        assert call(*enrol, password=FIRST_PASSWORD, new=SUP_PASSWORD) == 0
    for team, sup in (("Team A", "sup-a"), ("Team B", "sup-b")):
        assert call("--user", "hr", "team", "add", team, "--site", "Lyon", "--supervisor", sup) == 0
    associate = ["--user", "sup-a", "associate", "add", "--employee-no", "E100"]
    associate += ["--email", "orjan@example.org"]
    more = ["--first", "Ørjan", "--last", "Bøe", "--team", "Team A", "--hired", "2024-02-01"]
    assert call(*associate, *more, password=SUP_PASSWORD) == 0


def _caller(monkeypatch: pytest.MonkeyPatch) -> Call:
    def call(*argv: str, password: str = PASSWORD, new: str | None = None) -> int:
        monkeypatch.setenv("CRMSUP_PASSWORD", password)
        if new is not None:
            monkeypatch.setenv("CRMSUP_NEW_PASSWORD", new)
        return main(list(argv))

    return call


@pytest.fixture(scope="session")
def set_up_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The set-up made once (Argon2id makes each login cost a quarter second), copied per test."""
    folder = tmp_path_factory.mktemp("cli-template")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{folder / 'crmsup.db'}")
        _set_up(_caller(monkeypatch), folder)
    return folder


@pytest.fixture
def cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    set_up_template: Path,
) -> CliRunner:
    monkeypatch.setenv("CRMSUP_DB", f"sqlite:///{tmp_path / 'crmsup.db'}")
    monkeypatch.delenv("CRMSUP_PASSWORD", raising=False)
    monkeypatch.delenv("CRMSUP_NEW_PASSWORD", raising=False)
    return CliRunner(tmp_path, monkeypatch, capsys, set_up_template)


class CliRunner:
    def __init__(
        self,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        template: Path,
    ) -> None:
        self.folder = folder
        self.capsys = capsys
        self.template = template
        self._call = _caller(monkeypatch)
        self.out = ""
        self.err = ""

    @property
    def db_path(self) -> Path:
        return self.folder / "crmsup.db"

    def __call__(self, *argv: str, password: str = PASSWORD, new: str | None = None) -> int:
        code = self._call(*argv, password=password, new=new)
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    def set_up(self) -> None:
        """A private copy of the set-up (see `_set_up`)."""
        for name in ("crmsup.db", "recovery.txt"):
            shutil.copy2(self.template / name, self.folder / name)


def test_a_new_users_first_session(cli: CliRunner) -> None:
    _set_up(cli, cli.folder)
    assert cli("--user", "sup-a", "--json", "associate", "list", password=SUP_PASSWORD) == 0
    rows = json.loads(cli.out)
    assert [
        (r["employee_no"], r["first_name"], r["last_name"], r["team"], r["status"]) for r in rows
    ] == [("E100", "Ørjan", "Bøe", "Team A", "active")]
    assert cli("--user", "sup-a", "associate", "show", "E100", password=SUP_PASSWORD) == 0
    assert "Ørjan Bøe" in cli.out
    assert cli("--user", "sup-b", "associate", "show", "E100", password=SUP_PASSWORD) == 4
    assert "outside your scope" in cli.err
    assert cli("--user", "root", "associate", "list", password=ROOT_PASSWORD) == 4
    for path in cli.folder.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert "Ørjan".encode() not in data, path.name
            assert "Bøe".encode() not in data, path.name


def test_info_needs_no_login_and_shows_no_personal_data(cli: CliRunner) -> None:
    cli.set_up()
    assert cli("--json", "info", password="") == 0
    info = json.loads(cli.out)
    assert (info["organisation"], info["teams"], info["associates"]) == ("Acme", 2, 1)
    assert "Ørjan" not in cli.out


def test_a_flipped_byte_is_exit_6(cli: CliRunner) -> None:
    cli.set_up()
    engine = create_engine(f"sqlite:///{cli.db_path}")
    with engine.begin() as connection:
        blob = connection.execute(text("SELECT first_name_enc FROM associates")).scalar_one()
        flipped = bytes([blob[0], *blob[1:-1], blob[-1] ^ 1])
        connection.execute(text("UPDATE associates SET first_name_enc = :b"), {"b": flipped})
    engine.dispose()
    assert cli("--user", "sup-a", "associate", "show", "E100", password=SUP_PASSWORD) == 6
    assert "integrity" in cli.err
    assert cli("--user", "hr", "associate", "list") == 6


def test_five_wrong_passwords_lock_the_account_and_say_until_when(cli: CliRunner) -> None:
    cli.set_up()
    codes = [
        cli("--user", "sup-b", "associate", "list", password="not the password") for _ in range(5)
    ]
    assert codes == [5] * 5
    assert re.search(r"locked .* until .* UTC", cli.err)
    assert cli("--user", "sup-b", "associate", "list", password=SUP_PASSWORD) == 5
    assert "locked" in cli.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--team", "Team Z"), "no team named"),
        (("--employee-no", "E100"), "already in use"),
        (("--hired", "01/02/2024"), "YYYY-MM-DD"),
        (("--email", "orjan-at-example"), "e-mail"),
    ],
)
def test_bad_input_is_exit_3_and_changes_nothing(
    cli: CliRunner, args: tuple[str, str], message: str
) -> None:
    cli.set_up()
    before = cli.db_path.read_bytes()
    base = {"--employee-no": "E200", "--first": "Ada", "--last": "Lovelace", "--team": "Team A"}
    base[args[0]] = args[1]
    argv = [item for pair in base.items() for item in pair]
    assert cli("--user", "hr", "associate", "add", *argv) == 3
    assert message in cli.err
    assert cli("--user", "hr", "--json", "associate", "list") == 0
    assert [r["employee_no"] for r in json.loads(cli.out)] == ["E100"]
    assert len(before) > 0


def test_passwords_never_travel_on_the_command_line(cli: CliRunner) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--password", PASSWORD, "info"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as abbreviated:
        main(["--password=x", "info"])
    assert abbreviated.value.code == 2


def test_missing_password_source_is_a_usage_error(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.set_up()
    monkeypatch.delenv("CRMSUP_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--user", "hr", "associate", "list"]) == 2


def test_password_file_is_read(cli: CliRunner) -> None:
    cli.set_up()
    secret = cli.folder / "pw.txt"
    secret.write_text(SUP_PASSWORD + "\n", encoding="utf-8")
    assert (
        cli(
            "--user",
            "sup-a",
            "--password-file",
            str(secret),
            "associate",
            "list",
            password="wrong on purpose",
        )
        == 0
    )


def test_an_unreachable_database_is_a_clear_error(cli: CliRunner) -> None:
    url = "postgresql+psycopg://crmsup:pw-secret@127.0.0.1:1/crmsup?connect_timeout=2"
    assert cli("--db", url, "info") == 1
    assert "cannot open the database" in cli.err
    assert "pw-secret" not in cli.err


def test_a_newer_schema_is_refused_and_left_unchanged(cli: CliRunner) -> None:
    cli.set_up()
    engine = create_engine(f"sqlite:///{cli.db_path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    engine.dispose()
    before = cli.db_path.read_bytes()
    assert cli("--user", "hr", "associate", "list") == 1
    assert "newer crmsup" in cli.err
    assert cli.db_path.read_bytes() == before


def test_init_twice_is_refused_and_the_sheet_is_not_overwritten(cli: CliRunner) -> None:
    cli.set_up()
    sheet = cli.folder / "recovery.txt"
    original = sheet.read_text(encoding="utf-8")
    again = ["init", "--org", "Other", "--site", "X", "--admin", "a2", "--hr", "h2"]
    assert cli(*again, "--recovery-key-file", str(sheet)) == 3
    assert sheet.read_text(encoding="utf-8") == original
    other = cli.folder / "second.txt"
    assert cli(*again, "--recovery-key-file", str(other)) == 3
    assert "already holds an organisation" in cli.err
    assert not other.exists()
    assert not list(cli.folder.glob(".*.part"))


def test_users_grants_and_password_change(cli: CliRunner) -> None:
    cli.set_up()
    assert (
        cli(
            "--user",
            "root",
            "user",
            "add",
            "sup-c",
            "--role",
            "supervisor",
            "--team",
            "Team A",
            password=ROOT_PASSWORD,
            new=FIRST_PASSWORD,
        )
        == 0
    )
    assert "pending" in cli.out
    assert cli("--user", "sup-c", "user", "passwd", password=FIRST_PASSWORD, new=SUP_PASSWORD) == 0
    assert cli("--user", "sup-c", "associate", "show", "E100", password=SUP_PASSWORD) == 4
    assert cli("--user", "root", "grant", "sup-c", "--team", "Team A", password=ROOT_PASSWORD) == 4
    assert cli("--user", "hr", "grant", "sup-c", "--team", "Team A") == 0
    assert cli("--user", "sup-c", "associate", "show", "E100", password=SUP_PASSWORD) == 0
    assert (
        cli("--user", "sup-c", "user", "passwd", password=SUP_PASSWORD, new="a newer passphrase")
        == 0
    )
    assert cli("--user", "sup-c", "associate", "show", "E100", password="a newer passphrase") == 0
    assert cli("--user", "root", "--json", "user", "list", password=ROOT_PASSWORD) == 0
    users = {u["username"]: u for u in json.loads(cli.out)}
    assert users["sup-c"]["pending_teams"] == []
    assert cli("--user", "root", "user", "disable", "sup-c", password=ROOT_PASSWORD) == 0
    assert cli("--user", "sup-c", "associate", "list", password="a newer passphrase") == 5
    assert cli("--user", "hr", "revoke", "sup-b", "--team", "Team B") == 0
    assert cli("--user", "hr", "user", "add", "x", "--role", "hr", new=SUP_PASSWORD) == 4


def test_the_installed_entry_point_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("crmsup-admin")
    program = str(exe) if exe.exists() else shutil.which("crmsup-admin")
    assert program, "crmsup-admin is installed with the package"
    done = subprocess.run(
        [program, "--db", f"sqlite:///{tmp_path / 'x.db'}", "--json", "info"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["organisation"] is None


def test_role_change_drops_keys_and_recovery_restores_them(cli: CliRunner) -> None:
    cli.set_up()
    assert (
        cli("--user", "root", "user", "role", "sup-a", "--role", "hr", password=ROOT_PASSWORD) == 0
    )
    assert cli("--user", "sup-a", "associate", "show", "E100", password=SUP_PASSWORD) == 4
    assert (
        cli("--user", "sup-a", "user", "role", "sup-b", "--role", "hr", password=SUP_PASSWORD) == 4
    )
    sheet = str(cli.folder / "recovery.txt")
    recover = ["recover", "sup-a", "--recovery-key-file", sheet]
    assert cli("--user", "root", *recover, password=ROOT_PASSWORD) == 4
    assert cli("--user", "hr", "recover", "sup-a", "--recovery-key-file", sheet) == 0
    assert "Team A" in cli.out
    assert cli("--user", "sup-a", "associate", "show", "E100", password=SUP_PASSWORD) == 0
    bad = cli.folder / "not-a-sheet.txt"
    bad.write_text("hello", encoding="utf-8")
    assert cli("--user", "hr", "recover", "sup-a", "--recovery-key-file", str(bad)) == 3
