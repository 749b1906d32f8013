"""The pure rules of recommendations: the approval chain, who may take each step, what each
kind proposes, and when something is due."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.models import AssociateStatus
from crmsup.records.recommendations.dto import Link
from crmsup.records.recommendations.models import RecommendationKind, RecommendationState
from crmsup.records.recommendations.rules import (
    DRAFT_REMINDER_DAYS,
    MAX_LINKS,
    STEPS,
    Facts,
    Proposal,
    Step,
    Who,
    allowed_steps,
    awaits,
    check_proposal,
    check_subject,
    clean_comment,
    clean_links,
    decision_due_on,
    draft_due_on,
    next_state,
    stale_draft,
)
from crmsup.security.permissions import Role

S = RecommendationState
K = RecommendationKind
LYON, GRENOBLE = uuid.UUID(int=1), uuid.UUID(int=2)
SUP = Who(uuid.UUID(int=10), Role.SUPERVISOR, None)
OTHER_SUP = Who(uuid.UUID(int=11), Role.SUPERVISOR, None)
MANAGER = Who(uuid.UUID(int=20), Role.SITE_MANAGER, LYON)
FAR_MANAGER = Who(uuid.UUID(int=21), Role.SITE_MANAGER, GRENOBLE)
HR = Who(uuid.UUID(int=30), Role.HR, None)
OTHER_HR = Who(uuid.UUID(int=31), Role.HR, None)
ADMIN = Who(uuid.UUID(int=40), Role.ADMIN, None)
AUDITOR = Who(uuid.UUID(int=50), Role.AUDITOR, None)
PEOPLE = (SUP, OTHER_SUP, MANAGER, FAR_MANAGER, HR, OTHER_HR, ADMIN, AUDITOR)

DRAFT = Facts(S.DRAFT, LYON, SUP.user_id)
SUBMITTED = replace(DRAFT, state=S.SUBMITTED, submitted_by=SUP.user_id)
PASSED = replace(SUBMITTED, state=S.MANAGER_APPROVED, manager_by=MANAGER.user_id)


def test_the_chain_and_its_side_exits() -> None:
    assert allowed_steps(S.DRAFT) == (Step.UPDATE, Step.SUBMIT, Step.WITHDRAW)
    assert allowed_steps(S.SUBMITTED) == (Step.MANAGER_APPROVE, Step.MANAGER_REJECT, Step.WITHDRAW)
    assert allowed_steps(S.MANAGER_APPROVED) == (Step.HR_APPROVE, Step.HR_REJECT, Step.WITHDRAW)
    for final in (S.APPROVED, S.REJECTED, S.WITHDRAWN):
        assert allowed_steps(final) == ()
    assert next_state(Step.SUBMIT, DRAFT, SUP) is S.SUBMITTED
    assert next_state(Step.MANAGER_APPROVE, SUBMITTED, MANAGER) is S.MANAGER_APPROVED
    assert next_state(Step.MANAGER_REJECT, SUBMITTED, MANAGER) is S.REJECTED
    assert next_state(Step.HR_APPROVE, PASSED, HR) is S.APPROVED
    assert next_state(Step.HR_REJECT, PASSED, HR) is S.REJECTED
    assert next_state(Step.WITHDRAW, PASSED, SUP) is S.WITHDRAWN
    assert next_state(Step.UPDATE, DRAFT, SUP) is S.DRAFT


WRONG_STATES = [(step, state) for step in Step for state in S if state not in STEPS[step][0]]


@pytest.mark.parametrize(("step", "state"), WRONG_STATES)
def test_a_step_from_the_wrong_state_is_refused_saying_where_it_stands(
    step: Step, state: RecommendationState
) -> None:
    facts = replace(PASSED, state=state)
    who = {Step.HR_APPROVE: HR, Step.HR_REJECT: HR}.get(step, SUP)
    who = MANAGER if step in (Step.MANAGER_APPROVE, Step.MANAGER_REJECT) else who
    with pytest.raises(ValidationFailed, match=r"cannot be .* now") as refused:
        next_state(step, facts, who)
    assert "this recommendation is" in str(refused.value)


@pytest.mark.parametrize(
    ("step", "facts", "who", "message"),
    [
        (Step.MANAGER_APPROVE, SUBMITTED, SUP, "a supervisor may not make the site manager's"),
        (Step.MANAGER_APPROVE, SUBMITTED, HR, "an hr may not make the site manager's"),
        (Step.HR_APPROVE, PASSED, MANAGER, "a site_manager may not make HR's decision"),
        (Step.HR_REJECT, PASSED, SUP, "a supervisor may not make HR's decision"),
        (Step.SUBMIT, DRAFT, ADMIN, "an admin may not submit"),
        (Step.WITHDRAW, SUBMITTED, AUDITOR, "an auditor may not withdraw"),
        # The site manager of another site.
        (Step.MANAGER_REJECT, SUBMITTED, FAR_MANAGER, "site manager of the team's site"),
        # Nobody approves their own.
        (Step.MANAGER_APPROVE, replace(SUBMITTED, created_by=MANAGER.user_id), MANAGER, "own"),
        (Step.MANAGER_APPROVE, replace(SUBMITTED, submitted_by=MANAGER.user_id), MANAGER, "own"),
        (Step.HR_APPROVE, replace(PASSED, created_by=HR.user_id), HR, "another HR user"),
        (Step.HR_REJECT, replace(PASSED, submitted_by=HR.user_id), HR, "another HR user"),
        (Step.HR_APPROVE, replace(PASSED, manager_by=HR.user_id), HR, "site manager's decision"),
        # A draft is its author's; withdrawing is the submitter's.
        (Step.UPDATE, DRAFT, OTHER_SUP, "only they may edit it"),
        (Step.SUBMIT, DRAFT, HR, "only they may submit it"),
        (Step.WITHDRAW, DRAFT, MANAGER, "only they may withdraw it"),
        (Step.WITHDRAW, SUBMITTED, OTHER_SUP, "only the person who submitted"),
    ],
)
def test_the_wrong_role_site_or_person_is_refused(
    step: Step, facts: Facts, who: Who, message: str
) -> None:
    with pytest.raises(PermissionDenied, match=message):
        next_state(step, facts, who)


def test_another_hr_user_decides_when_one_wrote_it() -> None:
    written_by_hr = replace(PASSED, created_by=HR.user_id, submitted_by=HR.user_id)
    assert next_state(Step.HR_APPROVE, written_by_hr, OTHER_HR) is S.APPROVED


def test_awaits_names_who_decides_next() -> None:
    assert [w for w in PEOPLE if awaits(SUBMITTED, w)] == [MANAGER]
    assert [w for w in PEOPLE if awaits(PASSED, w)] == [HR, OTHER_HR]
    assert not any(awaits(DRAFT, w) for w in PEOPLE)
    own = replace(SUBMITTED, created_by=MANAGER.user_id, submitted_by=MANAGER.user_id)
    assert not awaits(own, MANAGER)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Step)), st.sampled_from(PEOPLE)), max_size=12))
def test_no_sequence_of_steps_lets_anyone_approve_their_own(
    attempts: list[tuple[Step, Who]],
) -> None:
    """Whoever tries whatever, an approved recommendation was decided by a site manager of
    the site who did not write it, then by an HR user who neither wrote it nor decided first;
    a final state takes no further step."""
    facts, deciders = DRAFT, {}
    for step, who in attempts:
        try:
            state = next_state(step, facts, who)
        except (PermissionDenied, ValidationFailed):
            continue
        assert facts.state in STEPS[step][0]
        assert facts.state not in (S.APPROVED, S.REJECTED, S.WITHDRAWN)
        if step is Step.SUBMIT:
            facts = replace(facts, submitted_by=who.user_id)
        if step in (Step.MANAGER_APPROVE, Step.MANAGER_REJECT):
            facts = replace(facts, manager_by=who.user_id)
        deciders[step] = who
        facts = replace(facts, state=state)
    if facts.state is S.APPROVED:
        manager, hr = deciders[Step.MANAGER_APPROVE], deciders[Step.HR_APPROVE]
        assert manager.role is Role.SITE_MANAGER
        assert manager.site_id == LYON
        assert hr.role is Role.HR
        assert manager.user_id not in (facts.created_by, facts.submitted_by)
        assert hr.user_id not in (facts.created_by, facts.submitted_by, manager.user_id)


TEAM_A, TEAM_B = uuid.UUID(int=100), uuid.UUID(int=101)
HIRED = date(2020, 3, 1)


@pytest.mark.parametrize(
    ("proposal", "message"),
    [
        (Proposal(K.TRANSFER, None, None, None), "proposes the team to move to"),
        (Proposal(K.TRANSFER, None, TEAM_A, None), "on already"),
        (Proposal(K.TRANSFER, "Lead", TEAM_B, None), "does not propose a job title"),
        (Proposal(K.PROMOTION, None, TEAM_B, None), "proposes the new job title"),
        (Proposal(K.ADVANCEMENT, "Senior", TEAM_B, None), "does not propose a team"),
        (Proposal(K.TERMINATION, None, None, None), "proposes its date"),
        (Proposal(K.TERMINATION, None, None, date(2020, 2, 29)), "before the hire date"),
        (Proposal(K.TERMINATION, "Ex", None, date(2024, 1, 1)), "does not propose a job title"),
        (Proposal(K.HIRE, None, TEAM_B, None), "does not propose a team"),
    ],
)
def test_each_kind_proposes_what_it_changes(proposal: Proposal, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        check_proposal(proposal, current_team_id=TEAM_A, hire_date=HIRED)


@pytest.mark.parametrize(
    "proposal",
    [
        Proposal(K.TRANSFER, None, TEAM_B, date(2024, 1, 1)),
        Proposal(K.PROMOTION, "Team lead", None, None),
        Proposal(K.PROMOTION, "Team lead", TEAM_B, None),
        Proposal(K.ADVANCEMENT, None, None, None),
        Proposal(K.TERMINATION, None, None, HIRED),
        Proposal(K.HIRE, "Agent", None, date(2024, 1, 1)),
    ],
)
def test_consistent_proposals_pass(proposal: Proposal) -> None:
    check_proposal(proposal, current_team_id=TEAM_A, hire_date=HIRED)


def test_subjects_fit_their_kind() -> None:
    check_subject(K.HIRE, candidate=True, status=None)
    check_subject(K.PROMOTION, candidate=False, status=AssociateStatus.LEAVE)
    with pytest.raises(ValidationFailed, match="about a candidate"):
        check_subject(K.HIRE, candidate=False, status=AssociateStatus.ACTIVE)
    with pytest.raises(ValidationFailed, match="only be recommended for hire"):
        check_subject(K.TRANSFER, candidate=True, status=None)
    with pytest.raises(ValidationFailed, match="terminated"):
        check_subject(K.TERMINATION, candidate=False, status=AssociateStatus.TERMINATED)


def test_links_are_named_by_table_once_each() -> None:
    one, two = uuid.UUID(int=7), uuid.UUID(int=8)
    given_links = [Link("discipline", one), Link(" Review ", two), Link("discipline_records", one)]
    assert clean_links(given_links, candidate=False) == (
        Link("discipline_records", one),
        Link("reviews", two),
    )
    with pytest.raises(ValidationFailed, match="not 'training'"):
        clean_links([Link("training", one)], candidate=False)
    with pytest.raises(ValidationFailed, match="no records yet"):
        clean_links([Link("review", one)], candidate=True)
    too_many = [Link("review", uuid.UUID(int=i)) for i in range(MAX_LINKS + 1)]
    with pytest.raises(ValidationFailed, match=f"at most {MAX_LINKS}"):
        clean_links(too_many, candidate=False)


def test_a_rejection_says_why() -> None:
    assert clean_comment("  ", required=False) is None
    assert clean_comment(" fine ", required=False) == "fine"
    with pytest.raises(ValidationFailed, match="rejection needs a comment"):
        clean_comment(None, required=True)


def test_when_things_are_due() -> None:
    created = date(2026, 1, 31)
    assert decision_due_on(created) == date(2026, 2, 1)
    assert draft_due_on(created) == date(2026, 2, 14)
    assert DRAFT_REMINDER_DAYS == 14
    assert not stale_draft(created, date(2026, 2, 14))  # 14 days old: not older than 14
    assert stale_draft(created, date(2026, 2, 15))
