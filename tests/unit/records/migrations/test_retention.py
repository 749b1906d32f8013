"""Migration 0003 on a database that holds people: nothing lost going down and up again."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from crmsup.records.database import alembic_config, current_revision, head_revision
from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.people.associates import get_associate
from crmsup.records.people.status import set_status
from crmsup.records.upkeep.erasure import erase_associate
from crmsup.records.upkeep.retention import set_legal_hold
from tests.factories import PASSWORD, Org, add_associate


def _migrate(org: Org, target: str) -> None:
    with org.db.engine.begin() as connection:
        if target == "0002":
            command.downgrade(alembic_config(connection), target)
        else:
            command.upgrade(alembic_config(connection), target)


def test_down_and_up_keeps_associates_keys_and_tombstones(org: Org) -> None:
    add_associate(org, "E100")
    add_associate(org, "E101", first="Ada", last="Lovelace")
    set_status(
        org.db, org.hr, "E101", AssociateStatus.TERMINATED, termination_date=date(2015, 1, 31)
    )
    erased = erase_associate(org.db, org.hr, "E101", PASSWORD)
    set_legal_hold(org.db, org.hr, "E100", True)

    with pytest.raises(RuntimeError, match="on legal hold"):
        _migrate(org, "0002")
    assert current_revision(org.db.engine) == head_revision()
    set_legal_hold(org.db, org.hr, "E100", False)

    _migrate(org, "0002")
    with org.db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT employee_no, first_name_enc FROM associates ORDER BY employee_no")
        ).all()
        assert [(n, len(bytes(b)) > 0) for n, b in rows] == [("E100", True), ("E101", False)]
        assert connection.execute(text("SELECT count(*) FROM associate_keys")).scalar() == 1
        if org.db.is_sqlite:
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []

    _migrate(org, "head")
    shown = get_associate(org.db, org.hr, "E100")  # the data key and ciphertexts survived
    assert (shown.first_name, shown.last_name) == ("Ørjan", "Bøe")
    with org.db.transaction() as session:
        tomb = session.scalars(select(Associate).where(Associate.employee_no == "E101")).one()
        assert (tomb.first_name_enc, tomb.last_name_enc) == (None, None)
        assert tomb.erased_at == erased.erased_at
        assert tomb.legal_hold is False
    with org.db.engine.connect() as connection:
        if org.db.is_sqlite:
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        tables = {"crmsup_0003_associate_keys"} & set(
            connection.dialect.get_table_names(connection)
        )
        assert tables == set()
    # The status CHECK constraint survived the table's re-creation on SQLite.
    with pytest.raises(IntegrityError), org.db.engine.begin() as connection:
        connection.execute(text("UPDATE associates SET status = 'retired'"))
