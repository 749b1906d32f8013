"""Migration 0012 moves key pairs out of `users` without changing a byte, and back."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import select, text

from crmsup.records.database import alembic_config, current_revision, head_revision
from crmsup.records.models import AccountKeys
from crmsup.records.people import users as user_service
from crmsup.records.people.associates import get_associate
from crmsup.records.people.auth import login
from crmsup.security.permissions import Role
from tests.factories import FIRST_PASSWORD, PASSWORD, SUPERVISOR_PASSWORD, Org, add_associate

_COLUMNS = "kdf_memory_kib, kdf_iterations, kdf_lanes, kdf_salt, sealed_private, exchange_public"


def _move(org: Org, target: str) -> None:
    with org.db.engine.begin() as connection:
        if target == "0011":
            command.downgrade(alembic_config(connection), target)
        else:
            command.upgrade(alembic_config(connection), target)


def _pairs(org: Org) -> dict[str, tuple[object, ...]]:
    with org.db.transaction() as session:
        return {
            str(row.user_id): (
                row.kdf_memory_kib,
                row.kdf_iterations,
                row.kdf_lanes,
                bytes(row.kdf_salt),
                bytes(row.sealed_private),
                bytes(row.exchange_public),
                bytes(row.signing_public),
            )
            for row in session.scalars(select(AccountKeys))
        }


def test_down_and_up_keeps_every_pair_and_marks_it_inherited(org: Org) -> None:
    add_associate(org)
    before = _pairs(org)
    assert len(before) == 6

    _move(org, "0011")
    with org.db.engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT id, {_COLUMNS}, signing_public FROM users")  # noqa: S608
        ).all()
    found = {
        str(uuid.UUID(str(r[0]))): tuple(
            bytes(v) if isinstance(v, memoryview) else v for v in r[1:]
        )
        for r in rows
    }
    assert found == before

    _move(org, "head")
    assert current_revision(org.db.engine) == head_revision()
    assert _pairs(org) == before
    with org.db.transaction() as session:
        assert all(k.inherited for k in session.scalars(select(AccountKeys)))
    # Everyone logs in as before, and reads what they read before.
    hr = login(org.db, "hr", PASSWORD)
    assert get_associate(org.db, hr, "E100").last_name == "Bøe"
    assert login(org.db, "sup-a", SUPERVISOR_PASSWORD).username == "sup-a"


def test_downgrading_is_refused_while_an_account_waits_to_enrol(org: Org) -> None:
    user_service.add_user(org.db, org.admin, "sup-c", Role.SUPERVISOR, FIRST_PASSWORD)
    with pytest.raises(RuntimeError, match="not enrolled yet"):
        _move(org, "0011")
    assert current_revision(org.db.engine) == head_revision()
