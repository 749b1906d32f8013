"""Permission matrix walk: the executors for recommendations, their approvals and candidates.

Each executor sets up what the action needs (with `org.hr`, who may do everything on the
file, and the users whose decisions come before the one tested) and then performs the action
as the actor under test, on Team A's associate E100 (in every allowed role's scope).
"""

from __future__ import annotations

from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.recommendations import service
from crmsup.records.recommendations.dto import NewRecommendation, RecommendationDetail
from crmsup.records.recommendations.models import RecommendationKind
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor


def _draft(org: Org, author: Actor) -> RecommendationDetail:
    add_associate(org)
    new = NewRecommendation(
        RecommendationKind.ADVANCEMENT, "a year of steady work", employee_no="E100"
    )
    return service.create_recommendation(org.db, author, new)


def _view(org: Org, actor: Actor, _: Path) -> object:
    draft = _draft(org, org.hr)
    return service.get_recommendation(org.db, actor, "E100", draft.id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    return _draft(org, actor)


def _manager_decide(org: Org, actor: Actor, _: Path) -> object:
    # Written and submitted by HR, so that the site manager decides on someone else's.
    draft = _draft(org, org.hr)
    service.submit(org.db, org.hr, "E100", draft.id)
    return service.manager_decide(org.db, actor, "E100", draft.id, approve=True)


def _hr_decide(org: Org, actor: Actor, _: Path) -> object:
    # Written by the supervisor, passed by the site manager: HR decides on neither's own.
    draft = _draft(org, org.sup_a)
    service.submit(org.db, org.sup_a, "E100", draft.id)
    service.manager_decide(org.db, org.manager, "E100", draft.id, approve=True)
    return service.hr_decide(org.db, actor, "E100", draft.id, approve=True)


EXECUTORS: dict[Action, Executor] = {
    Action.RECOMMENDATION_VIEW: _view,
    Action.RECOMMENDATION_WRITE: _write,
    Action.RECOMMENDATION_MANAGER_DECIDE: _manager_decide,
    Action.RECOMMENDATION_HR_DECIDE: _hr_decide,
}
