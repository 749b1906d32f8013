"""Finding recommendations and candidates by what a person types, and checking the actor may
touch them.

Records are named by their id or by its first 8 or more hex digits (unambiguous among the
subject's records, else ValidationFailed, exit 3). A recommendation is found within its
subject: an associate's employee number, or `candidate:` and a candidate's id. Every check
of role and scope is made, and a refusal recorded in the audit trail, before anything is read
or written (`checked`); refusals that come later (own approval, a key not held) are recorded
the same way, since the caller's work runs inside `checked`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, short_ids, stale_edits
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import PermissionDenied, StaleEdit, ValidationFailed
from crmsup.records.recommendations.dto import CANDIDATE_PREFIX, Link
from crmsup.records.recommendations.models import Candidate, Recommendation
from crmsup.records.recommendations.rules import ACTIONS, LINK_TABLES, Step
from crmsup.records.reviews.models import Review
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.subject import find_associate
from crmsup.security.permissions import Action

ENTITY = "recommendation"
#: Audit actions that read and do not change; a stale edit names the last one that changed.
READS = ("recommendation.view", "recommendation.list", "candidate.view", "candidate.list")


def candidate_id(session: Session, ref: str | uuid.UUID) -> uuid.UUID:
    """The candidate `ref` names (NotFound for one erased)."""
    query = select(Candidate.id).where(Candidate.erased_at.is_(None))
    if isinstance(ref, uuid.UUID):
        query = query.where(Candidate.id == ref)
    return short_ids.match(session.scalars(query), ref, "candidate", "among the candidates")


def find_link(session: Session, employee_no: str, text: str) -> Link:
    """A supporting record as typed, `discipline:ID` or `review:ID` (ID: the record's id or
    its first 8 or more hex digits), among the associate's records."""
    kind, _, ref = text.partition(":")
    table = LINK_TABLES.get(kind.strip().lower())
    if table is None or not ref:
        raise ValidationFailed(
            f"a supporting record is written discipline:ID or review:ID, not {text!r}"
        )
    found = find_associate(session, employee_no)
    model = DisciplineRecord if table == DisciplineRecord.__tablename__ else Review
    ids = session.scalars(select(model.id).where(model.associate_id == found.associate_id))
    what = "discipline record" if model is DisciplineRecord else "review"
    return Link(table, short_ids.match(ids, ref, what, f"of associate {found.employee_no}"))


def split_subject(subject: str) -> tuple[str | None, str | None]:
    """(employee number, None) or (None, candidate reference) for a subject as typed."""
    text = subject.strip()
    if text.lower().startswith(CANDIDATE_PREFIX):
        return None, text[len(CANDIDATE_PREFIX) :]
    return text, None


@dataclass(frozen=True, slots=True)
class Target:
    """A recommendation found, with what its checks need."""

    id: uuid.UUID
    team_id: uuid.UUID
    associate_id: uuid.UUID | None
    candidate_id: uuid.UUID | None
    #: The subject as a message names it: an employee number or `candidate:…`.
    label: str

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


def locate(session: Session, subject: str, ref: str | uuid.UUID) -> Target:
    """The recommendation `ref` among those of `subject` (an employee number or
    `candidate:ID`). NotFound for an unknown or erased subject, or no such recommendation."""
    employee_no, candidate_ref = split_subject(subject)
    if employee_no is not None:
        found = find_associate(session, employee_no)
        where = Recommendation.associate_id == found.associate_id
        label = found.employee_no
    else:
        assert candidate_ref is not None  # noqa: S101 - split_subject gives one of the two
        cid = candidate_id(session, candidate_ref)
        where = Recommendation.candidate_id == cid
        label = f"{CANDIDATE_PREFIX}{cid.hex[:8]}"
    ids = session.scalars(select(Recommendation.id).where(where))
    rid = short_ids.match(ids, ref, "recommendation", f"for {label}")
    row = session.get_one(Recommendation, rid)
    return Target(row.id, row.team_id, row.associate_id, row.candidate_id, label)


def require_in_scope(
    session: Session, actor: Actor, action: Action, team_id: uuid.UUID, what: str
) -> None:
    """PermissionDenied unless the role may do `action` and `team_id` is in the actor's scope."""
    require(actor, action)
    if team_id not in actor_team_ids(session, actor):
        raise PermissionDenied(f"{what} is outside your scope")


@contextmanager
def checked(
    db: Database, actor: Actor, action: Action, audit_action: str, target: Target
) -> Iterator[Target]:
    """Check `action` on the recommendation; a refusal, here or in the caller's block, is
    recorded as `audit_action` on the recommendation."""
    with audit.denials_recorded(db, actor, audit_action, "recommendation", target.id):
        with db.transaction() as session:
            require_in_scope(
                session, actor, action, target.team_id, f"recommendation {target.short_id}"
            )
        yield target


@contextmanager
def locked(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    step: Step,
    expected_version: int | None,
) -> Iterator[tuple[Session, Recommendation, Target]]:
    """The recommendation for `step`: found, checked, locked and not changed since
    `expected_version`, in the transaction of the step. A change another workstation commits
    meanwhile is a stale edit too; refusals are recorded as "recommendation.<step>"."""
    with db.transaction() as session:
        target = locate(session, subject, ref)
    label = f"recommendation {target.short_id} of {target.label}"
    try:
        with (
            checked(db, actor, ACTIONS[step], f"{ENTITY}.{step.value}", target),
            db.transaction() as session,
        ):
            rec = session.get_one(Recommendation, target.id, with_for_update=True)
            if expected_version is not None and expected_version != rec.version:
                raise stale_edit(session, ENTITY, rec.id, label, rec.version, expected_version)
            yield session, rec, target
    except StaleDataError:
        with db.transaction() as session:
            current = session.get_one(Recommendation, target.id).version
            raise stale_edit(
                session, ENTITY, target.id, label, current, expected_version or 0
            ) from None


def stale_edit(
    session: Session, entity_type: str, entity_id: uuid.UUID, label: str, current: int, read: int
) -> StaleEdit:
    """The refusal of a stale edit, naming who changed the record since (the audit trail)."""
    return stale_edits.stale_edit(
        session, entity_type, entity_id, label, current, read, unchanged=READS
    )
