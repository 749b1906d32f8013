"""What every command handler receives: parsed arguments, the database, and a login."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from crmsup.cli import secrets
from crmsup.records.actor import Actor
from crmsup.records.auth_service import login
from crmsup.records.database import Database, open_database
from crmsup.settings import Settings


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit 2)."""


@dataclass
class Context:
    args: argparse.Namespace
    settings: Settings
    _db: Database | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(self.args.json)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.settings.database_url)
        return self._db

    def password(self) -> str:
        try:
            return secrets.password(self.args.password_file)
        except secrets.NoPassword as exc:
            raise UsageError(str(exc)) from None

    def new_password(self) -> str:
        try:
            return secrets.new_password(self.args.new_password_file)
        except secrets.NoPassword as exc:
            raise UsageError(str(exc)) from None

    def actor(self) -> Actor:
        if not self.args.user:
            raise UsageError("this command needs --user NAME (the account that does it)")
        password = self.password()
        return login(self.db, self.args.user, password)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
