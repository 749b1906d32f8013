from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from crmsup.records.database import backup_sqlite
from crmsup.records.errors import NotFound, PermissionDenied, ValidationFailed
from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.people.associates import add_associate, get_associate, list_roster
from crmsup.records.people.dto import NewAssociate
from crmsup.security.errors import IntegrityFailure
from tests.factories import Org
from tests.factories import add_associate as add_orjan

SECRETS = ("Ørjan", "Bøe", "orjan.boe@example.org", "Storgata")


def _count(org: Org) -> int:
    with org.db.transaction() as session:
        return len(session.scalars(select(Associate.id)).all())


def test_add_show_and_list(org: Org) -> None:
    added = add_orjan(org)
    shown = get_associate(org.db, org.sup_a, "E100")
    assert shown == added
    assert (shown.first_name, shown.last_name, shown.team) == ("Ørjan", "Bøe", "Team A")
    assert shown.status is AssociateStatus.ACTIVE
    add_orjan(org, "E101", team="Team B", first="Ada", last="Lovelace")
    roster = list_roster(org.db, org.hr)
    assert [(r.employee_no, r.last_name, r.team) for r in roster.rows] == [
        ("E100", "Bøe", "Team A"),
        ("E101", "Lovelace", "Team B"),
    ]
    assert [r.employee_no for r in list_roster(org.db, org.sup_a).rows] == ["E100"]
    assert [r.employee_no for r in list_roster(org.db, org.hr, "Team B").rows] == ["E101"]


def test_a_supervisor_cannot_see_another_team(org: Org) -> None:
    add_orjan(org)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        get_associate(org.db, org.sup_b, "E100")
    with pytest.raises(PermissionDenied):
        list_roster(org.db, org.sup_b, "Team A")
    new = NewAssociate(employee_no="E200", first_name="A", last_name="B", team="Team A")
    with pytest.raises(PermissionDenied):
        add_associate(org.db, org.sup_b, new)
    with pytest.raises(PermissionDenied):
        get_associate(org.db, org.admin, "E100")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"team": "Team Z"}, "no team named"),
        ({"employee_no": "E100"}, "already in use"),
        ({"employee_no": "E 1"}, "employee number"),
        ({"email": "not-an-address"}, "e-mail"),
        ({"phone": "call me"}, "phone"),
        ({"first_name": "  "}, "first name"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    org: Org, change: dict[str, str], message: str
) -> None:
    add_orjan(org)
    fields: dict[str, Any] = {
        "employee_no": "E200",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "team": "Team A",
        **change,
    }
    with pytest.raises(ValidationFailed, match=message):
        add_associate(org.db, org.hr, NewAssociate(**fields))
    assert _count(org) == 1


def test_unknown_employee_number_is_not_found(org: Org) -> None:
    with pytest.raises(NotFound):
        get_associate(org.db, org.hr, "E999")


def test_a_flipped_byte_is_an_integrity_failure_never_an_empty_field(org: Org) -> None:
    add_orjan(org)
    with org.db.transaction() as session:
        row = session.scalars(select(Associate)).one()
        assert row.last_name_enc is not None
        flipped = bytearray(row.last_name_enc)
        flipped[-1] ^= 0x40
        session.execute(
            update(Associate).where(Associate.id == row.id).values(last_name_enc=bytes(flipped))
        )
    with pytest.raises(IntegrityFailure):
        get_associate(org.db, org.hr, "E100")
    with pytest.raises(IntegrityFailure):
        list_roster(org.db, org.hr)


def test_a_ciphertext_moved_to_another_row_is_an_integrity_failure(org: Org) -> None:
    add_orjan(org)
    add_orjan(org, "E101", first="Ada", last="Lovelace")
    with org.db.transaction() as session:
        source = session.scalars(select(Associate).where(Associate.employee_no == "E100")).one()
        session.execute(
            update(Associate)
            .where(Associate.employee_no == "E101")
            .values(last_name_enc=source.last_name_enc)
        )
    with pytest.raises(IntegrityFailure):
        get_associate(org.db, org.hr, "E101")
    assert get_associate(org.db, org.hr, "E100").last_name == "Bøe"


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_no_personal_data_reaches_the_file_its_wal_or_a_backup(org: Org) -> None:
    with org.db.engine.connect() as keep_open:  # so the WAL is not checkpointed away
        add_orjan(org)
        wal = Path(f"{org.db.engine.url.database}-wal")
        assert wal.exists()
        backup = backup_sqlite(org.db.engine, "test")
        files = [Path(str(org.db.engine.url.database)), wal, backup]
        for path in files:
            data = path.read_bytes()
            for secret in SECRETS:
                for encoding in ("utf-8", "utf-16-le", "latin-1"):
                    try:
                        needle = secret.encode(encoding)
                    except UnicodeEncodeError:
                        continue
                    assert needle not in data, f"{secret!r} found in {path.name}"
        keep_open.close()


@pytest.mark.postgres
@pytest.mark.parametrize("org", ["postgresql"], indirect=True)
def test_no_personal_data_in_postgresql_rows(org: Org) -> None:
    add_orjan(org)
    values: list[bytes] = []
    with org.db.engine.connect() as connection:
        for table in ("associates", "associate_keys", "users", "sealed_keys", "teams"):
            for row in connection.exec_driver_sql(f"SELECT * FROM {table}"):  # noqa: S608
                values.extend(
                    bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode() for v in row
                )
    dump = b"\x00".join(values)
    assert b"E100" in dump  # the employee number stays plain, so the dump is real
    for secret in SECRETS:
        assert secret.encode() not in dump
