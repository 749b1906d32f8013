"""`associate_file`: open one associate with 200 records of all kinds, decrypted into DTOs.

The file: 100 discipline records (20 issued, each with a note; 10 with an attachment),
50 reviews with every competency rated and commented and their narrative filled, 50
recommendations. Measured: `associate_file_service.open_file`, with its permission check,
key opening, lookups and audit entry. Floor: raw `sqlite3` SELECTs of the same rows and the
same AES-GCM work (unwrap the data key, decrypt every encrypted field) into plain tuples.
Target ratio <= 3.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench.timing import paired_medians, report
from crmsup.records import keyring
from crmsup.records.actor import Actor
from crmsup.records.database import Database, open_database
from crmsup.records.discipline import attachments as attachment_service
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline import workflow as discipline_workflow
from crmsup.records.discipline.dto import NewDiscipline
from crmsup.records.discipline.models import DisciplineCategory
from crmsup.records.overview import file as associate_file_service
from crmsup.records.people import org as org_service
from crmsup.records.people.associates import add_associate
from crmsup.records.people.auth import login
from crmsup.records.people.dto import NewAssociate
from crmsup.records.recommendations.drafts import create_recommendation
from crmsup.records.recommendations.dto import NewRecommendation
from crmsup.records.recommendations.models import RecommendationKind
from crmsup.records.reviews import service as review_service
from crmsup.records.reviews import templates as review_template_service
from crmsup.records.reviews.dto import (
    CompetencySpec,
    NewReview,
    Rating,
    ReviewChanges,
    TemplateSpec,
)
from crmsup.records.reviews.models import ReviewKind
from crmsup.security.fields import decrypt_with, field_aad
from crmsup.security.wrapping import key_aad

TARGET = 3.0
PASSWORD = "benchmark passphrase"
TODAY = date(2026, 11, 23)
TEXT = "Ørjan handled the escalation calmly and followed the policy to the letter. " * 3
#: Tables of the file and the foreign key naming the associate (notes hang off records).
_TABLES = (
    "associates",
    "discipline_records",
    "discipline_notes",
    "attachments",
    "reviews",
    "recommendations",
)


def _fill(db: Database, hr: Actor) -> None:
    add_associate(
        db,
        hr,
        NewAssociate(
            employee_no="E1",
            first_name="Ørjan",
            last_name="Bøe",
            team="Team A",
            email="orjan@example.com",
            phone="+33 1 23 45 67 89",
        ),
    )
    level = discipline_service.suggest_level(db, hr, "E1", DisciplineCategory.ATTENDANCE, TODAY)
    for n in range(100):
        new = NewDiscipline(
            DisciplineCategory.ATTENDANCE,
            level.level.id,
            (TODAY,),
            TEXT,
            expectation=TEXT,
            improvement=TEXT,
            consequences=TEXT,
            deviation_reason=TEXT,
        )
        record = discipline_service.create_record(db, hr, "E1", new, TODAY)
        if n < 20:
            discipline_workflow.issue(
                db, hr, "E1", record.id, expected_version=record.row.version, today=TODAY
            )
            discipline_workflow.annotate(db, hr, "E1", record.id, TEXT)
        if n < 10:
            attachment_service.attach(
                db,
                hr,
                "E1",
                "discipline_records",
                record.id,
                "statement.pdf",
                b"%PDF-1.4 " + bytes(2000),
            )
    spec = TemplateSpec(
        "Annual",
        ("poor", "fair", "good", "very good", "excellent"),
        tuple(CompetencySpec(f"Competency {i}", 1 + i % 3) for i in range(8)),
    )
    template = review_template_service.create_template(db, hr, spec)
    ratings = {c.id: Rating(1 + i % 5, TEXT) for i, c in enumerate(template.competencies)}
    for year in range(50):
        review = review_service.create_review(
            db,
            hr,
            "E1",
            NewReview(
                template.id, ReviewKind.AD_HOC, date(1970 + year, 1, 1), date(1970 + year, 12, 31)
            ),
        )
        review_service.update_review(
            db,
            hr,
            "E1",
            review.id,
            ReviewChanges(ratings=ratings, strengths=TEXT, improvements=TEXT, goals=TEXT),
        )
    for _ in range(50):
        create_recommendation(
            db,
            hr,
            NewRecommendation(
                RecommendationKind.PROMOTION, TEXT, employee_no="E1", proposed_title="Team lead"
            ),
        )


def _floor(path: Path, team_key: bytes, scope_key_id: uuid.UUID) -> int:
    """Every encrypted field of the file, decrypted, with the plain columns, as tuples."""
    team = AESGCM(team_key)
    decrypted = 0
    with sqlite3.connect(path) as connection:
        ((aid, key_id, wrapped),) = connection.execute(
            "SELECT a.id, k.key_id, k.wrapped FROM associates a"
            " JOIN associate_keys k ON k.associate_id = a.id WHERE a.employee_no = 'E1'"
        ).fetchall()
        associate = str(uuid.UUID(aid))
        kid = str(uuid.UUID(key_id))
        aead = AESGCM(
            decrypt_with(
                team,
                key_aad(
                    keyring.DATA_KEY_PURPOSE, f"associate:{associate}", f"scope:{scope_key_id}"
                ),
                wrapped,
            )
        )
        out = []
        for table in _TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            where = "id" if table == "associates" else "associate_id"
            for row in connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {where} = ?",
                (aid,),
            ):
                values = dict(zip(columns, row, strict=True))
                row_id = str(uuid.UUID(values["id"]))
                plain: list[object] = []
                for column, value in values.items():
                    if column.endswith("_enc") and value is not None:
                        aad = field_aad(table, column, row_id, kid)
                        plain.append(decrypt_with(aead, aad, value).decode())
                        decrypted += 1
                    else:
                        plain.append(value)
                out.append(tuple(plain))
    connection.close()
    return decrypted


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
            _fill(db, hr)
            with db.transaction() as session:
                team = org_service.team_by_name(session, "Team A")
                scope_key = keyring.team_scope_key(session, team.id)
                team_key = keyring.unseal_scope_key(session, hr, scope_key.id)

            def measured() -> None:
                opened = associate_file_service.open_file(db, hr, "E1", TODAY)
                assert opened.counts() == {"discipline": 100, "reviews": 50, "recommendations": 50}

            def floor() -> None:
                assert _floor(path, team_key, scope_key.id) > 900

            floor_s, measured_s = paired_medians(floor, measured, rounds=41)
            return report("associate_file", measured_s, floor_s, TARGET)
        finally:
            db.dispose()
