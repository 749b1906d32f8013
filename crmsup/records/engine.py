"""Engines for the embedded SQLite default and for a site's PostgreSQL server."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from crmsup.records.errors import DatabaseUnavailable, ValidationFailed

#: File systems on which SQLite's locking cannot be trusted (DESIGN.md "Storage").
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "lustre",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
        "ncpfs",
    }
)

NETWORK_SHARE_MESSAGE = (
    "the database path is on a network share, where SQLite can lose or corrupt data when "
    "several workstations write at once; keep the embedded database on a local disk, or give "
    "the workstations a shared PostgreSQL server with --db postgresql+psycopg://HOST/DBNAME "
    "(see README, 'Several workstations')"
)


def parse_url(text: str) -> URL:
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValidationFailed(
            "the database URL is not understood; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DBNAME"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValidationFailed("crmsup stores its records in SQLite or PostgreSQL only")
    return url


def safe_url(url: URL) -> str:
    """The URL as it may be shown or logged: never with its password."""
    return url.render_as_string(hide_password=True)


def _mount_fstype(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """File-system type of the mount holding `path`, from /proc/mounts (Linux only)."""
    try:
        lines = mounts_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    best: tuple[int, str] | None = None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def is_network_path(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True  # a UNC path
    if sys.platform.startswith("linux"):
        fstype = _mount_fstype(path, mounts_file)
        return fstype is not None and fstype in NETWORK_FILESYSTEMS
    return False


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) before SQLite opens it."""
    resolved = path.expanduser().resolve()
    if is_network_path(resolved):
        raise DatabaseUnavailable(NETWORK_SHARE_MESSAGE)
    try:
        resolved.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(resolved, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"cannot create the database file in {resolved.parent}: {exc.strerror}"
        ) from None
    if os.name == "posix":
        os.chmod(resolved, 0o600)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (SQLAlchemy's
    # documented recipe), so that DDL is transactional and BEGIN is explicit.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA secure_delete=ON",
            "PRAGMA busy_timeout=10000",
        ):
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:":
        _prepare_sqlite_file(Path(database))
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def create_postgres_engine(url: URL) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError:
        raise DatabaseUnavailable(
            "the PostgreSQL driver is not installed; install crmsup with its 'postgres' extra"
        ) from None


def create_engine_for(url_text: str) -> Engine:
    url = parse_url(url_text)
    if url.get_backend_name() == "sqlite":
        return create_sqlite_engine(url)
    return create_postgres_engine(url)
