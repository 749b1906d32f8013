"""Errors a user can act on, each with the CLI exit code DESIGN.md gives it.

Messages name the thing that went wrong (a team name, an employee number given on the command
line, a field) and never the contents of a person's record.
"""

from __future__ import annotations

from datetime import datetime

from crmsup.security.errors import CrmsupError, IntegrityFailure

__all__ = [
    "AuthenticationFailed",
    "CrmsupError",
    "DatabaseUnavailable",
    "IntegrityFailure",
    "LockedOut",
    "NotFound",
    "PermissionDenied",
    "SchemaTooNew",
    "StaleEdit",
    "ValidationFailed",
]


class ValidationFailed(CrmsupError):
    """The input was refused before anything was written."""


class NotFound(ValidationFailed):
    """A named site, team, user or associate does not exist (or is outside the actor's view)."""


class StaleEdit(ValidationFailed):
    """Someone else changed the record since it was read; nothing was overwritten."""


class PermissionDenied(CrmsupError):
    """The role or the scope of the acting user does not allow this."""


class AuthenticationFailed(CrmsupError):
    """Wrong user name or password, or a disabled account."""


class EnrolmentRequired(AuthenticationFailed):
    """A right first password: the owner must choose their own (`auth.enrol`) to go on."""


class LockedOut(AuthenticationFailed):
    """Too many failed logins; the account opens again at `until` (UTC)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(
            f"this account is locked after repeated failed logins until {until:%Y-%m-%d %H:%M} UTC"
        )
        self.until = until


class DatabaseUnavailable(CrmsupError):
    """The database could not be opened or reached."""


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer crmsup than this one."""


EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (ValidationFailed, 3),
    (PermissionDenied, 4),
    (AuthenticationFailed, 5),
    (IntegrityFailure, 6),
)


def exit_code_for(error: BaseException) -> int:
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1
