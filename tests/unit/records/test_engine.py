from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from crmsup.records.database import open_database
from crmsup.records.engine import create_engine_for, is_network_path
from crmsup.records.errors import DatabaseUnavailable, ValidationFailed


def test_sqlite_file_is_private_with_wal_foreign_keys_and_secure_delete(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "crmsup.db"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
    finally:
        db.dispose()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_network_shares_are_recognised(tmp_path: Path, fstype: str) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/share {fstype} rw 0 0\n", encoding="utf-8"
    )
    assert is_network_path(Path("/mnt/share/crmsup.db"), mounts)
    assert not is_network_path(Path("/home/me/crmsup.db"), mounts)
    assert not is_network_path(Path("/mnt/shared/crmsup.db"), mounts)


def test_unc_paths_are_network_shares() -> None:
    assert is_network_path(Path("//fileserver/hr/crmsup.db"))


def test_a_network_share_is_refused_with_a_pointer_to_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("crmsup.records.engine.is_network_path", lambda path: True)
    with pytest.raises(DatabaseUnavailable, match=r"network share.*postgresql"):
        create_engine_for(f"sqlite:///{tmp_path / 'crmsup.db'}")
    assert not (tmp_path / "crmsup.db").exists()


@pytest.mark.parametrize("url", ["not a url", "mysql://host/db", "http://example.org/x"])
def test_unsupported_urls_are_validation_errors(url: str) -> None:
    with pytest.raises(ValidationFailed):
        create_engine_for(url)


def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    url = "postgresql+psycopg://crmsup:s3cret-pw@127.0.0.1:1/crmsup?connect_timeout=2"
    with pytest.raises(DatabaseUnavailable, match="cannot open the database") as caught:
        open_database(url)
    assert "s3cret-pw" not in str(caught.value)
