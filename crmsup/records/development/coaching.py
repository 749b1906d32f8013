"""Coaching sessions: when an associate was coached, on what, what was said and what was
agreed, optionally linked to a development plan or a discipline record of the same associate.

Kept by whoever keeps the associate's file (DEVELOPMENT_WRITE), read with DEVELOPMENT_VIEW.
The topic, notes and agreed actions are encrypted under the associate's data key; the date,
the coach and the links stay plain. Every change is audited in its transaction (field names
only), every read of content as "coaching_session.view", every refusal by `subject.checked`;
a change based on a stale version is refused, naming who changed the session since.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.content import changed_link, in_file, link, locked_change
from crmsup.records.development.dto import NewSession, SessionChanges, SessionDetail, SessionRow
from crmsup.records.development.models import CoachingSession, DevelopmentPlan
from crmsup.records.development.rules import check_not_future, clean_text
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.models import User
from crmsup.records.names import team_name, usernames
from crmsup.records.sealed_fields import open_required, open_text, seal
from crmsup.records.subject import Subject, checked_session, cipher_for
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

TABLE = CoachingSession.__tablename__
ENTITY = "coaching_session"
#: The narrative fields: DTO field → (encrypted column, how a message names it).
TEXTS = {
    "topic": ("topic_enc", "topic"),
    "notes": ("notes_enc", "notes"),
    "actions": ("actions_enc", "agreed actions"),
}


def _detail(
    session: Session, cipher: FieldCipher, subject: Subject, row: CoachingSession
) -> SessionDetail:
    session.flush()
    return SessionDetail(
        id=row.id,
        employee_no=subject.employee_no,
        team=team_name(session, subject.team_id),
        held_on=row.held_on,
        topic=open_required(cipher, TABLE, row.id, "topic_enc", row.topic_enc),
        notes=open_text(cipher, TABLE, row.id, "notes_enc", row.notes_enc),
        actions=open_text(cipher, TABLE, row.id, "actions_enc", row.actions_enc),
        plan_id=row.plan_id,
        discipline_id=row.discipline_id,
        coach=usernames(session, [row.coach_id])[row.coach_id],
        created_at=row.created_at,
        version=row.version,
    )


def list_sessions(db: Database, actor: Actor, employee_no: str) -> tuple[SessionRow, ...]:
    """The associate's coaching sessions, newest first: plain columns, nothing decrypted."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "coaching_session.list", employee_no, "associate"
    ) as (subject, session):
        query = (
            select(CoachingSession, User.username)
            .join(User, User.id == CoachingSession.coach_id)
            .where(CoachingSession.associate_id == subject.associate_id)
            .order_by(CoachingSession.held_on.desc(), CoachingSession.created_at.desc())
        )
        rows = tuple(
            SessionRow(
                s.id, subject.employee_no, s.held_on, coach, s.plan_id, s.discipline_id, s.version
            )
            for s, coach in session.execute(query)
        )
        audit.append(
            session,
            "coaching_session.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"sessions": len(rows)},
        )
        return rows


def get_session(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> SessionDetail:
    """One session, decrypted (audited as "coaching_session.view")."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_VIEW, "coaching_session.view", employee_no, "associate"
    ) as (subject, session):
        row = in_file(session, CoachingSession, subject, ref)
        detail = _detail(session, cipher_for(session, actor, subject), subject, row)
        audit.append(
            session, "coaching_session.view", actor=actor, entity_type=ENTITY, entity_id=row.id
        )
        return detail


def create_session(
    db: Database, actor: Actor, employee_no: str, new: NewSession, *, today: date
) -> SessionDetail:
    """A session held on `new.held_on` (not in the future), with the acting user as coach."""
    with checked_session(
        db, actor, Action.DEVELOPMENT_WRITE, "coaching_session.create", employee_no, "associate"
    ) as (subject, session):
        held_on = check_not_future(new.held_on, today, "session date")
        texts = {
            column: clean_text(getattr(new, field), label, required=field == "topic")
            for field, (column, label) in TEXTS.items()
        }
        plan_id = link(session, DevelopmentPlan, subject, new.plan)
        discipline_id = link(session, DisciplineRecord, subject, new.discipline)
        cipher = cipher_for(session, actor, subject)
        row = CoachingSession(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            held_on=held_on,
            plan_id=plan_id,
            discipline_id=discipline_id,
            coach_id=actor.user_id,
        )
        for column, sealed in seal(cipher, TABLE, row.id, texts).items():
            setattr(row, column, sealed)
        session.add(row)
        session.flush()
        audit.append(
            session,
            "coaching_session.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=row.id,
            details={
                "associate": str(subject.associate_id),
                "fields": sorted(f for f, (c, _) in TEXTS.items() if texts[c] is not None),
            },
        )
        return _detail(session, cipher, subject, row)


def update_session(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: SessionChanges,
    *,
    today: date,
    expected_version: int | None = None,
) -> SessionDetail:
    """Change a session's date, texts or links; nothing is written when nothing changes."""
    with locked_change(
        db, actor, employee_no, CoachingSession, ref, "coaching_session.update", expected_version
    ) as change:
        row, fields = change.row, []
        if changes.held_on is not None and changes.held_on != row.held_on:
            row.held_on = check_not_future(changes.held_on, today, "session date")
            fields.append("held_on")
        for field, (column, label) in TEXTS.items():
            value = getattr(changes, field)
            if value is None:
                continue
            text = clean_text(value, label, required=field == "topic")
            if text != open_text(change.cipher, TABLE, row.id, column, getattr(row, column)):
                setattr(row, column, seal(change.cipher, TABLE, row.id, {column: text})[column])
                fields.append(field)
        moved, plan_id = changed_link(
            change.session, DevelopmentPlan, change.subject, changes.plan, row.plan_id
        )
        if moved:
            row.plan_id = plan_id
            fields.append("plan_id")
        moved, discipline_id = changed_link(
            change.session, DisciplineRecord, change.subject, changes.discipline, row.discipline_id
        )
        if moved:
            row.discipline_id = discipline_id
            fields.append("discipline_id")
        if fields:
            change.record("coaching_session.update", fields)
        return _detail(change.session, change.cipher, change.subject, row)
