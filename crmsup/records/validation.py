"""Pure validation rules shared by the services, the CLI and the dialogs."""

from __future__ import annotations

import re
from datetime import date

from crmsup.records.errors import ValidationFailed

_USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,63}")
_EMPLOYEE_NO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9 ()./-]{5,30}")
MIN_PASSWORD_LENGTH = 10


def username(value: str) -> str:
    value = value.strip().lower()
    if not _USERNAME.fullmatch(value):
        raise ValidationFailed(
            "a user name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter"
        )
    return value


def password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return value


def name(value: str, what: str, *, max_length: int = 200) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(f"the {what} must not be empty")
    if len(value) > max_length:
        raise ValidationFailed(f"the {what} is longer than {max_length} characters")
    return value


def optional_text(value: str | None, what: str, *, max_length: int = 500) -> str | None:
    if value is None or not value.strip():
        return None
    return name(value, what, max_length=max_length)


def employee_no(value: str) -> str:
    value = value.strip()
    if not _EMPLOYEE_NO.fullmatch(value):
        raise ValidationFailed(
            "an employee number is 1 to 32 letters, digits or '-', starting with a letter or digit"
        )
    return value


def email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise ValidationFailed("the e-mail address is not valid (expected name@example.org)")
    return value


def phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise ValidationFailed("the phone number may hold digits, spaces, + ( ) . / - only")
    return value


def iso_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"the {what} must be a date written YYYY-MM-DD") from None
