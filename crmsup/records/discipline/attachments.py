"""Files attached to an associate's records: a signed notice, a scanned statement.

A file is encrypted whole under the associate's data key, bound to its row like every other
field; so is its name. Its size and media type stay plain (they say nothing of the person and
let a list show them without a key). Attaching needs the write permission of the record's
area, listing and opening its read permission; both are audited ("<area>.attach",
"attachment.list", "attachment.view") with ids and sizes, never a file name. The CLI reads the
file; this service takes its bytes, and refuses more than 10 MiB with a clear message.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import column, delete, select, table
from sqlalchemy.orm import Session

from crmsup.records import audit, short_ids, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.dto import AttachmentContent, AttachmentInfo
from crmsup.records.discipline.models import Attachment, DisciplineRecord
from crmsup.records.errors import NotFound, ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.sealed_fields import open_required
from crmsup.records.subject import Subject, checked, checked_session, cipher_for, find_associate
from crmsup.records.types import Uuid
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

TABLE = Attachment.__tablename__
ENTITY = "attachment"
MAX_BYTES = 10 * 1024 * 1024
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


@dataclass(frozen=True, slots=True)
class Area:
    """A table whose records take attachments, and the permissions that guard them."""

    table: str
    view: Action
    write: Action
    #: The audit action of attaching a file: "<prefix>.attach".
    prefix: str


#: `record_type` (a table name) → its area. Reviews and recommendations are named by their
#: table, not imported: their areas read discipline's models, so importing theirs here would
#: close an import circle (`tests/unit/records/test_layout.py`). A test checks each name is a
#: table of `crmsup.records.schema` with `id` and `associate_id`.
AREAS: dict[str, Area] = {
    area.table: area
    for area in (
        Area(
            DisciplineRecord.__tablename__,
            Action.DISCIPLINE_VIEW,
            Action.DISCIPLINE_WRITE,
            "discipline",
        ),
        Area("reviews", Action.REVIEW_VIEW, Action.REVIEW_WRITE, "review"),
        Area(
            "recommendations",
            Action.RECOMMENDATION_VIEW,
            Action.RECOMMENDATION_WRITE,
            "recommendation",
        ),
    )
}


def area_of(record_type: str) -> Area:
    area = AREAS.get(record_type)
    if area is None:
        raise ValidationFailed(
            f"files are attached to records of: {', '.join(sorted(AREAS))}; not {record_type!r}"
        )
    return area


def _record_id(session: Session, subject: Subject, area: Area, ref: str | uuid.UUID) -> uuid.UUID:
    records = table(area.table, column("id", Uuid()), column("associate_id", Uuid()))
    ids = list(
        session.scalars(select(records.c.id).where(records.c.associate_id == subject.associate_id))
    )
    found = short_ids.find(ids, ref, "record", "of the associate")
    if found is None:
        raise NotFound(f"associate {subject.employee_no} has no {area.table} record {ref}")
    return found


def clean_filename(name: str) -> str:
    """The last part of a path as either system writes it; 1 to 255 characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name.strip()
    return validation.name(base, "file name", max_length=255)


def clean_media_type(media_type: str | None, filename: str) -> str:
    if media_type is None:
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    media_type = media_type.strip().lower()
    if len(media_type) > 100 or not _MEDIA_TYPE.fullmatch(media_type):
        raise ValidationFailed("a media type is written type/subtype, as application/pdf")
    return media_type


def check_size(size: int) -> None:
    if size == 0:
        raise ValidationFailed("the file is empty: there is nothing to attach")
    if size > MAX_BYTES:
        raise ValidationFailed(
            f"the file is {size / 2**20:.1f} MiB; attachments are limited to "
            f"{MAX_BYTES // 2**20} MiB (scan at a lower resolution, or split the document)"
        )


def _info(
    row: Attachment, cipher: FieldCipher, employee_no: str, names: dict[uuid.UUID, str]
) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id,
        employee_no=employee_no,
        record_type=row.record_type,
        record_id=row.record_id,
        filename=open_required(cipher, TABLE, row.id, "filename_enc", row.filename_enc),
        media_type=row.media_type,
        size=row.size,
        added_by=names[row.added_by],
        added_at=row.added_at,
    )


def infos(
    session: Session, cipher: FieldCipher, subject: Subject, record_type: str, record_id: uuid.UUID
) -> tuple[AttachmentInfo, ...]:
    """The attachments of one record, oldest first, their names decrypted (no check, no
    audit: for services that already checked and audit the record's view)."""
    return infos_by_record(session, cipher, subject, record_type, [record_id]).get(record_id, ())


def infos_by_record(
    session: Session,
    cipher: FieldCipher,
    subject: Subject,
    record_type: str,
    record_ids: Iterable[uuid.UUID],
) -> dict[uuid.UUID, tuple[AttachmentInfo, ...]]:
    """The attachments of several records of the associate, in one query, by record (all of
    the associate's of that type are read, their content not: cheaper than binding many ids)."""
    wanted = set(record_ids)
    query = (
        select(Attachment)
        .where(
            Attachment.associate_id == subject.associate_id, Attachment.record_type == record_type
        )
        .order_by(Attachment.added_at, Attachment.id)
    )
    found = [row for row in session.scalars(query) if row.record_id in wanted]
    names = usernames(session, (row.added_by for row in found))
    out: dict[uuid.UUID, list[AttachmentInfo]] = {}
    for row in found:
        out.setdefault(row.record_id, []).append(_info(row, cipher, subject.employee_no, names))
    return {record_id: tuple(items) for record_id, items in out.items()}


def delete_for(session: Session, record_type: str, record_id: uuid.UUID) -> int:
    """Delete the attachments of a record being deleted (a draft); how many there were."""
    result = session.execute(
        delete(Attachment).where(
            Attachment.record_type == record_type, Attachment.record_id == record_id
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def attach(
    db: Database,
    actor: Actor,
    employee_no: str,
    record_type: str,
    record_ref: str | uuid.UUID,
    filename: str,
    content: bytes,
    *,
    media_type: str | None = None,
) -> AttachmentInfo:
    """Attach `content` to one of the associate's records; audited as "<area>.attach"."""
    area = area_of(record_type)
    action = f"{area.prefix}.attach"
    with checked(db, actor, area.write, action, employee_no, "associate") as subject:
        name = clean_filename(filename)
        kind = clean_media_type(media_type, name)
        check_size(len(content))
        with db.transaction() as session:
            record_id = _record_id(session, subject, area, record_ref)
            cipher = cipher_for(session, actor, subject)
            row_id = uuid.uuid4()
            row = Attachment(
                id=row_id,
                associate_id=subject.associate_id,
                record_type=record_type,
                record_id=record_id,
                filename_enc=cipher.encrypt(TABLE, "filename_enc", str(row_id), name),
                media_type=kind,
                size=len(content),
                content_enc=cipher.encrypt_bytes(TABLE, "content_enc", str(row_id), content),
                added_by=actor.user_id,
            )
            session.add(row)
            session.flush()
            audit.append(
                session,
                action,
                actor=actor,
                entity_type=ENTITY,
                entity_id=row_id,
                details={
                    "record_type": record_type,
                    "record_id": str(record_id),
                    "size": len(content),
                    "media_type": kind,
                },
            )
            return _info(row, cipher, subject.employee_no, {actor.user_id: actor.username})


def list_attachments(
    db: Database, actor: Actor, employee_no: str, record_type: str, record_ref: str | uuid.UUID
) -> tuple[AttachmentInfo, ...]:
    """The files attached to one record, names decrypted; audited as "attachment.list"."""
    area = area_of(record_type)
    with checked_session(db, actor, area.view, "attachment.list", employee_no, "associate") as (
        subject,
        session,
    ):
        record_id = _record_id(session, subject, area, record_ref)
        found = infos(session, cipher_for(session, actor, subject), subject, record_type, record_id)
        audit.append(
            session,
            "attachment.list",
            actor=actor,
            entity_type=record_type,
            entity_id=record_id,
            details={"attachments": len(found)},
        )
        return found


def open_attachment(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> AttachmentContent:
    """One attachment, decrypted whole; audited as "attachment.view". The read permission
    is that of the record it is attached to."""
    # The record type decides the permission: find the attachment's type first, from plain
    # columns only, before any check (a refusal is then audited under that permission).
    with db.transaction() as session:
        subject = find_associate(session, employee_no)
        query = select(Attachment.id, Attachment.record_type).where(
            Attachment.associate_id == subject.associate_id
        )
        types = dict(session.execute(query).all())
        found = short_ids.find(types, ref, "attachment", "of the associate")
        if found is None:
            raise NotFound(f"associate {subject.employee_no} has no attachment {ref}")
    area = area_of(types[found])
    with checked_session(db, actor, area.view, "attachment.view", employee_no, ENTITY, found) as (
        subject,
        session,
    ):
        row = session.get_one(Attachment, found)
        cipher = cipher_for(session, actor, subject)
        names = usernames(session, [row.added_by])
        info = _info(row, cipher, subject.employee_no, names)
        content = cipher.decrypt_bytes(TABLE, "content_enc", str(row.id), row.content_enc)
        audit.append(
            session,
            "attachment.view",
            actor=actor,
            entity_type=ENTITY,
            entity_id=row.id,
            details={"record_type": row.record_type, "record_id": str(row.record_id)},
        )
        return AttachmentContent(info, content)
