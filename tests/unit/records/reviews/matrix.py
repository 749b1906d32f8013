"""Permission matrix walk: the executors for performance reviews and their templates.

Each executor sets up what the action needs (with `org.hr`, who may do everything on the
file) and then performs the action as the actor under test. The builders here also serve the
review tests (tests/unit/records/test_review_*.py, tests/unit/cli/test_review_cli.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crmsup.records.actor import Actor
from crmsup.records.reviews import service as review_service
from crmsup.records.reviews import templates as review_template_service
from crmsup.records.reviews.dto import (
    CompetencySpec,
    NewReview,
    Rating,
    ReviewChanges,
    ReviewDetail,
    TemplateDetail,
    TemplateSpec,
)
from crmsup.records.reviews.models import ReviewKind
from crmsup.security.permissions import Action
from tests.factories import Org, add_associate
from tests.helpers.matrix import Executor

SCALE = (
    "Well below expectations",
    "Below expectations",
    "Meets expectations",
    "Exceeds expectations",
    "Far exceeds expectations",
)
#: Quality counts three times, teamwork twice, punctuality once.
COMPETENCIES = (
    CompetencySpec("Call quality", 3, "Accurate, courteous, first-call resolution"),
    CompetencySpec("Teamwork", 2, "Helps colleagues, shares knowledge"),
    CompetencySpec("Punctuality", 1),
)


def spec(name: str = "Agent annual") -> TemplateSpec:
    return TemplateSpec(name, SCALE, COMPETENCIES)


def new_template(org: Org, name: str = "Agent annual") -> TemplateDetail:
    return review_template_service.create_template(org.db, org.hr, spec(name))


def draft(
    org: Org,
    actor: Actor | None = None,
    employee_no: str = "E100",
    template: TemplateDetail | None = None,
    kind: ReviewKind = ReviewKind.ANNUAL,
) -> ReviewDetail:
    """A draft for `employee_no` (added to Team A if needed) written by `actor` (HR)."""
    template = template or new_template(org)
    new = NewReview(template.id, kind, date(2024, 1, 1), date(2024, 12, 31))
    return review_service.create_review(org.db, actor or org.hr, employee_no, new)


def rate_all(
    org: Org, review: ReviewDetail, ratings: tuple[int, ...] = (4, 3, 5), actor: Actor | None = None
) -> ReviewDetail:
    given = {line.competency_id: Rating(r) for line, r in zip(review.lines, ratings, strict=True)}
    return review_service.update_review(
        org.db, actor or org.hr, review.employee_no, review.id, ReviewChanges(ratings=given)
    )


def acknowledged(org: Org) -> ReviewDetail:
    """E100 (added here) with an annual review rated, submitted and acknowledged."""
    add_associate(org)
    review = rate_all(org, draft(org))
    review_service.submit_review(org.db, org.hr, "E100", review.id)
    return review_service.acknowledge_review(
        org.db, org.hr, "E100", review.id, acknowledged_on=date.today(), today=date.today()
    )


def _view(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    review = draft(org)
    return review_service.get_review(org.db, actor, "E100", review.short_id)


def _write(org: Org, actor: Actor, _: Path) -> object:
    add_associate(org)
    template = new_template(org)
    new = NewReview(template.id, ReviewKind.AD_HOC, date(2024, 5, 1), date(2024, 5, 31))
    return review_service.create_review(org.db, actor, "E100", new)


def _finalise(org: Org, actor: Actor, _: Path) -> object:
    review = acknowledged(org)
    return review_service.finalise_review(org.db, actor, "E100", review.id, today=date.today())


EXECUTORS: dict[Action, Executor] = {
    Action.REVIEW_VIEW: _view,
    Action.REVIEW_WRITE: _write,
    Action.REVIEW_FINALISE: _finalise,
    Action.REVIEW_TEMPLATES: lambda org, a, _: review_template_service.create_template(
        org.db, a, spec()
    ),
}
