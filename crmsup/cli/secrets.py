"""Where the CLI gets passwords: a file, an environment variable, or a prompt — never argv."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

PASSWORD_ENV = "CRMSUP_PASSWORD"  # noqa: S105 - a variable name
NEW_PASSWORD_ENV = "CRMSUP_NEW_PASSWORD"  # noqa: S105 - a variable name


class NoPassword(Exception):
    """No password source was given and there is no terminal to ask on (usage error)."""


def _read_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NoPassword(f"cannot read the password file {path}: {exc.strerror}") from None
    first_line = text.splitlines()[0] if text else ""
    if not first_line:
        raise NoPassword(f"the password file {path} is empty")
    return first_line


def password(file: Path | None, prompt: str = "Password: ") -> str:
    if file is not None:
        return _read_file(file)
    if env := os.environ.get(PASSWORD_ENV):
        return env
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise NoPassword(f"give the password with --password-file FILE or {PASSWORD_ENV}")


def new_password(file: Path | None) -> str:
    if file is not None:
        return _read_file(file)
    if env := os.environ.get(NEW_PASSWORD_ENV):
        return env
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("New password again: ") != first:
            raise NoPassword("the two new passwords differ")
        return first
    raise NoPassword(f"give the new password with --new-password-file FILE or {NEW_PASSWORD_ENV}")
