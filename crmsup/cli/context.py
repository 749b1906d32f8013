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
from crmsup.records.errors import EnrolmentRequired
from crmsup.records.people.auth import enrol, login, reauthenticate
from crmsup.security.statements import fingerprint
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
    #: The password chosen at enrolment, when this command was the account's first login.
    _enrolled_with: str | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(self.args.json)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.settings.database_url)
        return self._db

    def password(self) -> str:
        if self._enrolled_with is not None:
            return self._enrolled_with
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
        try:
            actor = login(self.db, self.args.user, password)
        except EnrolmentRequired:
            actor = self._enrol(password)
        for notice in actor.notices:
            output.note(
                f"crmsup-admin: warning: account looks tampered with, no key sealed to it: {notice}"
            )
        # The cheap per-login look at the trail (see `crmsup.records.checkpoints`).
        warning = check_and_remember(self.db, CheckpointStore(), actor)
        if warning is not None:
            output.note(f"crmsup-admin: warning: {warning}")
        return actor

    def _enrol(self, first_password: str) -> Actor:
        """The account's first login: its owner's own password, and its key pair, made here."""
        try:
            chosen = secrets.new_password(self.args.new_password_file)
        except secrets.NoPassword:
            raise UsageError(
                f"this is {self.args.user}'s first login: choose a password of your own with "
                f"--new-password-file FILE or {secrets.NEW_PASSWORD_ENV} (the first password "
                "from IT cannot be kept)"
            ) from None
        actor = enrol(self.db, self.args.user, first_password, chosen)
        self._enrolled_with = chosen
        public = actor.keys.public()
        output.note(
            f"crmsup-admin: {actor.username} is set up; log in with your own password from now "
            f"on. Key fingerprint (read it to HR when they vouch for you): "
            f"{fingerprint((public.exchange, public.signing))}"
        )
        return actor

    @property
    def enrolled(self) -> bool:
        """True when this command was the account's first login, which set its password."""
        return self._enrolled_with is not None

    def reauthenticate(self, actor: Actor, purpose: str) -> None:
        """Ask for the password again before a grave step (DESIGN.md, HOUSE.md)."""
        reauthenticate(self.db, actor, self.password(), purpose)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
