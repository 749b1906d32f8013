"""Settings declared once, typed, with their defaults and where each comes from.

The database URL comes from `--db`, else `CRMSUP_DB`, else the embedded SQLite file in the
user data folder (platformdirs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "crmsup"
DB_ENV = "CRMSUP_DB"
DEFAULT_DB_FILE = "crmsup.db"


def default_database_url() -> str:
    folder: Path = user_data_path(APP_NAME, appauthor=False)
    return f"sqlite:///{folder / DEFAULT_DB_FILE}"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    #: Minutes without input after which the desktop app locks and drops decrypted data.
    idle_lock_minutes: int = 10
    #: Failed logins before an account locks, and the first lock-out's length.
    max_failed_logins: int = 5
    first_lockout_minutes: int = 15

    @classmethod
    def load(cls, db: str | None = None) -> Settings:
        return cls(database_url=db or os.environ.get(DB_ENV) or default_database_url())
