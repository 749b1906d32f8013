"""Candidates: people interviewed for a team, whom a supervisor may recommend for hire.

A candidate is not an associate yet, so they have a data key of their own, wrapped by the
interviewing team's key (`candidate_keys`): their name and contact (JSON), the interview notes
and the result are encrypted under it, and a candidate who is not hired can be erased on their
own by destroying that key. Whoever keeps the team's files (RECOMMENDATION_WRITE) adds and
updates candidates; reading them needs RECOMMENDATION_VIEW and the team's key. Every read is
audited ("candidate.view", "candidate.list"), every change in its transaction
("candidate.create", "candidate.update", "candidate.erase"), every refusal as it happens.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database, clear_residue
from crmsup.records.errors import ValidationFailed
from crmsup.records.keyring import team_scope_key
from crmsup.records.models import Associate, Team
from crmsup.records.people.auth import reauthenticate
from crmsup.records.people.org import team_by_name
from crmsup.records.recommendations.candidate_content import (
    ENCRYPTED_COLUMNS,
    PERSON_FIELDS,
    clean_person,
    open_person,
    seal_person,
)
from crmsup.records.recommendations.candidate_keys import candidate_cipher, new_candidate_key, shred
from crmsup.records.recommendations.dto import (
    CANDIDATE_CLEARABLE,
    CandidateChanges,
    CandidateDetail,
    CandidateErasure,
    CandidateRow,
    NewCandidate,
)
from crmsup.records.recommendations.lookup import candidate_id, require_in_scope, stale_edit
from crmsup.records.recommendations.models import Candidate, CandidateKey
from crmsup.records.types import utcnow
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

ENTITY = "candidate"


def _hired_as(session: Session, candidate: Candidate) -> str | None:
    if candidate.hired_as is None:
        return None
    return session.get_one(Associate, candidate.hired_as).employee_no


def _detail(session: Session, cipher: FieldCipher, candidate: Candidate) -> CandidateDetail:
    person = open_person(cipher, candidate)
    return CandidateDetail(
        id=candidate.id,
        team=session.get_one(Team, candidate.team_id).name,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        interviewed_on=person.interviewed_on,
        interview_notes=person.interview_notes,
        result=person.result,
        hired_as=_hired_as(session, candidate),
        created_at=candidate.created_at,
        version=candidate.version,
    )


def find_candidate(db: Database, ref: str | uuid.UUID) -> uuid.UUID:
    """The id of the candidate `ref` names (exit 3 when none or several match); the action
    that follows checks the actor."""
    with db.transaction() as session:
        return candidate_id(session, ref)


@contextmanager
def checked_candidate(
    db: Database, actor: Actor, action: Action, audit_action: str, ref: str | uuid.UUID
) -> Iterator[uuid.UUID]:
    """Find the candidate `ref` names and check `action` on their team; a refusal, here or in
    the caller's block, is recorded as `audit_action` on the candidate."""
    with db.transaction() as session:
        cid = candidate_id(session, ref)
        team_id = session.get_one(Candidate, cid).team_id
    with audit.denials_recorded(db, actor, audit_action, ENTITY, cid):
        with db.transaction() as session:
            require_in_scope(session, actor, action, team_id, f"candidate {cid.hex[:8]}")
        yield cid


def add_candidate(
    db: Database, actor: Actor, new: NewCandidate, *, now: datetime | None = None
) -> CandidateDetail:
    """Add a candidate interviewed for `new.team`, under a new data key of their own."""
    person = clean_person({name: getattr(new, name) for name in PERSON_FIELDS})
    with db.transaction() as session:
        team = team_by_name(session, new.team)
    with (
        audit.denials_recorded(db, actor, "candidate.create", "team", team.id),
        db.transaction() as session,
    ):
        require_in_scope(session, actor, Action.RECOMMENDATION_WRITE, team.id, f"team {team.name}")
        candidate = Candidate(id=uuid.uuid4(), team_id=team.id, created_at=now or utcnow())
        cipher = new_candidate_key(
            session, actor, candidate.id, team_scope_key(session, team.id).id
        )
        seal_person(cipher, candidate, person)
        session.add(candidate)
        session.flush()
        audit.append(
            session,
            "candidate.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=candidate.id,
            details={"team": str(team.id), "fields": person.given()},
        )
        return _detail(session, cipher, candidate)


def list_candidates(db: Database, actor: Actor, team: str) -> tuple[CandidateRow, ...]:
    """The team's candidates who are not erased, names decrypted, by last and first name."""
    with db.transaction() as session:
        found = team_by_name(session, team)
    with (
        audit.denials_recorded(db, actor, "candidate.list", "team", found.id),
        db.transaction() as session,
    ):
        require_in_scope(session, actor, Action.RECOMMENDATION_VIEW, found.id, f"team {found.name}")
        rows: list[CandidateRow] = []
        query = select(Candidate).where(
            Candidate.team_id == found.id, Candidate.erased_at.is_(None)
        )
        for candidate in session.scalars(query):
            person = open_person(candidate_cipher(session, actor, candidate.id), candidate)
            rows.append(
                CandidateRow(
                    id=candidate.id,
                    team=found.name,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    interviewed_on=candidate.interviewed_on,
                    hired_as=_hired_as(session, candidate),
                    created_at=candidate.created_at,
                    version=candidate.version,
                )
            )
        rows.sort(key=lambda r: (r.last_name.casefold(), r.first_name.casefold(), r.id))
        audit.append(
            session,
            "candidate.list",
            actor=actor,
            entity_type="team",
            entity_id=found.id,
            details={"candidates": len(rows)},
        )
        return tuple(rows)


def get_candidate(db: Database, actor: Actor, ref: str | uuid.UUID) -> CandidateDetail:
    """One candidate, decrypted (audited as "candidate.view")."""
    with (
        checked_candidate(db, actor, Action.RECOMMENDATION_VIEW, "candidate.view", ref) as cid,
        db.transaction() as session,
    ):
        candidate = session.get_one(Candidate, cid)
        detail = _detail(session, candidate_cipher(session, actor, cid), candidate)
        audit.append(session, "candidate.view", actor=actor, entity_type=ENTITY, entity_id=cid)
        return detail


def update_candidate(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    changes: CandidateChanges,
    *,
    expected_version: int | None = None,
) -> CandidateDetail:
    """Change a candidate who is not hired yet. `expected_version` is the version the caller
    read: a stale one is refused, naming who changed the candidate since."""
    unknown = changes.clear - CANDIDATE_CLEARABLE
    if unknown:
        raise ValidationFailed(f"these fields cannot be emptied: {', '.join(sorted(unknown))}")
    try:
        with (
            checked_candidate(
                db, actor, Action.RECOMMENDATION_WRITE, "candidate.update", ref
            ) as cid,
            db.transaction() as session,
        ):
            candidate = session.get_one(Candidate, cid, with_for_update=True)
            label = f"candidate {cid.hex[:8]}"
            if expected_version is not None and expected_version != candidate.version:
                raise stale_edit(session, ENTITY, cid, label, candidate.version, expected_version)
            if candidate.hired_as is not None:
                raise ValidationFailed(
                    f"{label} was hired as associate {_hired_as(session, candidate)}: their "
                    "file is the associate's now"
                )
            cipher = candidate_cipher(session, actor, cid)
            old = open_person(cipher, candidate)
            values = {name: getattr(old, name) for name in PERSON_FIELDS}
            for name in values:
                given = getattr(changes, name)
                if name in changes.clear:
                    if given is not None:
                        raise ValidationFailed(f"{name} is both given and emptied")
                    values[name] = None
                elif given is not None:
                    values[name] = given
            new = clean_person(values)
            changed = [n for n in sorted(values) if getattr(old, n) != getattr(new, n)]
            if changed:
                seal_person(cipher, candidate, new)
                session.flush()
                audit.append(
                    session,
                    "candidate.update",
                    actor=actor,
                    entity_type=ENTITY,
                    entity_id=cid,
                    details={"fields": changed, "version": candidate.version},
                )
            return _detail(session, cipher, candidate)
    except StaleDataError:
        # Another workstation committed between our read and our write.
        with db.transaction() as session:
            cid = candidate_id(session, ref)
            current = session.get_one(Candidate, cid).version
            raise stale_edit(
                session, ENTITY, cid, f"candidate {cid.hex[:8]}", current, expected_version or 0
            ) from None


def erase_candidate(
    db: Database,
    actor: Actor,
    ref: str | uuid.UUID,
    password: str,
    *,
    now: datetime | None = None,
) -> CandidateErasure:
    """Erase a candidate who was not hired (HR; the password is asked again): their data key
    is destroyed, their encrypted fields emptied and their recommendations deleted, in one
    transaction; the row stays as a tombstone (team, dates). Irreversible by design.

    A hired candidate's file belongs to the associate they became, and goes with theirs."""
    with checked_candidate(db, actor, Action.ERASE, "candidate.erase", ref) as cid:
        with db.transaction() as session:
            _check_erasable(session, session.get_one(Candidate, cid))
        reauthenticate(db, actor, password, f"erase candidate {cid.hex[:8]}")
        with db.transaction() as session:
            candidate = session.get_one(Candidate, cid, with_for_update=True)
            _check_erasable(session, candidate)  # again, under the lock
            erased_at = now or utcnow()
            removed = shred(session, candidate, erased_at)
            audit.append(
                session,
                "candidate.erase",
                actor=actor,
                entity_type=ENTITY,
                entity_id=cid,
                details={
                    "fields": sorted(ENCRYPTED_COLUMNS),
                    "deleted": [f"recommendations:{removed}", "candidate_keys:1"],
                    "version": candidate.version,
                },
            )
            team = session.get_one(Team, candidate.team_id).name
    return CandidateErasure(
        cid, team, erased_at, removed, clear_residue(db, (CandidateKey.__tablename__,))
    )


def _check_erasable(session: Session, candidate: Candidate) -> None:
    if candidate.erased_at is not None:
        raise ValidationFailed(f"candidate {candidate.id.hex[:8]} is erased already")
    if candidate.hired_as is not None:
        raise ValidationFailed(
            f"candidate {candidate.id.hex[:8]} was hired as associate "
            f"{_hired_as(session, candidate)}: their file is erased with the associate's "
            "(crmsup-admin erase associate)"
        )
