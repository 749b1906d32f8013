"""How big the demo organisation is: sites, teams, team sizes and account names (pure).

About one site per 10,000 associates (1 to 8). Teams of 12 to 20, as call-centre teams are,
while that keeps them at most 48: every team has a supervisor, every supervisor is an account,
and each account costs an Argon2id derivation of a quarter of a second by design. Past
48 × 16 = 768 associates the teams grow beyond 20 instead, and the summary says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crmsup.demo.names import CITIES, QUEUES, City, Queue
from crmsup.records.errors import ValidationFailed

ORGANISATION = "Demo Contact Centres"
ASSOCIATES_PER_SITE = 10_000
MAX_SITES = len(CITIES)
TYPICAL_TEAM = 16
TEAM_SIZES = (12, 20)
MAX_TEAMS = 48
#: Far beyond any benchmark: a typing error, not a wish.
MAX_ASSOCIATES = 200_000
#: How far a team's size strays from the average (± this share).
SIZE_SPREAD = 0.2


@dataclass(frozen=True, slots=True)
class TeamPlan:
    name: str
    site: str
    queue: Queue
    supervisor: str
    size: int


@dataclass(frozen=True, slots=True)
class SitePlan:
    city: City
    manager: str
    teams: tuple[TeamPlan, ...]

    @property
    def name(self) -> str:
        return self.city.name


@dataclass(frozen=True, slots=True)
class OrgPlan:
    associates: int
    sites: tuple[SitePlan, ...]

    @property
    def teams(self) -> tuple[TeamPlan, ...]:
        """Every team, site by site: a team's index here is its number in the demo."""
        return tuple(team for site in self.sites for team in site.teams)

    @property
    def capped(self) -> bool:
        """True when the 48-team cap made teams larger than a real one would be."""
        return any(team.size > TEAM_SIZES[1] for team in self.teams)


def check_associates(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValidationFailed("--associates is a whole number of at least 1")
    if count > MAX_ASSOCIATES:
        raise ValidationFailed(f"--associates is at most {MAX_ASSOCIATES:,}")
    return count


def site_count(associates: int) -> int:
    return max(1, min(MAX_SITES, (associates + ASSOCIATES_PER_SITE // 2) // ASSOCIATES_PER_SITE))


def team_count(associates: int) -> int:
    """Teams of about 16, at most 48, and at least one per site."""
    wanted = (associates + TYPICAL_TEAM // 2) // TYPICAL_TEAM
    return max(site_count(associates), 1, min(MAX_TEAMS, wanted))


def manager_name(site_index: int) -> str:
    return "manager" if site_index == 0 else f"manager{site_index + 1}"


def _sizes(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` sizes within ± SIZE_SPREAD of the mean, each at least 1
    (largest remainders, so they add up exactly)."""
    weights = [rng.uniform(1 - SIZE_SPREAD, 1 + SIZE_SPREAD) for _ in range(parts)]
    spare = total - parts  # everyone gets one first, so no team is empty
    shares = [spare * w / sum(weights) for w in weights]
    sizes = [1 + int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _team_names(city: City, count: int) -> list[tuple[str, Queue]]:
    """`Lyon Billing`, `Lyon Sales`, …, then `Lyon Billing 2` when the queues run out."""
    out = []
    for n in range(count):
        queue = QUEUES[n % len(QUEUES)]
        round_ = n // len(QUEUES)
        suffix = f" {round_ + 1}" if round_ else ""
        out.append((f"{city.name} {queue.name}{suffix}", queue))
    return out


def plan_organisation(associates: int, rng: random.Random) -> OrgPlan:
    """Sites, teams (spread evenly over the sites) and team sizes adding up to `associates`."""
    check_associates(associates)
    sites, teams = site_count(associates), team_count(associates)
    sizes = _sizes(associates, teams, rng)
    per_site = [teams // sites + (1 if i < teams % sites else 0) for i in range(sites)]
    planned: list[SitePlan] = []
    start = 0
    for index, count in enumerate(per_site):
        city = CITIES[index]
        names = _team_names(city, count)
        site_teams = tuple(
            TeamPlan(name, city.name, queue, f"sup-{city.slug}-{n + 1}", sizes[start + n])
            for n, (name, queue) in enumerate(names)
        )
        start += count
        planned.append(SitePlan(city, manager_name(index), site_teams))
    return OrgPlan(associates, tuple(planned))
