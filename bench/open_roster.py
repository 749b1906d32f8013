"""`open_roster`: decrypt and load 50,000 associates into the roster's DTOs.

Floor: raw `sqlite3` SELECT of the same columns plus the same AES-GCM work (unwrap each data
key, decrypt the three name fields) into plain tuples. Target ratio <= 2.0.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench.populate import populate
from bench.timing import paired_medians, report
from crmsup.records import keyring
from crmsup.records.database import open_database
from crmsup.records.people import org as org_service
from crmsup.records.people.associates import list_roster
from crmsup.records.people.auth import login
from crmsup.security.fields import decrypt_with, field_aad
from crmsup.security.wrapping import key_aad

COUNT = 50_000
TARGET = 2.0
PASSWORD = "benchmark passphrase"


def _floor(path: Path, team_key: bytes, scope_key_id: uuid.UUID) -> int:
    team = AESGCM(team_key)
    out = []
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT a.id, a.employee_no, a.status, a.job_title, a.hire_date, a.first_name_enc,"
            " a.last_name_enc, a.preferred_name_enc, k.key_id, k.wrapped"
            " FROM associates a JOIN associate_keys k ON k.associate_id = a.id"
            " ORDER BY a.employee_no"
        ).fetchall()
        for aid, number, status, title, hired, first, last, preferred, key_id, wrapped in rows:
            row_id = str(uuid.UUID(aid))
            kid = str(uuid.UUID(key_id))
            aead = AESGCM(
                decrypt_with(
                    team,
                    key_aad(
                        keyring.DATA_KEY_PURPOSE, f"associate:{row_id}", f"scope:{scope_key_id}"
                    ),
                    wrapped,
                )
            )

            def dec(
                column: str, blob: bytes, row_id: str = row_id, kid: str = kid, aead: AESGCM = aead
            ) -> str:
                aad = field_aad("associates", column, row_id, kid)
                return decrypt_with(aead, aad, blob).decode()

            out.append(
                (
                    number,
                    dec("first_name_enc", first),
                    dec("last_name_enc", last),
                    None if preferred is None else dec("preferred_name_enc", preferred),
                    status,
                    title,
                    hired,
                )
            )
    connection.close()
    return len(out)


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = open_database(f"sqlite:///{path}")
        try:
            org_service.initialise(
                db, organisation="Bench", site="Lyon", admin="root", hr="hr", password=PASSWORD
            )
            hr = login(db, "hr", PASSWORD)
            org_service.add_team(db, hr, "Team A", "Lyon")
            populate(db, hr, "Team A", COUNT)
            with db.transaction() as session:
                team = org_service.team_by_name(session, "Team A")
                scope_key = keyring.team_scope_key(session, team.id)
                team_key = keyring.unseal_scope_key(session, hr, scope_key.id)

            def measured() -> None:
                roster = list_roster(db, hr)
                assert len(roster.rows) == COUNT

            def floor() -> None:
                assert _floor(path, team_key, scope_key.id) == COUNT

            floor_s, measured_s = paired_medians(floor, measured)
            return report("open_roster", measured_s, floor_s, TARGET)
        finally:
            db.dispose()
