"""What is due about reviews: annual reviews coming up or overdue, reviews waiting for the
associate's acknowledgement, and (for HR) reviews waiting to be finalised.

Worked out from plain columns only (statuses, dates, ids, employee numbers, team names), so
no key is needed and nothing is decrypted: the inbox and the overdue list can show a whole
organisation quickly, and print without revealing anyone's file. `service` re-exports
both functions; the rules themselves are in `rules`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, AssociateStatus, Team, TeamSupervisor, User
from crmsup.records.reviews.dto import OverdueReview
from crmsup.records.reviews.models import Review, ReviewKind, ReviewState
from crmsup.records.reviews.rules import (
    ACKNOWLEDGE_WITHIN_DAYS,
    FINALISE_WITHIN_DAYS,
    annual_review_due,
    days_overdue,
    due_soon,
)
from crmsup.records.scope import actor_team_ids, require
from crmsup.security.permissions import Action, scope_of

#: Associates who are owed an annual review: active or on leave, and not erased.
_COUNTED = (AssociateStatus.ACTIVE, AssociateStatus.LEAVE)


def annual_due_dates(
    session: Session, team_ids: set[uuid.UUID]
) -> list[tuple[uuid.UUID, str, uuid.UUID, date]]:
    """(associate id, employee number, team id, due date) of every associate of `team_ids`
    who is owed an annual review, in employee-number order."""
    last = (
        select(Review.associate_id, func.max(Review.finalised_on).label("last"))
        .where(Review.kind == ReviewKind.ANNUAL, Review.state == ReviewState.FINALISED)
        .group_by(Review.associate_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Associate.id,
            Associate.employee_no,
            Associate.team_id,
            Associate.hire_date,
            Associate.created_at,
            last.c.last,
        )
        .outerjoin(last, last.c.associate_id == Associate.id)
        .where(
            Associate.team_id.in_(team_ids),
            Associate.erased_at.is_(None),
            Associate.status.in_(_COUNTED),
        )
        .order_by(Associate.employee_no)
    )
    return [
        (aid, number, team_id, annual_review_due(finalised, hired, added.date()))
        for aid, number, team_id, hired, added, finalised in rows
    ]


def _team_names(session: Session, team_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    query = select(Team.id, Team.name).where(Team.id.in_(team_ids))
    return dict(session.execute(query).all())


def _supervisors(session: Session, team_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    found: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
    query = (
        select(TeamSupervisor.team_id, User.username)
        .join(User, User.id == TeamSupervisor.user_id)
        .where(TeamSupervisor.team_id.in_(team_ids))
        .order_by(User.username)
    )
    for team_id, username in session.execute(query):
        found[team_id].append(username)
    return {team_id: tuple(names) for team_id, names in found.items()}


def overdue_reviews(db: Database, actor: Actor, today: date) -> tuple[OverdueReview, ...]:
    """Associates in the actor's scope whose annual review is overdue on `today`, per team
    (and so per supervisor), most overdue first. Audited as "review.overdue" (a count)."""
    with audit.denials_recorded(db, actor, "review.overdue", "team"):
        require(actor, Action.REVIEW_VIEW)
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        teams = _team_names(session, team_ids)
        supervisors = _supervisors(session, team_ids)
        rows = [
            OverdueReview(
                teams[team_id],
                supervisors.get(team_id, ()),
                number,
                due_on,
                days_overdue(due_on, today),
            )
            for _, number, team_id, due_on in annual_due_dates(session, team_ids)
            if due_on < today
        ]
        rows.sort(key=lambda r: (r.team, -r.days_overdue, r.employee_no))
        audit.append(
            session,
            "review.overdue",
            actor=actor,
            entity_type="team",
            entity_id=None if len(team_ids) != 1 else next(iter(team_ids)),
            details={"overdue": len(rows)},
        )
        return tuple(rows)


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """The actor's inbox items about reviews, by due date: "review.annual" (due within
    `DUE_SOON_DAYS` or overdue), "review.acknowledgement" (submitted, waiting for the
    associate) and, for HR, "review.finalise" (acknowledged, waiting for HR).

    A role that keeps no reviews (IT, auditors) simply has none: the inbox gathers every
    area's items for every user, and this is not a refused request. Not audited: it reads no
    record content, and the inbox refreshes it often.
    """
    if scope_of(actor.role, Action.REVIEW_VIEW) is None:
        return ()
    finalises = scope_of(actor.role, Action.REVIEW_FINALISE) is not None
    with db.transaction() as session:
        team_ids = actor_team_ids(session, actor)
        teams = _team_names(session, team_ids)
        items = [
            DueItem("review.annual", due_on, "associate", aid, number, teams[team_id])
            for aid, number, team_id, due_on in annual_due_dates(session, team_ids)
            if due_soon(due_on, today)
        ]
        waiting = [ReviewState.SUBMITTED, *([ReviewState.ACKNOWLEDGED] if finalises else [])]
        query = (
            select(
                Review.id,
                Review.state,
                Review.submitted_at,
                Review.acknowledged_on,
                Associate.employee_no,
                Associate.team_id,
            )
            .join(Associate, Associate.id == Review.associate_id)
            .where(
                Review.state.in_(waiting),
                Associate.team_id.in_(team_ids),
                Associate.erased_at.is_(None),
            )
        )
        for review_id, state, submitted_at, acknowledged_on, number, team_id in session.execute(
            query
        ):
            if state is ReviewState.SUBMITTED and submitted_at is not None:
                due_on = submitted_at.date() + timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
                kind = "review.acknowledgement"
            elif state is ReviewState.ACKNOWLEDGED and acknowledged_on is not None:
                due_on = acknowledged_on + timedelta(days=FINALISE_WITHIN_DAYS)
                kind = "review.finalise"
            else:
                continue
            items.append(DueItem(kind, due_on, "review", review_id, number, teams[team_id]))
    items.sort(key=lambda item: (item.due_on, item.kind, item.employee_no or ""))
    return tuple(items)
