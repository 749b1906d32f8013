"""A candidate as stored: their fields validated, sealed under their own data key and opened
again, failing closed on anything that does not open as written.

Name and contact are JSON objects ({"first", "last"}, {"email", "phone"}), the interview notes
and result plain text, each bound to its column and row; the interview date stays plain.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from crmsup.records import validation
from crmsup.records.errors import IntegrityFailure
from crmsup.records.recommendations.models import Candidate
from crmsup.records.sealed_fields import open_json, open_text, seal, seal_json
from crmsup.security.fields import FieldCipher

TABLE = Candidate.__tablename__
MAX_NOTES = 20_000
#: Every encrypted column of a candidate: emptied when they are erased.
ENCRYPTED_COLUMNS = tuple(c.key for c in Candidate.__table__.columns if c.key.endswith("_enc"))


@dataclass(frozen=True, slots=True)
class Person:
    """A candidate's fields, validated, as the DTOs name them."""

    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    interviewed_on: date | None
    interview_notes: str | None
    result: str | None

    def given(self) -> list[str]:
        return sorted(name for name in PERSON_FIELDS if getattr(self, name) is not None)


PERSON_FIELDS = tuple(f.name for f in fields(Person))


def clean_person(values: dict[str, Any]) -> Person:
    return Person(
        first_name=validation.name(values["first_name"], "first name"),
        last_name=validation.name(values["last_name"], "last name"),
        email=validation.email(values["email"]),
        phone=validation.phone(values["phone"]),
        interviewed_on=values["interviewed_on"],
        interview_notes=validation.optional_text(
            values["interview_notes"], "interview notes", max_length=MAX_NOTES
        ),
        result=validation.optional_text(values["result"], "interview result", max_length=200),
    )


def seal_person(cipher: FieldCipher, candidate: Candidate, person: Person) -> None:
    cid = candidate.id
    candidate.name_enc = seal_json(
        cipher, TABLE, cid, "name_enc", {"first": person.first_name, "last": person.last_name}
    )
    contact = {"email": person.email, "phone": person.phone}
    candidate.contact_enc = (
        None
        if person.email is None and person.phone is None
        else seal_json(cipher, TABLE, cid, "contact_enc", contact)
    )
    texts = seal(
        cipher,
        TABLE,
        cid,
        {"interview_notes_enc": person.interview_notes, "result_enc": person.result},
    )
    candidate.interview_notes_enc = texts["interview_notes_enc"]
    candidate.result_enc = texts["result_enc"]
    candidate.interviewed_on = person.interviewed_on


def _strings(value: object, keys: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Any]:
    """A decrypted JSON object of texts, or IntegrityFailure (fail closed)."""
    broken = IntegrityFailure("a candidate's encrypted fields do not hold what was written")
    if not isinstance(value, dict):
        raise broken
    out = {k: value.get(k) for k in keys}
    if any(not isinstance(v, str) and (k in required or v is not None) for k, v in out.items()):
        raise broken
    return out


def open_person(cipher: FieldCipher, candidate: Candidate) -> Person:
    """The candidate's fields, decrypted; IntegrityFailure if anything was tampered with."""
    cid = candidate.id
    if candidate.name_enc is None:
        raise IntegrityFailure("an encrypted value is missing")
    name = _strings(
        open_json(cipher, TABLE, cid, "name_enc", candidate.name_enc),
        ("first", "last"),
        ("first", "last"),
    )
    raw_contact = open_json(cipher, TABLE, cid, "contact_enc", candidate.contact_enc)
    contact = (
        {"email": None, "phone": None}
        if raw_contact is None
        else _strings(raw_contact, ("email", "phone"), ())
    )
    return Person(
        first_name=name["first"],
        last_name=name["last"],
        email=contact["email"],
        phone=contact["phone"],
        interviewed_on=candidate.interviewed_on,
        interview_notes=open_text(
            cipher, TABLE, cid, "interview_notes_enc", candidate.interview_notes_enc
        ),
        result=open_text(cipher, TABLE, cid, "result_enc", candidate.result_enc),
    )
