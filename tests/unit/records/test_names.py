"""Usernames and team names are looked up at most once per transaction, and ids read back
from the database are equal to the ones written, whether the cache has seen them or not."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from crmsup.records.models import Team, User
from crmsup.records.names import team_name, team_names, usernames
from tests.factories import Org


@contextmanager
def _queries(org: Org) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(org.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(org.db.engine, "before_cursor_execute", count)


def test_names_are_read_once_per_transaction(org: Org) -> None:
    hr, sup = org.hr.user_id, org.sup_a.user_id
    with _queries(org) as seen, org.db.transaction() as session:
        assert usernames(session, [hr, None, hr]) == {hr: "hr"}
        assert usernames(session, [hr]) == {hr: "hr"}
        assert len(seen) == 1
        assert usernames(session, [hr, sup]) == {hr: "hr", sup: "sup-a"}
        assert len(seen) == 2  # only the one not seen yet was asked for
    with _queries(org) as seen, org.db.transaction() as session:
        assert usernames(session, [hr]) == {hr: "hr"}
        assert len(seen) == 1  # a new transaction reads afresh


def test_team_names_and_unknown_ids(org: Org) -> None:
    with org.db.transaction() as session:
        teams = dict(session.execute(select(Team.id, Team.name)).all())
        assert team_names(session, teams) == teams
        some = next(iter(teams))
        assert team_name(session, some) == teams[some]
        assert team_names(session, [uuid.uuid4()]) == {}
        assert usernames(session, [uuid.uuid4(), None]) == {}


def test_ids_read_back_equal_the_ones_written(org: Org) -> None:
    with org.db.transaction() as session:
        first = session.scalars(select(User.id).order_by(User.username)).all()
        again = session.scalars(select(User.id).order_by(User.username)).all()
    assert first == again
    assert all(isinstance(i, uuid.UUID) for i in first)
    assert org.hr.user_id in first
