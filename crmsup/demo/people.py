"""Associates in bulk: who they are (pure and seeded), and their rows, encrypted exactly as
`people.associates.add_associate` encrypts them.

Each associate gets a fresh data key, wrapped by their team's key with the same purpose and
ids as `keyring.new_data_key`, and each personal field is AES-GCM under it, bound to the
`associates` table, the column and the row (`people.associates.ENCRYPTED`). So every
service, the roster's fast path included, reads them as its own.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from crmsup.demo.names import (
    CITIES,
    CULTURES,
    EMAIL_DOMAINS,
    LOCAL_SHARE,
    SENIOR_PREFIX,
    SPECIAL_TITLES,
    City,
    ascii_fold,
)
from crmsup.demo.plan import OrgPlan
from crmsup.demo.rows import Row, day_between, full_row, pick, seeded, table_of
from crmsup.records import keyring
from crmsup.records.models import Associate, AssociateStatus
from crmsup.records.people.associates import ENCRYPTED
from crmsup.security import fields, wrapping
from crmsup.security.fields import FieldCipher

#: Hires reach back this far; more of them recent, as a contact centre's turnover makes it.
YEARS_OF_HIRES = 12
TERMINATED_SHARE = 0.10
LEAVE_SHARE = 0.03
FEMALE_SHARE = 0.58
FIRST_EMPLOYEE_NO = 100_000
#: Short forms people ask to be called by.
NICKNAMES = {
    "Katarzyna": "Kasia",
    "Małgorzata": "Gosia",
    "Bartłomiej": "Bartek",
    "Maximilian": "Max",
    "Oluwaseun": "Seun",
    "Babajide": "Jide",
    "Siddharth": "Sid",
    "Alessandra": "Alessa",
    "Giuseppe": "Beppe",
    "Sebastião": "Tião",
    "Inmaculada": "Inma",
    "Krzysztof": "Krzyś",
    "Chiamaka": "Amaka",
    "Funmilayo": "Funmi",
}

_TABLE = table_of(Associate).name


@dataclass(frozen=True, slots=True)
class Person:
    """One associate as planned: plain values, nothing encrypted yet."""

    employee_no: str
    #: The team's number in the demo plan (`OrgPlan.teams`).
    team: int
    first_name: str
    last_name: str
    preferred_name: str | None
    email: str
    phone: str
    address: str
    date_of_birth: date
    job_title: str
    hire_date: date
    status: AssociateStatus
    termination_date: date | None

    def last_day(self, today: date) -> date:
        """The last day they worked, or today."""
        return self.termination_date or today

    def tenure_days(self, today: date) -> int:
        return (self.last_day(today) - self.hire_date).days


@dataclass(frozen=True, slots=True)
class Owner:
    """An associate whose file is being written: their id, plan and data key."""

    associate_id: uuid.UUID
    person: Person
    cipher: FieldCipher


def _culture(city: City, rng: random.Random) -> str:
    if rng.random() < LOCAL_SHARE:
        chosen: str = pick(rng, city.cultures)
        return chosen
    return rng.choice(sorted(CULTURES))


def _digits(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in pattern)


def _person(
    number: str, team: int, hired: date, city: City, title: str, rng: random.Random, today: date
) -> Person:
    culture = CULTURES[_culture(city, rng)]
    female = rng.random() < FEMALE_SHARE
    first = rng.choice(culture.female if female else culture.male)
    last = culture.last_name(rng.choice(culture.last), female)
    preferred = NICKNAMES.get(first) if rng.random() < 0.6 else None
    if preferred is None and " " in first and rng.random() < 0.5:
        preferred = first.split()[0]
    local = f"{ascii_fold(first.split()[0])}.{ascii_fold(last)}"
    if rng.random() < 0.3:
        local += str(rng.randint(1, 99))
    age_at_hire = 18 + int(rng.betavariate(2, 5) * 40)
    born = hired - timedelta(days=age_at_hire * 365 + rng.randrange(365))
    return Person(
        employee_no=number,
        team=team,
        first_name=first,
        last_name=last,
        preferred_name=preferred,
        email=f"{local}@{rng.choice(EMAIL_DOMAINS)}",
        phone=_digits(city.phone, rng),
        address=city.address.format(
            number=rng.randint(1, 180),
            street=rng.choice(city.streets),
            postcode=rng.choice(city.postcodes),
        ),
        date_of_birth=born,
        job_title=title,
        hire_date=hired,
        status=AssociateStatus.ACTIVE,
        termination_date=None,
    )


def _career(person: Person, rng: random.Random, today: date) -> Person:
    """Status (a few on leave, some terminated) and, with the years, a senior title."""
    if person.hire_date <= today - timedelta(days=45) and rng.random() < TERMINATED_SHARE:
        ended = day_between(rng, person.hire_date + timedelta(days=30), today - timedelta(days=1))
        person = replace(person, status=AssociateStatus.TERMINATED, termination_date=ended)
    elif person.hire_date <= today - timedelta(days=90) and rng.random() < LEAVE_SHARE:
        person = replace(person, status=AssociateStatus.LEAVE)
    years = person.tenure_days(today) / 365.25
    if years >= 2 and rng.random() < 0.03:
        return replace(person, job_title=rng.choice(SPECIAL_TITLES))
    if years >= 3 and rng.random() < 0.35:
        return replace(person, job_title=SENIOR_PREFIX + person.job_title)
    return person


def plan_people(plan: OrgPlan, seed: int, today: date) -> list[Person]:
    """Everyone, in employee-number order (which is hiring order), on their teams.

    Pure and seeded: the same seed, size and day give the same people."""
    rng = seeded(seed, "people")
    teams = plan.teams
    slots = [number for number, team in enumerate(teams) for _ in range(team.size)]
    rng.shuffle(slots)
    span = YEARS_OF_HIRES * 365
    hires = sorted(today - timedelta(days=int(rng.triangular(0, span, 0))) for _ in slots)
    cities = {city.name: city for city in CITIES}
    people: list[Person] = []
    number = FIRST_EMPLOYEE_NO
    for team, hired in zip(slots, hires, strict=True):
        number += rng.randint(1, 4)
        city = cities[teams[team].site]
        person = _person(f"E{number}", team, hired, city, teams[team].queue.title, rng, today)
        people.append(_career(person, rng, today))
    return _someone_on_leave(people, today)


def _someone_on_leave(people: list[Person], today: date) -> list[Person]:
    """A small demo still shows the leave status: the longest-serving active associate
    (with a year behind them) is on leave when chance put no one there."""
    if any(p.status is AssociateStatus.LEAVE for p in people):
        return people
    for index, person in enumerate(people):
        if person.status is AssociateStatus.ACTIVE and person.tenure_days(today) >= 365:
            people[index] = replace(person, status=AssociateStatus.LEAVE)
            break
    return people


def _given(person: Person) -> list[str]:
    """Names (never values) of the fields set, as `associate.create` records them."""
    names = [f for f in ENCRYPTED if getattr(person, f) is not None]
    names += ["job_title", "hire_date"]
    if person.termination_date is not None:
        names += ["status", "termination_date"]
    elif person.status is not AssociateStatus.ACTIVE:
        names.append("status")
    return sorted(names)


def associate_rows(
    person: Person, team_id: uuid.UUID, scope_key_id: uuid.UUID, team_key: bytes, now: datetime
) -> tuple[Row, Row, FieldCipher]:
    """The associate's row and wrapped data key, and the cipher for the rest of their file."""
    associate_id = uuid.uuid4()
    data_key = fields.new_key()
    key_id = uuid.uuid4()
    wrapped = wrapping.wrap_key(
        team_key,
        data_key,
        keyring.DATA_KEY_PURPOSE,
        f"associate:{associate_id}",
        f"scope:{scope_key_id}",
    )
    cipher = FieldCipher(data_key, str(key_id))
    row_id = str(associate_id)
    sealed = {}
    for name, column in ENCRYPTED.items():
        value = getattr(person, name)
        text = value.isoformat() if isinstance(value, date) else value
        sealed[column] = None if text is None else cipher.encrypt(_TABLE, column, row_id, text)
    associate = full_row(
        table_of(Associate),
        {
            "id": associate_id,
            "employee_no": person.employee_no,
            "team_id": team_id,
            "status": person.status,
            "job_title": person.job_title,
            "hire_date": person.hire_date,
            "termination_date": person.termination_date,
            "legal_hold": False,
            "created_at": now,
            "updated_at": now,
            **sealed,
        },
    )
    key = {
        "associate_id": associate_id,
        "key_id": key_id,
        "scope_key_id": scope_key_id,
        "wrapped": wrapped,
    }
    return associate, key, cipher


def given_fields(people: Iterable[Person]) -> list[str]:
    """Names (never values) of the fields set on any of `people`, as `associate.create`
    names them."""
    return sorted({name for person in people for name in _given(person)})
