from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from crmsup.records import schema
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import Database, backup_sqlite
from crmsup.records.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationFailed
from crmsup.records.keyring import DATA_KEY_PURPOSE, TEAM_KEY_PURPOSE
from crmsup.records.models import (
    Associate,
    AssociateKey,
    AssociateStatus,
    AuditEntry,
    RecipientKind,
    ScopeKey,
    SealedKey,
)
from crmsup.records.people import org as org_service
from crmsup.records.people.associates import add_associate, get_associate, list_roster
from crmsup.records.people.auth import login
from crmsup.records.people.dto import NewAssociate
from crmsup.records.people.status import set_status
from crmsup.records.upkeep.erasure import ENCRYPTED_COLUMNS, ERASED_ROWS, erase_associate
from crmsup.records.upkeep.retention import set_legal_hold
from crmsup.security import wrapping
from crmsup.security.errors import IntegrityFailure
from crmsup.security.fields import FieldCipher
from crmsup.security.recovery import new_recovery_key
from tests.factories import PASSWORD, Org
from tests.factories import add_associate as add_orjan
from tests.helpers.postgres_server import PostgresServer

NAMES = ("Ørjan", "Bøe", "orjan.boe@example.org", "Storgata")
ENDED = date(2015, 1, 31)  # due (84 months later) in 2022


def _terminated(org: Org, number: str = "E100", ended: date = ENDED) -> None:
    add_orjan(org, number)
    set_status(org.db, org.hr, number, AssociateStatus.TERMINATED, termination_date=ended)


def _row(db: Database, number: str = "E100") -> Associate:
    with db.transaction() as session:
        return session.scalars(select(Associate).where(Associate.employee_no == number)).one()


def _entries(org: Org, action: str) -> list[AuditEntry]:
    with org.db.transaction() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _secrets(db: Database, number: str = "E100") -> list[bytes]:
    """The person's names and every ciphertext and wrapped key stored for them."""
    row = _row(db, number)
    with db.transaction() as session:
        wrapped = session.get_one(AssociateKey, row.id).wrapped
    blobs = [getattr(row, c) for c in ENCRYPTED_COLUMNS if getattr(row, c) is not None]
    return [*(n.encode() for n in NAMES), wrapped, *blobs]


def test_the_erasure_list_covers_every_encrypted_column_and_ends_with_the_key() -> None:
    assert set(ENCRYPTED_COLUMNS) >= {"first_name_enc", "last_name_enc", "email_enc"}
    assert all(Associate.__table__.columns[c].nullable for c in ENCRYPTED_COLUMNS)
    assert ERASED_ROWS[-1] is AssociateKey.associate_id


def test_the_erasure_list_names_every_table_that_points_at_an_associate() -> None:
    # A table that points at associates but is missing here would keep a person's rows
    # (their ciphertexts, under a key that is gone) after erasure, or fail it on a
    # foreign key. `candidates.hired_as` is shredded apart (`shred_hired_as`).
    pointing = {
        (fk.parent.table.name, fk.parent.name)
        for table in schema.METADATA.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "associates"
    }
    listed = {(column.class_.__tablename__, column.key) for column in ERASED_ROWS}
    assert pointing - listed == {("candidates", "hired_as")}
    assert len(listed) == len(ERASED_ROWS)


def test_erasure_shreds_the_key_and_keeps_a_tombstone(org: Org) -> None:
    _terminated(org)
    add_orjan(org, "E101", first="Ada", last="Lovelace")
    before = _row(org.db)
    done = erase_associate(org.db, org.hr, "E100", PASSWORD, today=date(2026, 1, 1))
    assert (done.employee_no, done.team, done.termination_date) == ("E100", "Team A", ENDED)
    # The termination opened a revocation of access (under the access key): it goes too.
    assert done.deleted == (("access_requests", 1), ("associate_keys", 1))
    assert done.residue_cleared
    tomb = _row(org.db)
    assert all(getattr(tomb, c) is None for c in ENCRYPTED_COLUMNS)
    assert (tomb.status, tomb.termination_date, tomb.team_id) == (
        AssociateStatus.TERMINATED,
        ENDED,
        before.team_id,
    )
    assert tomb.erased_at == done.erased_at
    with org.db.transaction() as session:
        assert session.get(AssociateKey, tomb.id) is None
    with pytest.raises(NotFound, match="was erased on"):
        get_associate(org.db, org.hr, "E100")
    assert [r.employee_no for r in list_roster(org.db, org.hr).rows] == ["E101"]
    (entry,) = _entries(org, "associate.erase")
    assert (entry.actor_name, entry.entity_id, entry.outcome) == ("hr", str(tomb.id), "ok")
    details = json.loads(entry.details)
    assert details["fields"] == sorted(ENCRYPTED_COLUMNS)
    assert details["deleted"] == ["access_requests:1", "associate_keys:1"]
    assert not any(name in entry.details for name in NAMES)
    assert audit_service.verify(org.db).ok
    with pytest.raises(ValidationFailed, match="already erased"):
        erase_associate(org.db, org.hr, "E100", PASSWORD)


def test_not_even_the_recovery_key_decrypts_an_erased_associate(db: Database) -> None:
    recovery = new_recovery_key()
    org_service.initialise(
        db, organisation="Acme", site="Lyon", admin="root", hr="hr", password=PASSWORD,
        recovery=recovery,
    )  # fmt: skip
    hr = login(db, "hr", PASSWORD)
    org_service.add_team(db, hr, "Team A", "Lyon")
    added = add_associate(db, hr, NewAssociate("E100", "Ørjan", "Bøe", "Team A", email=NAMES[2]))
    set_status(db, hr, "E100", AssociateStatus.TERMINATED, termination_date=ENDED)

    def open_with_recovery() -> FieldCipher | None:
        """What the holder of the recovery sheet can reach of E100: their data key, if any."""
        with db.transaction() as session:
            scope = session.scalars(select(ScopeKey).where(ScopeKey.team_id.is_not(None))).one()
            sealed = session.scalars(
                select(SealedKey.sealed).where(
                    SealedKey.scope_key_id == scope.id,
                    SealedKey.recipient_kind == RecipientKind.RECOVERY,
                )
            ).one()
            team_key = wrapping.unseal(
                recovery, sealed, TEAM_KEY_PURPOSE, str(scope.id), "recovery"
            )
            ids = (f"associate:{added.id}", f"scope:{scope.id}")
            for key_row in session.scalars(select(AssociateKey)):  # every key left, any owner
                try:
                    data_key = wrapping.unwrap_key(
                        team_key, key_row.wrapped, DATA_KEY_PURPOSE, *ids
                    )
                except IntegrityFailure:
                    continue
                return FieldCipher(data_key, str(key_row.key_id))
        return None

    cipher = open_with_recovery()
    assert cipher is not None  # the recovery key does open a living associate
    blob = _row(db).first_name_enc
    assert blob is not None
    assert cipher.decrypt("associates", "first_name_enc", str(added.id), blob) == "Ørjan"

    erase_associate(db, hr, "E100", PASSWORD, today=date(2026, 1, 1))
    assert open_with_recovery() is None
    tomb = _row(db)
    assert [getattr(tomb, c) for c in ENCRYPTED_COLUMNS] == [None] * len(ENCRYPTED_COLUMNS)
    with db.transaction() as session:
        assert session.scalars(select(AssociateKey)).all() == []
    assert audit_service.verify(db).ok


@pytest.mark.parametrize("org", ["sqlite"], indirect=True)
def test_nothing_of_the_person_is_left_in_the_file_or_its_wal(org: Org) -> None:
    path = Path(str(org.db.engine.url.database))
    wal = Path(f"{path}-wal")
    with org.db.engine.connect() as keep_open:  # so closing the pool does not checkpoint
        _terminated(org)
        secrets = _secrets(org.db)
        assert any(s in wal.read_bytes() for s in secrets[len(NAMES) :])  # the scan can see
        done = erase_associate(org.db, org.hr, "E100", PASSWORD, today=date(2026, 1, 1))
        assert done.residue_cleared
        backup = backup_sqlite(org.db.engine, "after-erasure")
        for file in (path, wal, backup):
            data = file.read_bytes()
            for secret in secrets:
                assert secret not in data, f"{secret[:8]!r}… found in {file.name}"
        assert wal.stat().st_size == 0
        keep_open.close()


@pytest.mark.postgres
@pytest.mark.parametrize("org", ["postgresql"], indirect=True)
def test_the_wrapped_key_is_not_left_in_a_dead_postgresql_row(
    org: Org, postgres_server: PostgresServer
) -> None:
    _terminated(org)
    wrapped = _secrets(org.db)[len(NAMES)]

    def files_hold_the_key() -> bool:
        with org.db.engine.connect() as connection:
            connection.execute(text("CHECKPOINT"))
            oid = connection.execute(
                text("SELECT oid FROM pg_database WHERE datname = current_database()")
            ).scalar_one()
        folder = postgres_server.data_dir / "base" / str(oid)
        return any(wrapped in f.read_bytes() for f in folder.iterdir() if f.is_file())

    assert files_hold_the_key()  # the scan can see it
    done = erase_associate(org.db, org.hr, "E100", PASSWORD, today=date(2026, 1, 1))
    assert done.residue_cleared
    assert not files_hold_the_key()


def test_a_legal_hold_blocks_erasure(org: Org) -> None:
    _terminated(org)
    set_legal_hold(org.db, org.hr, "E100", True)
    with pytest.raises(ValidationFailed, match="legal hold"):
        erase_associate(org.db, org.hr, "E100", PASSWORD)
    assert _row(org.db).erased_at is None
    assert get_associate(org.db, org.hr, "E100").first_name == "Ørjan"
    set_legal_hold(org.db, org.hr, "E100", False)
    erase_associate(org.db, org.hr, "E100", PASSWORD)
    assert _row(org.db).erased_at is not None


@pytest.mark.parametrize("status", [AssociateStatus.ACTIVE, AssociateStatus.LEAVE])
def test_only_a_terminated_associate_is_erased(org: Org, status: AssociateStatus) -> None:
    add_orjan(org)
    set_status(org.db, org.hr, "E100", status)
    with pytest.raises(ValidationFailed, match=f"is {status.value}, not terminated"):
        erase_associate(org.db, org.hr, "E100", PASSWORD)
    assert get_associate(org.db, org.hr, "E100").last_name == "Bøe"
    assert _entries(org, "associate.erase") == []


def test_an_erasure_before_the_due_date_needs_early(org: Org) -> None:
    _terminated(org, ended=date(2024, 1, 31))
    with pytest.raises(ValidationFailed, match="due for erasure on 2031-01-31"):
        erase_associate(org.db, org.hr, "E100", PASSWORD, today=date(2031, 1, 30))
    done = erase_associate(org.db, org.hr, "E100", PASSWORD, early=True, today=date(2025, 1, 1))
    assert done.employee_no == "E100"
    (entry,) = _entries(org, "associate.erase")
    assert json.loads(entry.details)["early"] is True


@pytest.mark.parametrize("who", ["sup_a", "manager", "admin", "auditor"])
def test_only_hr_erases_and_a_refusal_is_audited(org: Org, who: str) -> None:
    _terminated(org)
    with pytest.raises(PermissionDenied):
        erase_associate(org.db, getattr(org, who), "E100", PASSWORD)
    (denied,) = _entries(org, "associate.erase")
    assert (denied.outcome, denied.actor_name) == ("denied", getattr(org, who).username)
    assert _row(org.db).erased_at is None
    assert audit_service.verify(org.db).ok


def test_a_wrong_password_erases_nothing(org: Org) -> None:
    _terminated(org)
    with pytest.raises(AuthenticationFailed, match="password is needed again"):
        erase_associate(org.db, org.hr, "E100", "not the password at all")
    assert _row(org.db).erased_at is None
    assert get_associate(org.db, org.hr, "E100").first_name == "Ørjan"
    (reauth,) = _entries(org, "reauth")
    assert (reauth.outcome, json.loads(reauth.details)) == (
        "failed",
        {"purpose": "erase associate E100"},
    )
    assert _entries(org, "associate.erase") == []
