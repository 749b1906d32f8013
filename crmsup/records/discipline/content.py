"""Reading discipline records into DTOs: finding one in the associate's file, the plain row,
the decrypted detail, the file's history for the suggestion rules, and stale-edit messages.

Shared by `service` (reading and drafts) and `workflow` (transitions);
no permission is checked here: the callers check first, through `subject.checked`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import short_ids
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline import attachments as attachment_service
from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline.dto import (
    AttachmentInfo,
    DisciplineDetail,
    DisciplineRow,
    NoteDetail,
    Suggestion,
)
from crmsup.records.discipline.levels import all_levels, detail, rule, stale_edit
from crmsup.records.discipline.models import (
    DisciplineCategory,
    DisciplineLevel,
    DisciplineNote,
    DisciplineRecord,
)
from crmsup.records.errors import IntegrityFailure, NotFound, StaleEdit
from crmsup.records.names import team_name, usernames
from crmsup.records.sealed_fields import open_json, open_required, open_text
from crmsup.records.subject import Subject, checked
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

TABLE = DisciplineRecord.__tablename__
NOTES = DisciplineNote.__tablename__
ENTITY = "discipline_record"
#: Narrative fields of a record and their encrypted columns.
TEXTS = {
    "description": "description_enc",
    "expectation": "expectation_enc",
    "improvement": "improvement_enc",
    "consequences": "consequences_enc",
    "statement": "statement_enc",
    "deviation_reason": "deviation_reason_enc",
}


def record_in_file(
    session: Session, subject: Subject, ref: str | uuid.UUID, *, lock: bool = False
) -> DisciplineRecord:
    """One of the associate's records, by id or by the first 8 or more hex digits of it
    (ValidationFailed, exit 3, when that names none or several)."""
    ids = session.scalars(
        select(DisciplineRecord.id).where(DisciplineRecord.associate_id == subject.associate_id)
    )
    found = short_ids.find(ids, ref, "discipline record")
    record = None if found is None else session.get(DisciplineRecord, found, with_for_update=lock)
    if record is None or record.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no discipline record {ref}")
    return record


def record_stale(
    session: Session, subject: Subject, record: DisciplineRecord, read: int
) -> StaleEdit:
    what = f"discipline record {record.id.hex[:8]} of associate {subject.employee_no}"
    return stale_edit(session, ENTITY, record.id, what, record.version, read)


@contextmanager
def checked_record(
    db: Database,
    actor: Actor,
    action: Action,
    audit_action: str,
    employee_no: str,
    ref: str | uuid.UUID,
) -> Iterator[Subject]:
    """`subject.checked` for an action on one record: a refusal is audited on the record
    when the caller named it by its whole id, else on the associate."""
    record_id = ref if isinstance(ref, uuid.UUID) else None
    entity_type = ENTITY if record_id is not None else "associate"
    with checked(db, actor, action, audit_action, employee_no, entity_type, record_id) as subject:
        yield subject


@contextmanager
def stale_guard(db: Database, subject: Subject, ref: str | uuid.UUID, read: int) -> Iterator[None]:
    """Turn a concurrent commit between our read and our write (SQLAlchemy's version check
    failing at flush) into the same StaleEdit as a stale version given by the caller."""
    try:
        yield
    except StaleDataError:
        with db.transaction() as session:
            raise record_stale(
                session, subject, record_in_file(session, subject, ref), read
            ) from None


def _people(record: DisciplineRecord) -> tuple[uuid.UUID | None, ...]:
    return (record.created_by, record.issued_by, record.decided_by, record.rescinded_by)


def build_row(
    record: DisciplineRecord,
    level: DisciplineLevel,
    employee_no: str,
    names: dict[uuid.UUID, str],
    today: date,
) -> DisciplineRow:
    return DisciplineRow(
        id=record.id,
        employee_no=employee_no,
        category=record.category,
        level_id=record.level_id,
        level=level.name,
        level_rank=level.rank,
        suggested_level_id=record.suggested_level_id,
        state=record.state,
        as_of=today,
        state_today=discipline_rules.effective_state(record.state, record.live_until, today),
        created_by=names[record.created_by],
        created_at=record.created_at,
        submitted_at=record.submitted_at,
        issued_by=None if record.issued_by is None else names[record.issued_by],
        issued_on=record.issued_on,
        live_until=record.live_until,
        acknowledgement=record.acknowledgement,
        acknowledged_on=record.acknowledged_on,
        improve_by=record.improve_by,
        follow_up_on=record.follow_up_on,
        rescinded_on=record.rescinded_on,
        version=record.version,
    )


def row_of(
    session: Session, subject: Subject, record: DisciplineRecord, today: date
) -> DisciplineRow:
    level = session.get_one(DisciplineLevel, record.level_id)
    return build_row(record, level, subject.employee_no, usernames(session, _people(record)), today)


def rows_of(session: Session, subject: Subject, today: date) -> tuple[DisciplineRow, ...]:
    """The associate's records, newest first; the encrypted columns are not even read."""
    query = (
        select(DisciplineRecord, DisciplineLevel)
        .join(DisciplineLevel, DisciplineLevel.id == DisciplineRecord.level_id)
        .where(DisciplineRecord.associate_id == subject.associate_id)
        .order_by(DisciplineRecord.created_at.desc(), DisciplineRecord.id)
    )
    found = list(session.execute(query))
    names = usernames(session, (p for record, _ in found for p in _people(record)))
    return tuple(build_row(r, level, subject.employee_no, names, today) for r, level in found)


def open_incident_dates(cipher: FieldCipher, record: DisciplineRecord) -> tuple[date, ...]:
    raw = open_json(cipher, TABLE, record.id, "incident_dates_enc", record.incident_dates_enc)
    if not isinstance(raw, list) or not all(isinstance(d, str) for d in raw):
        raise IntegrityFailure("the incident dates of a record do not hold what was written")
    try:
        return tuple(date.fromisoformat(d) for d in raw)
    except ValueError:
        raise IntegrityFailure(
            "the incident dates of a record do not hold what was written"
        ) from None


def open_texts(cipher: FieldCipher, record: DisciplineRecord) -> dict[str, str | None]:
    """The narrative fields, decrypted; a missing description is tampering (fail closed)."""
    row_id = str(record.id)
    out: dict[str, str | None] = {
        field: open_text(cipher, TABLE, row_id, column, getattr(record, column))
        for field, column in TEXTS.items()
    }
    if out["description"] is None:
        raise IntegrityFailure("an encrypted value is missing")
    return out


def build_detail(
    session: Session, cipher: FieldCipher, subject: Subject, record: DisciplineRecord, today: date
) -> DisciplineDetail:
    """The record decrypted, with its notes and the names of its attachments."""
    (detail,) = details_of(session, cipher, subject, [record], today)
    return detail


def details_of(
    session: Session,
    cipher: FieldCipher,
    subject: Subject,
    records: Sequence[DisciplineRecord],
    today: date,
) -> list[DisciplineDetail]:
    """The records decrypted, with what they name (levels, people, notes, attachments) looked
    up once for all of them: a file of many records costs a few queries, not a few each."""
    ids = {r.id for r in records}
    notes: dict[uuid.UUID, list[DisciplineNote]] = {}
    # By associate, not `record_id IN (...)`: binding a hundred ids costs more than reading
    # the few notes of records not asked for.
    for note in session.scalars(
        select(DisciplineNote)
        .where(DisciplineNote.associate_id == subject.associate_id)
        .order_by(DisciplineNote.at, DisciplineNote.id)
    ):
        if note.record_id in ids:
            notes.setdefault(note.record_id, []).append(note)
    names = usernames(
        session,
        [
            *(p for r in records for p in _people(r)),
            *(n.author_id for found in notes.values() for n in found),
        ],
    )
    levels = {lv.id: lv for lv in all_levels(session)} if records else {}
    team = team_name(session, subject.team_id) if records else ""
    files = attachment_service.infos_by_record(session, cipher, subject, TABLE, ids)
    return [
        _assemble(
            cipher,
            subject,
            r,
            _Lookups(levels[r.level_id], team, names, notes.get(r.id, []), files.get(r.id, ())),
            today,
        )
        for r in records
    ]


def file_details(
    session: Session, cipher: FieldCipher, subject: Subject, today: date
) -> tuple[DisciplineDetail, ...]:
    """Every record of the subject, newest first, decrypted in the caller's transaction:
    their part of the associate's file (`crmsup.records.overview.file`), unaudited here."""
    records = session.scalars(
        select(DisciplineRecord)
        .where(DisciplineRecord.associate_id == subject.associate_id)
        .order_by(DisciplineRecord.created_at.desc(), DisciplineRecord.id)
    ).all()
    return tuple(details_of(session, cipher, subject, records, today))


@dataclass(frozen=True, slots=True)
class _Lookups:
    """What one record's detail needs beyond its own row."""

    level: DisciplineLevel
    team: str
    names: dict[uuid.UUID, str]
    notes: list[DisciplineNote]
    attachments: tuple[AttachmentInfo, ...]


def _assemble(
    cipher: FieldCipher, subject: Subject, record: DisciplineRecord, found: _Lookups, today: date
) -> DisciplineDetail:
    names = found.names
    row_id = str(record.id)
    texts = open_texts(cipher, record)
    return DisciplineDetail(
        row=build_row(record, found.level, subject.employee_no, names, today),
        team=found.team,
        incident_dates=open_incident_dates(cipher, record),
        description=texts["description"] or "",  # never empty: see open_texts
        expectation=texts["expectation"],
        improvement=texts["improvement"],
        consequences=texts["consequences"],
        statement=texts["statement"],
        deviation_reason=texts["deviation_reason"],
        decided_by=None if record.decided_by is None else names[record.decided_by],
        decided_at=record.decided_at,
        decision_comment=open_text(
            cipher, TABLE, row_id, "decision_comment_enc", record.decision_comment_enc
        ),
        witness=open_text(cipher, TABLE, row_id, "witness_enc", record.witness_enc),
        rescinded_by=None if record.rescinded_by is None else names[record.rescinded_by],
        rescind_reason=open_text(
            cipher, TABLE, row_id, "rescind_reason_enc", record.rescind_reason_enc
        ),
        notes=tuple(
            NoteDetail(
                n.id,
                names[n.author_id],
                n.at,
                open_required(cipher, NOTES, n.id, "text_enc", n.text_enc),
            )
            for n in found.notes
        ),
        attachments=found.attachments,
    )


def history_of(
    session: Session, associate_id: uuid.UUID
) -> list[tuple[uuid.UUID, discipline_rules.HistoryEntry]]:
    """The associate's records as the rules see them: plain columns only."""
    query = (
        select(
            DisciplineRecord.id,
            DisciplineRecord.category,
            DisciplineLevel.rank,
            DisciplineRecord.state,
            DisciplineRecord.issued_on,
            DisciplineRecord.live_until,
        )
        .join(DisciplineLevel, DisciplineLevel.id == DisciplineRecord.level_id)
        .where(DisciplineRecord.associate_id == associate_id)
    )
    return [
        (rid, discipline_rules.HistoryEntry(category, rank, state, issued_on, until))
        for rid, category, rank, state, issued_on, until in session.execute(query)
    ]


def suggestion_for(
    session: Session, subject: Subject, category: DisciplineCategory, day: date
) -> Suggestion:
    """The level the rules propose for a new record of `category` on `day`."""
    levels = all_levels(session)
    history = history_of(session, subject.associate_id)
    live = [
        (rid, e)
        for rid, e in history
        if e.category is category and discipline_rules.counts_on(e, day)
    ]
    proposed = discipline_rules.suggest(
        [rule(lv) for lv in levels], (e for _, e in live), category, day
    )
    top = max((e.level_rank for _, e in live), default=None)
    by_rank = {lv.rank: lv for lv in levels}
    by_id = {lv.id: lv for lv in levels}
    return Suggestion(
        category=category,
        day=day,
        level=detail(by_id[proposed.id]),
        highest_live=None if top is None else detail(by_rank[top]),
        live_records=tuple(sorted(rid for rid, _ in live)),
    )
