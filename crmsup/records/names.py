"""The names a record shows for the ids it stores — usernames, team names and associates'
employee numbers — looked up at most once per transaction.

An associate's file names the same few people and one team in every record, and each area
asks for them: the answers are kept in the session (`Session.info`, which lives as long as the
transaction's session), so the second area asking costs no query. None of these names
changes once created, so what a transaction has read stays true until it ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crmsup.records.models import Associate, Team, User

_USERS = "crmsup.names.users"
_TEAMS = "crmsup.names.teams"
_NUMBERS = "crmsup.names.employee_numbers"


def usernames(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """{user id: username} for the ids given (None skipped; an unknown id is left out)."""
    return _lookup(session, _USERS, User.id, User.username, ids)


def team_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """{team id: name} for the ids given (None skipped; an unknown id is left out)."""
    return _lookup(session, _TEAMS, Team.id, Team.name, ids)


def team_name(session: Session, team_id: uuid.UUID) -> str:
    """The name of a team that exists (every associate's team does)."""
    return team_names(session, (team_id,))[team_id]


def employee_numbers(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """{associate id: employee number} for the ids given (None skipped)."""
    return _lookup(session, _NUMBERS, Associate.id, Associate.employee_no, ids)


def remember_employee_number(session: Session, associate_id: uuid.UUID, number: str) -> None:
    """What finding an associate has read already, for `employee_numbers` to answer."""
    session.info.setdefault(_NUMBERS, {})[associate_id] = number


def _lookup(
    session: Session,
    slot: str,
    key: InstrumentedAttribute[uuid.UUID],
    value: InstrumentedAttribute[str],
    ids: Iterable[uuid.UUID | None],
) -> dict[uuid.UUID, str]:
    known: dict[uuid.UUID, str] = session.info.setdefault(slot, {})
    wanted = {i for i in ids if i is not None}
    missing = wanted.difference(known)
    if missing:
        known.update(session.execute(select(key, value).where(key.in_(missing))).all())
    return {i: known[i] for i in wanted if i in known}
