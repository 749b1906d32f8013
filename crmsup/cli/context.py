"""What every command handler receives: parsed arguments, the database, and a login."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from crmsup.cli import output, secrets
from crmsup.records.actor import Actor
from crmsup.records.checkpoints import CheckpointStore, check_and_remember
from crmsup.records.database import Database, open_database
from crmsup.records.people.auth import login, reauthenticate
from crmsup.settings import Settings

Handler: TypeAlias = "Callable[[Context], int]"
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_command(
    parent: Commands, name: str, handler: Handler | None, help_text: str
) -> argparse.ArgumentParser:
    """Declare one (sub)command; every command module registers its own this way."""
    parser = parent.add_parser(name, help=help_text, description=help_text, allow_abbrev=False)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


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
        actor = login(self.db, self.args.user, password)
        # The cheap per-login look at the trail (see `crmsup.records.checkpoints`).
        warning = check_and_remember(self.db, CheckpointStore(), actor)
        if warning is not None:
            output.note(f"crmsup-admin: warning: {warning}")
        return actor

    def reauthenticate(self, actor: Actor, purpose: str) -> None:
        """Ask for the password again before a grave step (DESIGN.md, HOUSE.md)."""
        reauthenticate(self.db, actor, self.password(), purpose)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
