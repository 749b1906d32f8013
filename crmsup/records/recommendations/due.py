"""What is due about recommendations, for the inbox: decisions waiting for this actor, and
this actor's own drafts left too long.

Worked out from plain columns only (states, dates, ids, employee numbers, team names): no key
is needed and nothing is decrypted. A recommendation waits for the site manager of its team's
site once submitted, for HR once the site manager approved it, and is due the day after it
began to wait; nobody is asked to decide on their own recommendation. A draft older than
`DRAFT_REMINDER_DAYS` reminds its author.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.due import DueItem
from crmsup.records.models import Associate, Team
from crmsup.records.recommendations.lookup import ENTITY
from crmsup.records.recommendations.models import Recommendation, RecommendationState
from crmsup.records.recommendations.rules import (
    Facts,
    Who,
    awaits,
    decision_due_on,
    draft_due_on,
    stale_draft,
)
from crmsup.records.scope import actor_team_ids
from crmsup.security.permissions import Action, scope_of

APPROVAL = "recommendation.approval"
DRAFT = "recommendation.draft"
_OPEN = (
    RecommendationState.DRAFT,
    RecommendationState.SUBMITTED,
    RecommendationState.MANAGER_APPROVED,
)


def due_items(db: Database, actor: Actor, today: date) -> tuple[DueItem, ...]:
    """What the actor has to do about recommendations, by due date. A role that may not see
    recommendations has nothing to do about them (an empty tuple, not a refusal)."""
    if scope_of(actor.role, Action.RECOMMENDATION_VIEW) is None:
        return ()
    who = Who(actor.user_id, actor.role, actor.site_id)
    items: list[DueItem] = []
    with db.transaction() as session:
        teams = actor_team_ids(session, actor)
        query = (
            select(
                Recommendation.id,
                Recommendation.state,
                Recommendation.created_by,
                Recommendation.submitted_by,
                Recommendation.manager_by,
                Recommendation.created_at,
                Recommendation.submitted_at,
                Recommendation.manager_at,
                Associate.employee_no,
                Team.name,
                Team.site_id,
            )
            .join(Team, Team.id == Recommendation.team_id)
            .outerjoin(Associate, Associate.id == Recommendation.associate_id)
            .where(Recommendation.team_id.in_(teams), Recommendation.state.in_(_OPEN))
        )
        for (
            rid,
            state,
            author,
            submitter,
            manager,
            created,
            sent,
            passed,
            number,
            team,
            site,
        ) in session.execute(query):
            if state is RecommendationState.DRAFT:
                if author == actor.user_id and stale_draft(created.date(), today):
                    items.append(
                        DueItem(DRAFT, draft_due_on(created.date()), ENTITY, rid, number, team)
                    )
                continue
            if not awaits(Facts(state, site, author, submitter, manager), who):
                continue
            since = sent if state is RecommendationState.SUBMITTED else passed
            if since is None:
                continue  # a state reached without its stamp: nothing to date it by
            items.append(
                DueItem(APPROVAL, decision_due_on(since.date()), ENTITY, rid, number, team)
            )
    items.sort(key=lambda i: (i.due_on, i.kind, i.employee_no or "", i.record_id))
    return tuple(items)
