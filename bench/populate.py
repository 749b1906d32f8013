"""Fill a database with many associates quickly, encrypted exactly as the service does.

Used by the benchmarks only: one transaction and one executemany, instead of a service call
(and its checks) per associate.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import insert

from crmsup.records import keyring
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import Associate, AssociateKey, AssociateStatus
from crmsup.records.people.associates import ENCRYPTED, TABLE
from crmsup.records.people.org import team_by_name
from crmsup.security import fields, wrapping
from crmsup.security.fields import FieldCipher

FIRST = ["Ørjan", "Ada", "Grace", "Linus", "Mette", "Søren", "Chloé", "Ngozi", "Hiro", "Ana"]
LAST = ["Bøe", "Lovelace", "Hopper", "Torvalds", "Frederiksen", "Kierkegaard", "Okafor", "Silva"]


def populate(db: Database, actor: Actor, team_name: str, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with db.transaction() as session:
        team = team_by_name(session, team_name)
        scope_key = keyring.team_scope_key(session, team.id)
        team_key = keyring.unseal_scope_key(session, actor, scope_key.id)
        people: list[dict[str, object]] = []
        keys: list[dict[str, object]] = []
        for n in range(count):
            associate_id = uuid.uuid4()
            data_key = fields.new_key()
            key_id = uuid.uuid4()
            keys.append(
                {
                    "associate_id": associate_id,
                    "key_id": key_id,
                    "scope_key_id": scope_key.id,
                    "wrapped": wrapping.wrap_key(
                        team_key,
                        data_key,
                        keyring.DATA_KEY_PURPOSE,
                        f"associate:{associate_id}",
                        f"scope:{scope_key.id}",
                    ),
                }
            )
            cipher = FieldCipher(data_key, str(key_id))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            plain = {
                "first_name": first,
                "last_name": last,
                "preferred_name": first[:3] if n % 5 == 0 else None,
                "email": f"{first}.{last}.{n}@example.org".lower(),
                "phone": f"+33 4 72 {n % 100:02d} {n // 100 % 100:02d} 00",
                "address": f"{n} rue de la République, Lyon",
                "date_of_birth": None,
            }
            row: dict[str, object] = {
                "id": associate_id,
                "employee_no": f"E{n:06d}",
                "team_id": team.id,
                "status": AssociateStatus.ACTIVE,
                "job_title": rng.choice(["Associate", "Senior associate", "Team lead"]),
                "hire_date": date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
            }
            for name, column in ENCRYPTED.items():
                value = plain[name]
                row[column] = (
                    None
                    if value is None
                    else cipher.encrypt(TABLE, column, str(associate_id), str(value))
                )
            people.append(row)
        session.execute(insert(Associate), people)
        session.execute(insert(AssociateKey), keys)
