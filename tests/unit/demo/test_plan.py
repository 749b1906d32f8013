"""The demo's plan, pure and seeded: how many sites and teams, and who the people are."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from crmsup.demo import plan
from crmsup.demo.people import plan_people
from crmsup.demo.recommendation_plan import plan_recommendations
from crmsup.demo.rows import seeded
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import AssociateStatus
from crmsup.records.recommendations.models import RecommendationKind, RecommendationState

TODAY = date(2025, 3, 14)


@pytest.mark.parametrize(
    ("associates", "sites", "teams"),
    [(1, 1, 1), (60, 1, 4), (700, 1, 44), (5_000, 1, 48), (15_000, 2, 48), (50_000, 5, 48)],
)
def test_sites_and_teams_are_sized_as_promised(associates: int, sites: int, teams: int) -> None:
    made = plan.plan_organisation(associates, seeded(3, "organisation"))
    assert (len(made.sites), len(made.teams)) == (sites, teams)
    assert sum(t.size for t in made.teams) == associates
    assert made.capped is (associates > 48 * plan.TEAM_SIZES[1])
    if 12 * teams <= associates <= 20 * teams:
        assert all(plan.TEAM_SIZES[0] - 2 <= t.size <= plan.TEAM_SIZES[1] + 2 for t in made.teams)
    names = [t.supervisor for t in made.teams] + [s.manager for s in made.sites]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("associates", [0, -1, plan.MAX_ASSOCIATES + 1])
def test_a_size_out_of_bounds_is_refused(associates: int) -> None:
    with pytest.raises(ValidationFailed, match="--associates"):
        plan.check_associates(associates)


def test_the_same_seed_gives_the_same_people_and_another_seed_others() -> None:
    made = plan.plan_organisation(2_000, seeded(5, "organisation"))
    first, again = plan_people(made, 5, TODAY), plan_people(made, 5, TODAY)
    other = plan_people(made, 6, TODAY)
    assert first == again
    assert [(p.first_name, p.last_name) for p in first] != [
        (p.first_name, p.last_name) for p in other
    ]
    assert len({p.employee_no for p in first}) == len(first)
    names = " ".join(f"{p.first_name} {p.last_name}" for p in first)
    assert any(not c.isascii() for c in names)  # diacritics: Ø, ł, ş, ễ …
    statuses = Counter(p.status for p in first)
    assert 0 < statuses[AssociateStatus.LEAVE] < statuses[AssociateStatus.TERMINATED] < 400
    assert all(p.termination_date is not None for p in first if p.status.value == "terminated")
    assert min(p.hire_date for p in first) >= TODAY.replace(year=TODAY.year - 13)


def test_approved_recommendations_have_changed_the_people_they_concern() -> None:
    made = plan.plan_organisation(3_000, seeded(2, "organisation"))
    before = plan_people(made, 2, TODAY)
    after, recs = plan_recommendations(before, made, 2, TODAY)
    assert {(r.kind, r.state) for r in recs} >= {
        (kind, RecommendationState.APPROVED) for kind in RecommendationKind
    }
    for rec in recs:
        if rec.person is None or rec.state is not RecommendationState.APPROVED:
            continue
        person = after[rec.person]
        assert before[rec.person].status is AssociateStatus.ACTIVE
        if rec.kind is RecommendationKind.TERMINATION:
            assert person.status is AssociateStatus.TERMINATED
            assert person.termination_date == rec.proposed_date
            assert rec.proposed_date is not None
            assert rec.proposed_date < TODAY
        elif rec.kind is RecommendationKind.TRANSFER:
            assert person.team == rec.proposed_team == rec.team
        elif rec.proposed_title is not None:
            assert person.job_title == rec.proposed_title
    hired = [r for r in recs if r.hired is not None]
    assert hired
    for rec in hired:
        assert rec.candidate is not None
        assert rec.hired is not None
        assert rec.candidate.last_name == after[rec.hired].last_name
