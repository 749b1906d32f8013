"""Writing recommendations: opening a draft and changing it, its author's work until it is
submitted (`service` re-exports both, and takes it from there).

What the author writes — the proposed title, the rationale, the supporting links — is
encrypted under the subject's data key; the proposal is checked against its kind
(`rules.check_proposal`) and each link against the subject's file before
anything is written. The audit entry names the fields given or changed, never their values.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.people.org import team_by_name
from crmsup.records.recommendations.candidates import checked_candidate
from crmsup.records.recommendations.content import (
    check_links,
    cipher_of,
    detail_of,
    facts_of,
    open_links,
    open_rationale,
    open_title,
    seal_texts,
    subject_facts,
)
from crmsup.records.recommendations.dto import (
    CLEARABLE,
    NewRecommendation,
    RecommendationChanges,
    RecommendationDetail,
)
from crmsup.records.recommendations.lookup import ENTITY, locked
from crmsup.records.recommendations.models import Recommendation, RecommendationState
from crmsup.records.recommendations.rules import (
    Proposal,
    Step,
    Who,
    check_proposal,
    check_subject,
    clean_links,
    clean_rationale,
    clean_title,
    next_state,
)
from crmsup.records.subject import checked as checked_associate
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action


def who(actor: Actor) -> Who:
    return Who(actor.user_id, actor.role, actor.site_id)


@contextmanager
def _subject_checked(
    db: Database, actor: Actor, action: Action, audit_action: str, new: NewRecommendation
) -> Iterator[tuple[uuid.UUID | None, uuid.UUID | None]]:
    """(associate id, candidate id) of the new recommendation's subject, once checked."""
    if (new.employee_no is None) == (new.candidate_id is None):
        raise ValidationFailed("a recommendation is about one associate or one candidate")
    if new.employee_no is not None:
        with checked_associate(db, actor, action, audit_action, new.employee_no, "associate") as s:
            yield s.associate_id, None
    else:
        assert new.candidate_id is not None  # noqa: S101 - checked above
        with checked_candidate(db, actor, action, audit_action, new.candidate_id) as cid:
            yield None, cid


def _proposed_team(session: Session, name: str | None) -> uuid.UUID | None:
    return None if name is None else team_by_name(session, name.strip()).id


def create_recommendation(
    db: Database, actor: Actor, new: NewRecommendation, *, now: datetime | None = None
) -> RecommendationDetail:
    """Open a draft, written by `actor`, about an associate or (a hire) a candidate."""
    rationale, title = clean_rationale(new.rationale), clean_title(new.proposed_title)
    links = clean_links(new.links, candidate=new.candidate_id is not None)
    with (
        _subject_checked(db, actor, Action.RECOMMENDATION_WRITE, "recommendation.create", new) as (
            associate_id,
            cid,
        ),
        db.transaction() as session,
    ):
        facts = subject_facts(session, associate_id, cid)
        check_subject(new.kind, candidate=facts.candidate, status=facts.status)
        if facts.hired:
            raise ValidationFailed("this candidate was hired already")
        proposal = Proposal(
            new.kind, title, _proposed_team(session, new.proposed_team), new.proposed_date
        )
        check_proposal(proposal, current_team_id=facts.team_id, hire_date=facts.hire_date)
        check_links(session, links, associate_id)
        rec = Recommendation(
            id=uuid.uuid4(),
            kind=new.kind,
            associate_id=associate_id,
            candidate_id=cid,
            team_id=facts.team_id,
            state=RecommendationState.DRAFT,
            proposed_team_id=proposal.team_id,
            proposed_date=proposal.effective,
            created_by=actor.user_id,
            created_at=now or utcnow(),
        )
        cipher = cipher_of(session, actor, rec)
        seal_texts(cipher, rec, title, rationale, links)
        session.add(rec)
        session.flush()
        given = {
            "proposed_title": title,
            "proposed_team": proposal.team_id,
            "proposed_date": proposal.effective,
            "links": links or None,
        }
        audit.append(
            session,
            "recommendation.create",
            actor=actor,
            entity_type=ENTITY,
            entity_id=rec.id,
            details={"fields": ["rationale", *sorted(k for k, v in given.items() if v)]},
        )
        return detail_of(session, cipher, rec)


def record_step(
    session: Session, actor: Actor, rec: Recommendation, step: Step, fields: list[str]
) -> None:
    """Write the step's changes (one new version) and audit them by the fields' names."""
    session.flush()
    audit.append(
        session,
        f"{ENTITY}.{step.value}",
        actor=actor,
        entity_type=ENTITY,
        entity_id=rec.id,
        details={"fields": sorted(fields), "version": rec.version},
    )


def update_recommendation(
    db: Database,
    actor: Actor,
    subject: str,
    ref: str | uuid.UUID,
    changes: RecommendationChanges,
    *,
    expected_version: int | None = None,
) -> RecommendationDetail:
    """Change a draft (its author only). Nothing given, nothing written."""
    unknown = changes.clear - CLEARABLE
    if unknown:
        raise ValidationFailed(f"these fields cannot be emptied: {', '.join(sorted(unknown))}")
    both = {n for n in changes.clear if getattr(changes, n) is not None}
    if both:
        raise ValidationFailed(f"{', '.join(sorted(both))}: both given and emptied")
    with locked(db, actor, subject, ref, Step.UPDATE, expected_version) as (session, rec, _):
        next_state(Step.UPDATE, facts_of(session, rec), who(actor))
        facts = subject_facts(session, rec.associate_id, rec.candidate_id)
        cipher = cipher_of(session, actor, rec)
        old_title, old_links = open_title(cipher, rec), open_links(cipher, rec)
        old_rationale = open_rationale(cipher, rec)
        title = None if "proposed_title" in changes.clear else old_title
        if changes.proposed_title is not None:
            title = clean_title(changes.proposed_title)
        team_id = None if "proposed_team" in changes.clear else rec.proposed_team_id
        if changes.proposed_team is not None:
            team_id = _proposed_team(session, changes.proposed_team)
        effective = None if "proposed_date" in changes.clear else rec.proposed_date
        effective = changes.proposed_date or effective
        links = () if "links" in changes.clear else old_links
        if changes.links is not None:
            links = clean_links(changes.links, candidate=facts.candidate)
        rationale = (
            old_rationale if changes.rationale is None else clean_rationale(changes.rationale)
        )
        check_proposal(
            Proposal(rec.kind, title, team_id, effective),
            current_team_id=facts.team_id,
            hire_date=facts.hire_date,
        )
        check_links(session, links, rec.associate_id)
        new_values = {
            "proposed_title": (old_title, title),
            "proposed_team": (rec.proposed_team_id, team_id),
            "proposed_date": (rec.proposed_date, effective),
            "links": (old_links, links),
            "rationale": (old_rationale, rationale),
        }
        changed = [name for name, (old, new) in new_values.items() if old != new]
        if changed:
            seal_texts(cipher, rec, title, rationale, links)
            rec.proposed_team_id, rec.proposed_date = team_id, effective
            record_step(session, actor, rec, Step.UPDATE, changed)
        return detail_of(session, cipher, rec)
