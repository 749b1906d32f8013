"""Progressive discipline in an associate's file: reading records, the suggested level, and
drafts (create, edit, delete). The life cycle past the draft is in `workflow`.

Whoever keeps the associate's file (DISCIPLINE_WRITE: HR, the site's managers, the team's
supervisors) writes drafts; every narrative field, and the incident dates, are encrypted
under the associate's data key; category, level, states and dates stay plain, so that lists,
due items and the consistency report need no key. A level other than the one the rules
suggest needs a written reason. Every change is one audit entry naming the fields it changed,
every opening of a record's content is "discipline.view", every refusal is audited by
`subject.checked`. Drafts are optimistically locked: a stale version is refused, naming who
changed the record since, and nothing is written.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline import attachments as attachment_service
from crmsup.records.discipline.content import (
    ENTITY,
    TABLE,
    TEXTS,
    build_detail,
    checked_record,
    file_details,
    open_incident_dates,
    open_texts,
    record_in_file,
    record_stale,
    rows_of,
    stale_guard,
    suggestion_for,
)
from crmsup.records.discipline.dto import (
    CLEAR,
    DisciplineChanges,
    DisciplineDetail,
    DisciplineRow,
    NewDiscipline,
    Suggestion,
)
from crmsup.records.discipline.due import due_items
from crmsup.records.discipline.levels import level_or_refuse
from crmsup.records.discipline.models import DisciplineCategory, DisciplineRecord, DisciplineState
from crmsup.records.discipline.rules import Step, check_incident_dates, next_state
from crmsup.records.errors import ValidationFailed
from crmsup.records.sealed_fields import seal, seal_json
from crmsup.records.subject import Subject, checked_session, cipher_for
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

__all__ = [
    "create_record",
    "delete_draft",
    "due_items",
    "file_details",
    "get_record",
    "list_records",
    "suggest_level",
    "suggestion_for",
    "update_draft",
]

#: The longest narrative a field takes (a page or two of facts is plenty).
MAX_TEXT = 20_000
_LABELS = {
    "description": "description of the facts",
    "expectation": "policy or expectation breached",
    "improvement": "improvement expected",
    "consequences": "consequences of a repeat",
    "statement": "associate's statement",
    "deviation_reason": "reason for not giving the suggested level",
}


def list_records(
    db: Database, actor: Actor, employee_no: str, today: date
) -> tuple[DisciplineRow, ...]:
    """The associate's records, newest first, with their state on `today`: plain columns
    only, nothing decrypted (audited as "discipline.list", with the count)."""
    with checked_session(
        db, actor, Action.DISCIPLINE_VIEW, "discipline.list", employee_no, "associate"
    ) as (subject, session):
        rows = rows_of(session, subject, today)
        audit.append(
            session,
            "discipline.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"records": len(rows)},
        )
        return rows


def get_record(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID, today: date
) -> DisciplineDetail:
    """One record decrypted, with its notes and attachments' names ("discipline.view")."""
    with (
        checked_record(
            db, actor, Action.DISCIPLINE_VIEW, "discipline.view", employee_no, ref
        ) as subject,
        db.transaction() as session,
    ):
        record = record_in_file(session, subject, ref)
        found = build_detail(session, cipher_for(session, actor, subject), subject, record, today)
        audit.append(
            session, "discipline.view", actor=actor, entity_type=ENTITY, entity_id=record.id
        )
        return found


def suggest_level(
    db: Database, actor: Actor, employee_no: str, category: DisciplineCategory, today: date
) -> Suggestion:
    """The level the rules propose for a new record of `category` on `today` (plain
    columns only; nothing decrypted, nothing audited but a refusal)."""
    with checked_session(
        db, actor, Action.DISCIPLINE_VIEW, "discipline.suggest", employee_no, "associate"
    ) as (subject, session):
        return suggestion_for(session, subject, category, today)


def _text(value: str | None, field: str) -> str | None:
    return validation.optional_text(value, _LABELS[field], max_length=MAX_TEXT)


def _dates_after(incidents: tuple[date, ...], **dates: date | None) -> None:
    for field, day in dates.items():
        if day is not None and day < incidents[-1]:
            what = {"improve_by": "improve-by", "follow_up_on": "follow-up"}[field]
            raise ValidationFailed(f"the {what} date is before the last incident")


def _clean(new: NewDiscipline, today: date) -> tuple[tuple[date, ...], dict[str, str | None]]:
    incidents = check_incident_dates(new.incident_dates, today)
    texts = {field: _text(getattr(new, field), field) for field in TEXTS}
    if texts["description"] is None:
        raise ValidationFailed("a discipline record needs the description of the facts")
    _dates_after(incidents, improve_by=new.improve_by, follow_up_on=new.follow_up_on)
    return incidents, texts


def _check_level(
    level_name: str, suggestion: Suggestion, level_id: uuid.UUID, reason: str | None
) -> None:
    if level_id != suggestion.level.id and reason is None:
        raise ValidationFailed(
            f"the suggested level is {suggestion.level.name!r}; giving {level_name!r} "
            "instead needs a written reason (the deviation reason)"
        )


def create_record(
    db: Database, actor: Actor, employee_no: str, new: NewDiscipline, today: date
) -> DisciplineDetail:
    """A new draft with the acting user as its creator ("discipline.create"). The level
    suggested on `today` is kept on the record; another level needs `deviation_reason`."""
    with checked_session(
        db, actor, Action.DISCIPLINE_WRITE, "discipline.create", employee_no, "associate"
    ) as (subject, session):
        incidents, texts = _clean(new, today)
        level = level_or_refuse(session, new.level_id)
        if not level.active:
            raise ValidationFailed(f"the level {level.name!r} is retired: choose an active one")
        suggestion = suggestion_for(session, subject, new.category, today)
        _check_level(level.name, suggestion, level.id, texts["deviation_reason"])
        cipher = cipher_for(session, actor, subject)
        record_id = uuid.uuid4()
        sealed = seal(cipher, TABLE, record_id, {TEXTS[f]: t for f, t in texts.items()})
        record = DisciplineRecord(
            id=record_id,
            associate_id=subject.associate_id,
            category=new.category,
            level_id=level.id,
            suggested_level_id=suggestion.level.id,
            state=DisciplineState.DRAFT,
            incident_dates_enc=_seal_dates(cipher, record_id, incidents),
            improve_by=new.improve_by,
            follow_up_on=new.follow_up_on,
            created_by=actor.user_id,
            **sealed,
        )
        session.add(record)
        session.flush()
        given = [f for f, t in texts.items() if t is not None]
        given += [f for f in ("improve_by", "follow_up_on") if getattr(new, f) is not None]
        audit.append(
            session,
            "discipline.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=record_id,
            details={
                "associate": str(subject.associate_id),
                "category": new.category.value,
                "level": str(level.id),
                "suggested_level": str(suggestion.level.id),
                "fields": sorted(["category", "incident_dates", "level", *given]),
            },
        )
        return build_detail(session, cipher, subject, record, today)


def _seal_dates(cipher: FieldCipher, record_id: uuid.UUID, dates: tuple[date, ...]) -> bytes:
    return seal_json(cipher, TABLE, record_id, "incident_dates_enc", [d.isoformat() for d in dates])


def _apply(
    record: DisciplineRecord, cipher: FieldCipher, changes: DisciplineChanges, today: date
) -> list[str]:
    """Apply `changes` to a draft; the names of the fields that really changed."""
    changed: list[str] = []
    old_dates = open_incident_dates(cipher, record)
    dates = old_dates
    if changes.incident_dates is not None:
        dates = check_incident_dates(changes.incident_dates, today)
        if dates != old_dates:
            record.incident_dates_enc = _seal_dates(cipher, record.id, dates)
            changed.append("incident_dates")
    old_texts = open_texts(cipher, record)
    for field, column in TEXTS.items():
        given = getattr(changes, field)
        if given is None:
            continue
        text = _text(given, field)
        if field == "description" and text is None:
            raise ValidationFailed("a discipline record needs the description of the facts")
        if text != old_texts[field]:
            setattr(record, column, seal(cipher, TABLE, record.id, {column: text})[column])
            changed.append(field)
    for field in ("improve_by", "follow_up_on"):
        given_date = getattr(changes, field)
        if given_date is None:
            continue
        value = None if given_date is CLEAR else given_date
        if value != getattr(record, field):
            setattr(record, field, value)
            changed.append(field)
    _dates_after(dates, improve_by=record.improve_by, follow_up_on=record.follow_up_on)
    for field in ("category", "level_id"):
        value = getattr(changes, field)
        if value is not None and value != getattr(record, field):
            setattr(record, field, value)
            changed.append(field.removesuffix("_id"))
    return changed


def update_draft(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: DisciplineChanges,
    *,
    expected_version: int,
    today: date,
) -> DisciplineDetail:
    """Edit a draft ("discipline.update", with the names of the fields changed). A new
    category or level is checked against the suggestion on `today` again."""
    with (
        checked_record(
            db, actor, Action.DISCIPLINE_WRITE, "discipline.update", employee_no, ref
        ) as subject,
        stale_guard(db, subject, ref, expected_version),
        db.transaction() as session,
    ):
        record = _draft(session, subject, ref, expected_version, Step.UPDATE)
        cipher = cipher_for(session, actor, subject)
        changed = _apply(record, cipher, changes, today)
        if {"category", "level", "deviation_reason"} & set(changed):
            level = level_or_refuse(session, record.level_id)
            if "level" in changed and not level.active:
                raise ValidationFailed(f"the level {level.name!r} is retired")
            suggestion = suggestion_for(session, subject, record.category, today)
            reason = open_texts(cipher, record)["deviation_reason"]
            _check_level(level.name, suggestion, level.id, reason)
            if record.suggested_level_id != suggestion.level.id:
                record.suggested_level_id = suggestion.level.id
        if changed:
            session.flush()
            audit.append(
                session,
                "discipline.update",
                actor=actor,
                entity_type=ENTITY,
                entity_id=record.id,
                details={"fields": sorted(changed), "version": record.version},
            )
        return build_detail(session, cipher, subject, record, today)


def _draft(
    session: Session, subject: Subject, ref: str | uuid.UUID, expected_version: int, step: Step
) -> DisciplineRecord:
    record = record_in_file(session, subject, ref, lock=True)
    if record.version != expected_version:
        raise record_stale(session, subject, record, expected_version)
    next_state(step, record.state, needs_approval=False)
    return record


def delete_draft(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID, *, expected_version: int
) -> None:
    """Delete a draft and its attachments ("discipline.delete"); an issued record is
    rescinded instead, never deleted."""
    with (
        checked_record(
            db, actor, Action.DISCIPLINE_WRITE, "discipline.delete", employee_no, ref
        ) as subject,
        stale_guard(db, subject, ref, expected_version),
        db.transaction() as session,
    ):
        record = _draft(session, subject, ref, expected_version, Step.DELETE)
        files = attachment_service.delete_for(session, TABLE, record.id)
        session.execute(delete(DisciplineRecord).where(DisciplineRecord.id == record.id))
        audit.append(
            session,
            "discipline.delete",
            actor=actor,
            entity_type=ENTITY,
            entity_id=record.id,
            details={"associate": str(subject.associate_id), "attachments": files},
        )
