"""Recommendations to hire, promote, advance, transfer or terminate, and their approvals.

Whoever keeps the subject's file (RECOMMENDATION_WRITE) drafts a recommendation and submits
it; the site manager of the team's site approves or rejects it with a comment, then HR does;
nobody decides on their own (`rules`). HR's approval applies the change to the
associate in the same transaction (`apply`); a hire is applied when HR gives
the candidate an employee number (`hire_candidate`).

A recommendation is named by its subject (an employee number, or `candidate:ID` for a hire)
and its id or the first 8 or more hex digits of it. Narrative fields are encrypted under the
subject's data key; kind, state, dates and ids stay plain, so lists and the inbox decrypt
nothing. Every change is audited in its transaction ("recommendation.<step>" with the names of
the fields it changed), every read of content as "recommendation.view", every refusal as it
happens. Each change takes the version the caller read: a stale one is refused, naming who
changed the recommendation since, and nothing is written.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied
from crmsup.records.people.org import team_by_name
from crmsup.records.recommendations import lookup
from crmsup.records.recommendations.apply import applies_on_approval, apply_approved, hire_candidate
from crmsup.records.recommendations.content import (
    TABLE,
    cipher_of,
    detail_of,
    facts_of,
    file_details,
    rows_of,
    subject_facts,
)
from crmsup.records.recommendations.drafts import (
    create_recommendation,
    record_step,
    update_recommendation,
    who,
)
from crmsup.records.recommendations.dto import Link, RecommendationDetail, RecommendationRow
from crmsup.records.recommendations.due import due_items
from crmsup.records.recommendations.lookup import (
    ENTITY,
    candidate_id,
    checked,
    locate,
    locked,
    split_subject,
)
from crmsup.records.recommendations.models import Recommendation
from crmsup.records.recommendations.rules import Step, check_subject, clean_comment, next_state
from crmsup.records.scope import actor_team_ids, require
from crmsup.records.subject import find_associate
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action, Role

__all__ = [
    "create_recommendation",
    "decide",
    "due_items",
    "file_details",
    "find_link",
    "find_recommendation",
    "follow_transfer",
    "get_recommendation",
    "hire_candidate",
    "hr_decide",
    "list_recommendations",
    "manager_decide",
    "split_subject",
    "submit",
    "update_recommendation",
    "withdraw",
]


def find_recommendation(db: Database, subject: str, ref: str | uuid.UUID) -> uuid.UUID:
    """The id of the recommendation `ref` among those of `subject` (exit 3 when none or
    several match). Checks nothing else: the action that follows checks the actor."""
    with db.transaction() as session:
        return locate(session, subject, ref).id


def find_link(db: Database, employee_no: str, text: str) -> Link:
    """A supporting record as typed (`discipline:ID`, `review:ID`) in the associate's file."""
    with db.transaction() as session:
        return lookup.find_link(session, employee_no, text)


def follow_transfer(session: Session, associate_id: uuid.UUID, target_team_id: uuid.UUID) -> None:
    """Move the team the associate's recommendations are scoped by to `target_team_id`, in
    `session`: the reaction to a transfer (`crmsup.records.reactions.ON_TRANSFER`)."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.associate_id == associate_id)
        .values(team_id=target_team_id)
        .execution_options(synchronize_session="fetch")
    )


def _transition(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    step: Step,
    *,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """Take `step` in one transaction: the rules, the stamps of who and when, the comment
    sealed, the audit entry, and (HR's approval) the change applied to the associate."""
    comment = clean_comment(comment, required=step in (Step.MANAGER_REJECT, Step.HR_REJECT))
    with locked(db, actor, subject, ref, step, expected_version) as (session, rec, _):
        # Every read first: a query would flush a half-made change (and count a version).
        state = next_state(step, facts_of(session, rec), who(actor))
        if step is Step.SUBMIT:
            facts = subject_facts(session, rec.associate_id, rec.candidate_id)
            check_subject(rec.kind, candidate=facts.candidate, status=facts.status)
        decider = {
            Step.MANAGER_APPROVE: "manager",
            Step.MANAGER_REJECT: "manager",
            Step.HR_APPROVE: "hr",
            Step.HR_REJECT: "hr",
        }.get(step)
        sealed = None
        if decider is not None and comment is not None:
            cipher = cipher_of(session, actor, rec)
            sealed = cipher.encrypt(TABLE, f"{decider}_comment_enc", str(rec.id), comment)
        at = now or utcnow()
        rec.state = state
        fields = ["state"]
        if step is Step.SUBMIT:
            rec.submitted_by, rec.submitted_at = actor.user_id, at
            fields += ["submitted_by", "submitted_at"]
        if decider is not None:
            setattr(rec, f"{decider}_by", actor.user_id)
            setattr(rec, f"{decider}_at", at)
            fields += [f"{decider}_by", f"{decider}_at"]
        if sealed is not None:
            setattr(rec, f"{decider}_comment_enc", sealed)
            fields.append(f"{decider}_comment")
        applies = step is Step.HR_APPROVE and applies_on_approval(rec)
        if applies:
            rec.applied_at = at
            fields.append("applied_at")
        record_step(session, actor, rec, step, fields)
        if applies:
            apply_approved(session, actor, rec)
        (row,) = rows_of(session, [rec])
        return row


def submit(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """Send a draft (its author's) to the site manager of the team's site."""
    return _transition(
        db, actor, subject, ref, Step.SUBMIT, expected_version=expected_version, now=now
    )


def manager_decide(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    *,
    approve: bool,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """The site manager's decision on a submitted recommendation (a rejection says why)."""
    step = Step.MANAGER_APPROVE if approve else Step.MANAGER_REJECT
    return _transition(
        db, actor, subject, ref, step, comment=comment, expected_version=expected_version, now=now
    )


def hr_decide(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    *,
    approve: bool,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """HR's final decision on a recommendation the site manager approved; an approval applies
    the change to the associate in the same transaction (`apply`)."""
    step = Step.HR_APPROVE if approve else Step.HR_REJECT
    return _transition(
        db, actor, subject, ref, step, comment=comment, expected_version=expected_version, now=now
    )


def decide(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    *,
    approve: bool,
    comment: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """The decision the actor's role makes: HR's (`hr_decide`) for HR, the site manager's
    (`manager_decide`, refused unless the actor is the site's manager) for anyone else."""
    decision = hr_decide if actor.role is Role.HR else manager_decide
    return decision(
        db,
        actor,
        subject,
        ref,
        approve=approve,
        comment=comment,
        expected_version=expected_version,
        now=now,
    )


def withdraw(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RecommendationRow:
    """Withdraw one's own recommendation: a draft, or a submitted one before HR decides."""
    return _transition(
        db, actor, subject, ref, Step.WITHDRAW, expected_version=expected_version, now=now
    )


def get_recommendation(
    db: Database, actor: Actor, subject: str, ref: str | uuid.UUID
) -> RecommendationDetail:
    """One recommendation, decrypted (audited as "recommendation.view")."""
    with db.transaction() as session:
        target = locate(session, subject, ref)
    with (
        checked(db, actor, Action.RECOMMENDATION_VIEW, f"{ENTITY}.view", target),
        db.transaction() as session,
    ):
        rec = session.get_one(Recommendation, target.id)
        detail = detail_of(session, cipher_of(session, actor, rec), rec)
        audit.append(session, f"{ENTITY}.view", actor=actor, entity_type=ENTITY, entity_id=rec.id)
        return detail


def list_recommendations(
    db: Database, actor: Actor, subject: str | None = None, *, team: str | None = None
) -> tuple[RecommendationRow, ...]:
    """The recommendations of one subject, of one team, or of every team in the actor's
    scope, newest first: plain columns, nothing decrypted (audited as "recommendation.list")."""
    entity: tuple[str | None, uuid.UUID | None] = (None, None)
    where = []
    #: The team whose records were asked for: it must lie in the actor's scope.
    asked: tuple[str, uuid.UUID] | None = None
    with db.transaction() as session:
        if subject is not None:
            employee_no, candidate_ref = split_subject(subject)
            if employee_no is not None:
                found = find_associate(session, employee_no)
                entity = ("associate", found.associate_id)
                asked = (f"associate {found.employee_no}", found.team_id)
                where.append(Recommendation.associate_id == found.associate_id)
            else:
                cid = candidate_id(session, candidate_ref or "")
                entity = ("candidate", cid)
                asked = (f"candidate {cid.hex[:8]}", subject_facts(session, None, cid).team_id)
                where.append(Recommendation.candidate_id == cid)
        if team is not None:
            found_team = team_by_name(session, team)
            entity = entity if subject is not None else ("team", found_team.id)
            asked = asked or (f"team {found_team.name}", found_team.id)
            where.append(Recommendation.team_id == found_team.id)
    with (
        audit.denials_recorded(db, actor, f"{ENTITY}.list", *entity),
        db.transaction() as session,
    ):
        require(actor, Action.RECOMMENDATION_VIEW)
        teams = actor_team_ids(session, actor)
        if asked is not None and asked[1] not in teams:
            raise PermissionDenied(f"{asked[0]} is outside your scope")
        query = (
            select(Recommendation)
            .where(*where, Recommendation.team_id.in_(teams))
            .order_by(Recommendation.created_at.desc(), Recommendation.id)
        )
        recs = list(session.scalars(query))
        rows = tuple(rows_of(session, recs))
        audit.append(
            session,
            f"{ENTITY}.list",
            actor=actor,
            entity_type=entity[0],
            entity_id=entity[1],
            details={"recommendations": len(rows)},
        )
        return rows
