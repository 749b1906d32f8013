"""Applying an approved recommendation to the associate, in the transaction of HR's approval.

- promotion, advancement: the proposed job title, when there is one, becomes the associate's;
- transfer (or a promotion that proposes a team): the associate moves to the proposed team,
  their data key re-wrapped (`people.transfer`; the approver must hold both teams' keys,
  as HR does);
- termination: status terminated on the proposed date (on or after the hire date,
  `people.status.check_status`), then the termination hook (`reactions`);
- hire: nothing yet — a candidate becomes an associate only with an employee number, which
  HR gives with `hire_candidate`, in a transaction of its own.

Whatever cannot be applied (the associate terminated meanwhile, a key not held) refuses the
approval itself: the transaction rolls back and nothing changes. `applied_at` says when the
change was made; every change to the associate is audited on the associate as well.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crmsup.records import audit, reactions, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, ValidationFailed
from crmsup.records.keyring import data_cipher, new_data_key, team_scope_key
from crmsup.records.models import Associate, AssociateStatus, Team
from crmsup.records.people.associates import ENCRYPTED
from crmsup.records.people.associates import TABLE as ASSOCIATES
from crmsup.records.people.status import ACTION as STATUS_ACTION
from crmsup.records.people.status import check_status
from crmsup.records.people.transfer import move_associate
from crmsup.records.recommendations.candidate_content import open_person
from crmsup.records.recommendations.candidate_keys import candidate_cipher
from crmsup.records.recommendations.content import open_title
from crmsup.records.recommendations.dto import Hire
from crmsup.records.recommendations.lookup import ENTITY, Target, checked
from crmsup.records.recommendations.models import (
    Candidate,
    Recommendation,
    RecommendationKind,
    RecommendationState,
)
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action

K = RecommendationKind


def applies_on_approval(rec: Recommendation) -> bool:
    """Whether HR's approval changes the associate at once (a hire waits for `hire_candidate`)."""
    return rec.kind is not K.HIRE and rec.associate_id is not None


def apply_approved(session: Session, actor: Actor, rec: Recommendation) -> None:
    """Make the approved change to the associate in `session` (see the module's list); the
    caller has stamped `rec.applied_at` and recorded the approval."""
    if not applies_on_approval(rec):
        return
    associate = session.get_one(Associate, rec.associate_id, with_for_update=True)
    if associate.erased_at is not None or associate.status is AssociateStatus.TERMINATED:
        raise ValidationFailed(
            f"associate {associate.employee_no} is terminated: the recommendation can no "
            "longer be applied; reject it instead"
        )
    changed: list[str] = []
    promoted = rec.kind in (K.PROMOTION, K.ADVANCEMENT)
    title = open_title(data_cipher(session, actor, associate.id), rec) if promoted else None
    if title is not None and title != associate.job_title:
        associate.job_title = title
        session.flush()
        _on_associate(session, actor, associate, "associate.update", ["job_title"], rec.id)
        changed.append("job_title")
    if rec.proposed_team_id is not None:
        move_associate(session, actor, associate.id, rec.proposed_team_id, recommendation_id=rec.id)
        changed.append("team_id")
    if rec.kind is K.TERMINATION:
        ended = rec.proposed_date
        check_status(AssociateStatus.TERMINATED, ended, associate.hire_date)
        assert ended is not None  # noqa: S101 - check_status refuses a termination without
        associate.status, associate.termination_date = AssociateStatus.TERMINATED, ended
        session.flush()
        fields = ["status", "termination_date"]
        _on_associate(session, actor, associate, STATUS_ACTION, fields, rec.id)
        changed += fields
        reactions.after_termination(session, actor, associate.id, ended, recommendation_id=rec.id)
    audit.append(
        session,
        f"{ENTITY}.apply",
        actor=actor,
        entity_type=ENTITY,
        entity_id=rec.id,
        details={"associate": str(associate.id), "fields": changed, "version": rec.version},
    )


def _on_associate(
    session: Session,
    actor: Actor,
    associate: Associate,
    action: str,
    fields: list[str],
    rec_id: uuid.UUID,
) -> None:
    audit.append(
        session,
        action,
        actor=actor,
        entity_type="associate",
        entity_id=associate.id,
        details={"fields": fields, "recommendation": str(rec_id), "version": associate.version},
    )


def hire_candidate(
    db: Database,
    actor: Actor,
    recommendation_id: uuid.UUID,
    employee_no: str,
    hire_date: date,
    *,
    now: datetime | None = None,
) -> Hire:
    """Turn the candidate of an approved hire recommendation into an associate of the
    interviewing team (HR): their name and contact are re-encrypted under a new associate
    data key, the proposed title becomes the job title, `candidate.hired_as` and the
    recommendation's `applied_at` are set — all audited, in one transaction."""
    number = validation.employee_no(employee_no)
    with db.transaction() as session:
        rec = session.get(Recommendation, recommendation_id)
        if rec is None:
            raise NotFound(f"there is no recommendation {recommendation_id.hex[:8]}")
        target = Target(rec.id, rec.team_id, rec.associate_id, rec.candidate_id, "a candidate")
    try:
        with (
            checked(db, actor, Action.RECOMMENDATION_HR_DECIDE, "candidate.hire", target),
            db.transaction() as session,
        ):
            return _hire(session, actor, target.id, number, hire_date, now or utcnow())
    except IntegrityError:
        raise ValidationFailed(f"employee number {number} is already in use") from None


def _hire(
    session: Session,
    actor: Actor,
    rec_id: uuid.UUID,
    number: str,
    hire_date: date,
    at: datetime,
) -> Hire:
    rec = session.get_one(Recommendation, rec_id, with_for_update=True)
    if rec.kind is not K.HIRE or rec.candidate_id is None:
        raise ValidationFailed(f"recommendation {rec.id.hex[:8]} is not a hire")
    if rec.state is not RecommendationState.APPROVED:
        raise ValidationFailed(
            f"recommendation {rec.id.hex[:8]} is {rec.state.value}: only an approved hire "
            "makes the candidate an associate"
        )
    candidate = session.get_one(Candidate, rec.candidate_id, with_for_update=True)
    if rec.applied_at is not None or candidate.hired_as is not None:
        raise ValidationFailed(f"candidate {candidate.id.hex[:8]} was hired already")
    if candidate.erased_at is not None:
        raise ValidationFailed(f"candidate {candidate.id.hex[:8]} was erased")
    if session.scalar(select(Associate.id).where(Associate.employee_no == number)) is not None:
        raise ValidationFailed(f"employee number {number} is already in use")
    candidate_key = candidate_cipher(session, actor, candidate.id)
    person, title = open_person(candidate_key, candidate), open_title(candidate_key, rec)
    team = session.get_one(Team, candidate.team_id)
    associate_id = uuid.uuid4()
    cipher = new_data_key(session, actor, associate_id, team_scope_key(session, team.id).id)
    texts = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
    }
    sealed = {
        ENCRYPTED[name]: cipher.encrypt(ASSOCIATES, ENCRYPTED[name], str(associate_id), text)
        for name, text in texts.items()
        if text is not None
    }
    session.add(
        Associate(
            id=associate_id,
            employee_no=number,
            team_id=team.id,
            job_title=title,
            hire_date=hire_date,
            **sealed,
        )
    )
    session.flush()  # the associate exists before anything refers to it
    candidate.hired_as = associate_id
    rec.applied_at = at
    session.flush()
    given = sorted([*(n for n, t in texts.items() if t is not None), "hire_date"])
    if title is not None:
        given = sorted([*given, "job_title"])
    audit.append(
        session,
        "associate.create",
        actor=actor,
        entity_type="associate",
        entity_id=associate_id,
        details={"team": str(team.id), "fields": given, "candidate": str(candidate.id)},
    )
    audit.append(
        session,
        "candidate.hire",
        actor=actor,
        entity_type="candidate",
        entity_id=candidate.id,
        details={
            "associate": str(associate_id),
            "recommendation": str(rec.id),
            "fields": ["hired_as"],
        },
    )
    audit.append(
        session,
        f"{ENTITY}.apply",
        actor=actor,
        entity_type=ENTITY,
        entity_id=rec.id,
        details={"associate": str(associate_id), "fields": ["applied_at"], "version": rec.version},
    )
    return Hire(number, team.name, hire_date, candidate.id, rec.id, associate_id)
