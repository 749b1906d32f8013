"""A throw-away PostgreSQL server for the test suite.

``PostgresServer.start()`` runs ``initdb`` into a fresh directory and starts a
postmaster that listens on 127.0.0.1 only, on a free port, with its Unix socket
inside that directory and trust authentication.  Every step is a subprocess
with a timeout; waiting for the server is done by ``pg_ctl -w -t``, never by
sleeping.

PostgreSQL refuses to run as root.  When the tests run as root (as CI does),
``initdb`` and ``pg_ctl`` are run as the ``postgres`` OS user through
``runuser``, and the directories the server writes to are chowned to it.  The
database superuser is always called ``postgres`` (``initdb -U postgres``).
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql
from sqlalchemy import URL

__all__ = ["PostgresServer", "PostgresServerError", "find_pg_bin"]

HOST = "127.0.0.1"
SUPERUSER = "postgres"
OS_USER_WHEN_ROOT = "postgres"

_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
_DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
_INITDB_TIMEOUT = 120.0
_PG_CTL_WAIT = 60  # seconds, passed to ``pg_ctl -t``
_PG_CTL_TIMEOUT = _PG_CTL_WAIT + 30.0  # hard limit on the pg_ctl process itself
_CONNECT_TIMEOUT = 10  # seconds, libpq connect_timeout
_START_ATTEMPTS = 3  # a fresh port each time, in case another process took it
_SOCKET_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
_DB_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_CONF_FILE = "crmsup_test.conf"


class PostgresServerError(RuntimeError):
    """The throw-away server could not be created, started or stopped."""


def _is_runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _holds_all(directory: Path) -> bool:
    return all(_is_runnable(directory / name) for name in _REQUIRED_BINARIES)


def _version_key(directory: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in directory.name.split("."))


def find_pg_bin() -> Path | None:
    """Return the folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or ``None``.

    Debian's ``/usr/lib/postgresql/<version>/bin`` folders are tried first,
    highest version first, then the folder of ``initdb`` on ``PATH`` (and, if
    that is a symlink, the folder it points into).
    """
    candidates: list[Path] = []
    if _DEBIAN_PG_ROOT.is_dir():
        versions = [
            child
            for child in _DEBIAN_PG_ROOT.iterdir()
            if re.fullmatch(r"\d+(\.\d+)*", child.name) and child.is_dir()
        ]
        candidates.extend(v / "bin" for v in sorted(versions, key=_version_key, reverse=True))
    on_path = shutil.which("initdb")
    if on_path is not None:
        candidates.append(Path(on_path).parent)
        candidates.append(Path(on_path).resolve().parent)
    for candidate in candidates:
        if _holds_all(candidate):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _conf_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _tail(path: Path, limit: int = 4000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<could not read {path}: {exc}>"
    return text[-limit:] if len(text) > limit else text


def _clean_env() -> dict[str, str]:
    """The environment for initdb/pg_ctl: no stray PG* settings, C messages."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


class PostgresServer:
    """One running throw-away PostgreSQL cluster; create it with :meth:`start`."""

    def __init__(
        self,
        *,
        bin_dir: Path,
        base_dir: Path,
        owns_base_dir: bool,
        run_as: pwd.struct_passwd | None,
    ) -> None:
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.socket_dir = base_dir / "sock"
        self.log_path = base_dir / "postgres.log"
        self.host = HOST
        self.user = SUPERUSER
        self.port = 0
        self._owns_base_dir = owns_base_dir
        self._run_as = run_as
        self._running = False
        self._stopped = False

    # ------------------------------------------------------------------ start

    @classmethod
    def start(cls, base_dir: Path | None = None) -> PostgresServer:
        """Create a cluster under ``base_dir`` and start it; return once it accepts connections.

        With ``base_dir=None`` (what the fixtures use) a fresh directory is made with
        ``tempfile.mkdtemp()``, chmod 0755, and removed again by :meth:`stop`.  A given
        ``base_dir`` is created if missing and left in place by :meth:`stop` (only the
        data and socket directories are removed); when running as root, the
        ``postgres`` OS user must be able to reach it.
        """
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise PostgresServerError(
                "PostgreSQL binaries (initdb, pg_ctl, postgres) not found in "
                f"{_DEBIAN_PG_ROOT}/*/bin or on PATH"
            )
        run_as = cls._os_user_for_server()
        owns_base_dir = base_dir is None
        if base_dir is None:
            base_dir = Path(tempfile.mkdtemp(prefix="crmsup-pg-"))
            base_dir.chmod(0o755)
        else:
            base_dir = base_dir.resolve()
            base_dir.mkdir(parents=True, exist_ok=True)
        server = cls(bin_dir=bin_dir, base_dir=base_dir, owns_base_dir=owns_base_dir, run_as=run_as)
        try:
            server._prepare_dirs()
            server._initdb()
            server._start_postmaster()
        except BaseException:
            server.stop()
            raise
        atexit.register(server.stop)
        return server

    @staticmethod
    def _os_user_for_server() -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(OS_USER_WHEN_ROOT)
        except KeyError:
            raise PostgresServerError(
                "running as root, but PostgreSQL refuses to run as root and there is no "
                f"{OS_USER_WHEN_ROOT!r} OS user to run it as (install Debian's postgresql "
                "package, or run the tests as an ordinary user)"
            ) from None

    def _prepare_dirs(self) -> None:
        socket_path = self.socket_dir / ".s.PGSQL.65535"
        if len(os.fsencode(socket_path)) > _SOCKET_PATH_MAX:
            raise PostgresServerError(
                f"base_dir {self.base_dir} is too long for a Unix socket path "
                f"({socket_path}); use a shorter directory"
            )
        if self.data_dir.exists() and any(self.data_dir.iterdir()):
            raise PostgresServerError(f"{self.data_dir} already exists and is not empty")
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        self.socket_dir.mkdir(mode=0o700, exist_ok=True)
        self.log_path.touch(mode=0o600)
        if self._run_as is not None:
            for path in (self.data_dir, self.socket_dir, self.log_path):
                os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)
            probe = self._run(["test", "-x", str(self.base_dir)], timeout=30.0)
            if probe.returncode != 0:
                raise PostgresServerError(
                    f"the {self._run_as.pw_name!r} OS user cannot reach {self.base_dir} "
                    "(a parent directory is not traversable, e.g. pytest's 0700 "
                    "/tmp/pytest-of-root); let PostgresServer.start() pick its own directory"
                )

    def _command(self, argv: Sequence[str]) -> list[str]:
        if self._run_as is None:
            return list(argv)
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", self._run_as.pw_name, "--", *argv]

    def _run(self, argv: Sequence[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        command = self._command(argv)
        try:
            return subprocess.run(
                command,
                cwd=self.base_dir,
                env=_clean_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresServerError(
                f"{' '.join(command)} did not finish within {timeout:.0f} s"
            ) from exc
        except OSError as exc:
            raise PostgresServerError(f"could not run {command[0]}: {exc}") from exc

    def _initdb(self) -> None:
        result = self._run(
            [
                str(self.bin_dir / "initdb"),
                "--pgdata",
                str(self.data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
            timeout=_INITDB_TIMEOUT,
        )
        if result.returncode != 0:
            raise PostgresServerError(
                f"initdb failed with exit code {result.returncode}:\n"
                f"{result.stderr.strip()}\n{result.stdout.strip()}".rstrip()
            )
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"\ninclude_if_exists {_conf_string(_CONF_FILE)}\n")

    def _write_settings(self, port: int) -> None:
        settings = {
            "listen_addresses": _conf_string(HOST),
            "port": str(port),
            "unix_socket_directories": _conf_string(str(self.socket_dir)),
            # A throw-away cluster: durability buys nothing, speed does.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        path = self.data_dir / _CONF_FILE
        path.write_text(
            "".join(f"{name} = {value}\n" for name, value in settings.items()), encoding="utf-8"
        )
        if self._run_as is not None:
            os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)

    def _start_postmaster(self) -> None:
        failures: list[str] = []
        for _ in range(_START_ATTEMPTS):
            port = _free_port()
            self._write_settings(port)
            log_offset = self.log_path.stat().st_size
            self._running = True  # from here on, stop() must try pg_ctl stop
            result = self._run(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "start",
                    "--pgdata",
                    str(self.data_dir),
                    "--log",
                    str(self.log_path),
                    "--wait",
                    "--timeout",
                    str(_PG_CTL_WAIT),
                ],
                timeout=_PG_CTL_TIMEOUT,
            )
            if result.returncode == 0:
                self.port = port
                return
            with self.log_path.open("rb") as log:
                log.seek(log_offset)
                log_text = log.read().decode("utf-8", errors="replace")
            failures.append(
                f"port {port}: pg_ctl exit code {result.returncode}: "
                f"{result.stderr.strip()} {result.stdout.strip()}\n{log_text.strip()}"
            )
            if "Address already in use" not in log_text:
                break
            self._pg_ctl_stop()
        raise PostgresServerError("could not start PostgreSQL:\n" + "\n".join(failures))

    # ------------------------------------------------------------------- URLs

    def _url(self, database: str) -> str:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=self.port,
            database=database,
        ).render_as_string(hide_password=False)

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database, as the superuser."""
        return self._url("postgres")

    # -------------------------------------------------------------- databases

    def _connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        if not self._running or self._stopped:
            raise PostgresServerError("the PostgreSQL server is not running")
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname="postgres",
            connect_timeout=_CONNECT_TIMEOUT,
            autocommit=True,
        )

    @staticmethod
    def _check_name(name: str) -> None:
        if not _DB_NAME.fullmatch(name):
            raise ValueError(
                f"database name {name!r} must be 1-63 ASCII letters, digits or underscores, "
                "not starting with a digit"
            )

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database owned by the superuser, empty or as a copy of `template`
        (which nobody may be connected to); return its SQLAlchemy URL."""
        self._check_name(name)
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            self._check_name(template)
            create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
        with self._connect_admin() as conn:
            conn.execute(create)
        return self._url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, terminating any connections still open to it."""
        self._check_name(name)
        with self._connect_admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            if conn.info.server_version >= 130000:
                drop = sql.SQL("{} WITH (FORCE)").format(drop)
            conn.execute(drop)

    # ------------------------------------------------------------------- stop

    def _pg_ctl_stop(self) -> None:
        for mode in ("fast", "immediate"):
            result = self._run(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "stop",
                    "--pgdata",
                    str(self.data_dir),
                    "--mode",
                    mode,
                    "--wait",
                    "--timeout",
                    str(_PG_CTL_WAIT),
                ],
                timeout=_PG_CTL_TIMEOUT,
            )
            # Exit code 0: stopped.  Otherwise it may simply not be running
            # (no postmaster.pid); pg_ctl status tells (3 = not running).
            if result.returncode == 0:
                return
            status = self._run(
                [str(self.bin_dir / "pg_ctl"), "status", "--pgdata", str(self.data_dir)],
                timeout=30.0,
            )
            if status.returncode != 0:
                return
        raise PostgresServerError(
            f"pg_ctl stop failed for {self.data_dir}; see {self.log_path}:\n{_tail(self.log_path)}"
        )

    def stop(self) -> None:
        """Stop the server (``pg_ctl stop -m fast``) and remove its files.  Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        try:
            if self._running:
                self._pg_ctl_stop()
        finally:
            self._running = False
            if self._owns_base_dir:
                shutil.rmtree(self.base_dir, ignore_errors=True)
            else:
                for path in (self.data_dir, self.socket_dir):
                    shutil.rmtree(path, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._running and not self._stopped else "stopped"
        return f"<PostgresServer {self.host}:{self.port} {state} data={self.data_dir}>"
