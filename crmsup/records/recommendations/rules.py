"""The rules of recommendations, as pure functions: no database, no clock, no keys.

The approval chain is draft → submitted → manager_approved → approved, with rejected and
withdrawn on the side. A draft is its author's: only they edit it, submit it or withdraw it.
The site manager of the team's site decides first, HR last, and nobody decides on a
recommendation they wrote: the author may not make the manager decision, nor the author or
the manager-decider the HR decision. The submitter may withdraw until the final decision.

A refusal says why: the wrong role or person is PermissionDenied (exit 4, audited), the wrong
state ValidationFailed (exit 3). The services, the CLI and the dialogs share these rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from crmsup.records import validation
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.models import AssociateStatus
from crmsup.records.recommendations.dto import Link
from crmsup.records.recommendations.models import RecommendationKind, RecommendationState
from crmsup.records.reviews.models import Review
from crmsup.security.permissions import Action, Role, scope_of

MAX_RATIONALE = 20_000
MAX_COMMENT = 4_000
MAX_TITLE = 200
MAX_LINKS = 50
#: A draft left this many days reminds its author (the inbox's "recommendation.draft").
DRAFT_REMINDER_DAYS = 14
#: A recommendation waiting for a decision is due this many days after it began to wait.
DECISION_WITHIN_DAYS = 1

#: Supporting records a recommendation may link, by table, and the short names accepted.
LINK_TABLES = MappingProxyType(
    {
        DisciplineRecord.__tablename__: DisciplineRecord.__tablename__,
        "discipline": DisciplineRecord.__tablename__,
        Review.__tablename__: Review.__tablename__,
        "review": Review.__tablename__,
    }
)


class Step(StrEnum):
    UPDATE = "update"
    SUBMIT = "submit"
    MANAGER_APPROVE = "manager_approve"
    MANAGER_REJECT = "manager_reject"
    HR_APPROVE = "hr_approve"
    HR_REJECT = "hr_reject"
    WITHDRAW = "withdraw"


_S = RecommendationState
#: Each step: the states it may start from, and the state it leads to.
STEPS: MappingProxyType[Step, tuple[frozenset[RecommendationState], RecommendationState]] = (
    MappingProxyType(
        {
            Step.UPDATE: (frozenset({_S.DRAFT}), _S.DRAFT),
            Step.SUBMIT: (frozenset({_S.DRAFT}), _S.SUBMITTED),
            Step.MANAGER_APPROVE: (frozenset({_S.SUBMITTED}), _S.MANAGER_APPROVED),
            Step.MANAGER_REJECT: (frozenset({_S.SUBMITTED}), _S.REJECTED),
            Step.HR_APPROVE: (frozenset({_S.MANAGER_APPROVED}), _S.APPROVED),
            Step.HR_REJECT: (frozenset({_S.MANAGER_APPROVED}), _S.REJECTED),
            Step.WITHDRAW: (
                frozenset({_S.DRAFT, _S.SUBMITTED, _S.MANAGER_APPROVED}),
                _S.WITHDRAWN,
            ),
        }
    )
)
#: The permission each step needs (`crmsup.security.permissions.MATRIX`).
ACTIONS = MappingProxyType(
    {
        Step.UPDATE: Action.RECOMMENDATION_WRITE,
        Step.SUBMIT: Action.RECOMMENDATION_WRITE,
        Step.WITHDRAW: Action.RECOMMENDATION_WRITE,
        Step.MANAGER_APPROVE: Action.RECOMMENDATION_MANAGER_DECIDE,
        Step.MANAGER_REJECT: Action.RECOMMENDATION_MANAGER_DECIDE,
        Step.HR_APPROVE: Action.RECOMMENDATION_HR_DECIDE,
        Step.HR_REJECT: Action.RECOMMENDATION_HR_DECIDE,
    }
)
_DOING = MappingProxyType(
    {
        Step.UPDATE: "edit a recommendation",
        Step.SUBMIT: "submit a recommendation",
        Step.WITHDRAW: "withdraw a recommendation",
        Step.MANAGER_APPROVE: "make the site manager's decision on a recommendation",
        Step.MANAGER_REJECT: "make the site manager's decision on a recommendation",
        Step.HR_APPROVE: "make HR's decision on a recommendation",
        Step.HR_REJECT: "make HR's decision on a recommendation",
    }
)
_VERB = MappingProxyType({Step.UPDATE: "edit", Step.SUBMIT: "submit", Step.WITHDRAW: "withdraw"})
_DONE = MappingProxyType(
    {
        Step.UPDATE: "edited",
        Step.SUBMIT: "submitted",
        Step.WITHDRAW: "withdrawn",
        Step.MANAGER_APPROVE: "decided by the site manager",
        Step.MANAGER_REJECT: "decided by the site manager",
        Step.HR_APPROVE: "decided by HR",
        Step.HR_REJECT: "decided by HR",
    }
)
_WHERE = MappingProxyType(
    {
        _S.DRAFT: "a draft, not submitted yet",
        _S.SUBMITTED: "waiting for the site manager's decision",
        _S.MANAGER_APPROVED: "approved by the site manager and waiting for HR",
        _S.APPROVED: "approved: decided for good",
        _S.REJECTED: "rejected: decided for good",
        _S.WITHDRAWN: "withdrawn",
    }
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules need to know of a recommendation (plain columns)."""

    state: RecommendationState
    #: The site of the subject's team: its site manager makes the first decision.
    site_id: uuid.UUID
    created_by: uuid.UUID
    submitted_by: uuid.UUID | None = None
    manager_by: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Who:
    """The user who wants to take a step."""

    user_id: uuid.UUID
    role: Role
    site_id: uuid.UUID | None


def allowed_steps(state: RecommendationState) -> tuple[Step, ...]:
    """The steps a recommendation in `state` may take (for screens that offer only those)."""
    return tuple(step for step, (starts, _) in STEPS.items() if state in starts)


def next_state(step: Step, facts: Facts, who: Who) -> RecommendationState:
    """The state after `step`, or why `who` may not take it: PermissionDenied for the wrong
    role, site or person, ValidationFailed for the wrong state."""
    if scope_of(who.role, ACTIONS[step]) is None:
        article = "an" if who.role.value[0] in "aeiouh" else "a"
        raise PermissionDenied(f"{article} {who.role.value} may not {_DOING[step]}")
    starts, end = STEPS[step]
    if facts.state not in starts:
        raise ValidationFailed(
            f"this recommendation is {_WHERE[facts.state]}; it cannot be {_DONE[step]} now"
        )
    if step in (Step.UPDATE, Step.SUBMIT) or (step is Step.WITHDRAW and facts.state is _S.DRAFT):
        if who.user_id != facts.created_by:
            raise PermissionDenied(f"a draft is its author's: only they may {_VERB[step]} it")
    elif step is Step.WITHDRAW:
        if who.user_id != facts.submitted_by:
            raise PermissionDenied("only the person who submitted a recommendation withdraws it")
    elif step in (Step.MANAGER_APPROVE, Step.MANAGER_REJECT):
        if who.site_id != facts.site_id:
            raise PermissionDenied(
                "the site manager of the team's site decides on this recommendation"
            )
        if who.user_id in (facts.created_by, facts.submitted_by):
            raise PermissionDenied(
                "you wrote this recommendation: nobody approves their own; another site "
                "manager of the site, or HR after them, decides"
            )
    elif who.user_id in (facts.created_by, facts.submitted_by, facts.manager_by):
        raise PermissionDenied(
            "you wrote this recommendation or made the site manager's decision on it: "
            "another HR user makes the final decision"
        )
    return end


def awaits(facts: Facts, who: Who) -> bool:
    """Whether the recommendation waits for `who`'s decision (for the inbox)."""
    step = {
        _S.SUBMITTED: Step.MANAGER_APPROVE,
        _S.MANAGER_APPROVED: Step.HR_APPROVE,
    }.get(facts.state)
    if step is None:
        return False
    try:
        next_state(step, facts, who)
    except (PermissionDenied, ValidationFailed):
        return False
    return True


# ---- when something is due --------------------------------------------------------------


def decision_due_on(waiting_since: date) -> date:
    """A decision is due the day after the recommendation began to wait for it."""
    return waiting_since + timedelta(days=DECISION_WITHIN_DAYS)


def draft_due_on(created_on: date) -> date:
    """A draft should be submitted (or withdrawn) within `DRAFT_REMINDER_DAYS`."""
    return created_on + timedelta(days=DRAFT_REMINDER_DAYS)


def stale_draft(created_on: date, today: date) -> bool:
    """A draft older than `DRAFT_REMINDER_DAYS` reminds its author."""
    return today > draft_due_on(created_on)


# ---- what a recommendation holds --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: RecommendationKind
    title: str | None
    team_id: uuid.UUID | None
    effective: date | None


def check_subject(
    kind: RecommendationKind, *, candidate: bool, status: AssociateStatus | None
) -> None:
    """A hire is about a candidate, everything else about an associate still employed."""
    if kind is RecommendationKind.HIRE and not candidate:
        raise ValidationFailed("a hire recommendation is about a candidate, not an associate")
    if kind is not RecommendationKind.HIRE and candidate:
        raise ValidationFailed(
            f"a {kind.value} recommendation is about an associate; a candidate can only be "
            "recommended for hire"
        )
    if status is AssociateStatus.TERMINATED:
        raise ValidationFailed("the associate is terminated: no recommendation concerns them")


def check_proposal(
    proposal: Proposal, *, current_team_id: uuid.UUID, hire_date: date | None
) -> None:
    """What each kind proposes: a transfer a team, a termination its date (on or after the
    hire date), a promotion a title (and maybe a team), an advancement maybe a title."""
    kind = proposal.kind
    K = RecommendationKind
    if proposal.team_id is not None:
        if kind not in (K.TRANSFER, K.PROMOTION):
            raise ValidationFailed(
                f"a {kind.value} does not propose a team: only a transfer or a promotion moves "
                "an associate to another team"
            )
        if proposal.team_id == current_team_id:
            raise ValidationFailed("the proposed team is the team the subject is on already")
    if proposal.title is not None and kind in (K.TRANSFER, K.TERMINATION):
        raise ValidationFailed(
            f"a {kind.value} does not propose a job title (a promotion or an advancement does)"
        )
    if kind is K.TRANSFER and proposal.team_id is None:
        raise ValidationFailed("a transfer proposes the team to move to")
    if kind is K.PROMOTION and proposal.title is None:
        raise ValidationFailed("a promotion proposes the new job title")
    if kind is K.TERMINATION:
        if proposal.effective is None:
            raise ValidationFailed("a termination proposes its date (YYYY-MM-DD)")
        if hire_date is not None and proposal.effective < hire_date:
            raise ValidationFailed("the proposed termination date is before the hire date")


def clean_rationale(text: str) -> str:
    return validation.name(text, "rationale", max_length=MAX_RATIONALE)


def clean_title(text: str | None) -> str | None:
    return validation.optional_text(text, "proposed job title", max_length=MAX_TITLE)


def clean_comment(text: str | None, *, required: bool) -> str | None:
    """A decision's comment: a rejection says why, an approval may."""
    comment = validation.optional_text(text, "comment", max_length=MAX_COMMENT)
    if required and comment is None:
        raise ValidationFailed("a rejection needs a comment that says why")
    return comment


def clean_links(links: Iterable[Link], *, candidate: bool) -> tuple[Link, ...]:
    """Links named by their table, without repeats, in the order given. A candidate has no
    file yet, so nothing to link."""
    out: dict[tuple[str, uuid.UUID], Link] = {}
    for link in links:
        table = LINK_TABLES.get(link.type.strip().lower())
        if table is None:
            raise ValidationFailed(
                f"a supporting record is a discipline record or a review, not {link.type!r}"
            )
        out.setdefault((table, link.id), Link(table, link.id))
    if out and candidate:
        raise ValidationFailed("a candidate has no records yet to link")
    if len(out) > MAX_LINKS:
        raise ValidationFailed(f"a recommendation links at most {MAX_LINKS} records")
    return tuple(out.values())
