"""The consistency report: which levels each supervisor gives for comparable histories.

For each site, category and *prior history* (the highest level live in that category on the
day the record was issued, or none), the count of records each supervisor (the record's
issuer) issued at each level over a date range, beside the site's own counts. A supervisor
whose most common level for a history is none of the site's most common ones is marked
`uneven`. Rescinded records are left out of the counts (they were withdrawn), but a record
rescinded later still counts in the history of those issued before its rescission (it was on
the file then).

Plain columns only (categories, levels, dates, issuers): nothing is decrypted. Site managers
see their site's teams, HR every site (DISCIPLINE_REPORT); the report is one audit entry
"discipline.report" with its range and size.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline.dto import ConsistencyReport, ConsistencyRow
from crmsup.records.discipline.levels import all_levels
from crmsup.records.discipline.models import DisciplineCategory, DisciplineLevel, DisciplineRecord
from crmsup.records.discipline.models import DisciplineState as State
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import Associate, Site, Team
from crmsup.records.names import usernames
from crmsup.records.scope import actor_team_ids, require
from crmsup.security.permissions import Action

ACTION = "discipline.report"
_R = DisciplineRecord
_CATEGORIES = list(DisciplineCategory)
#: A comparable history: site, category, and the highest rank live before (None: none).
_Key = tuple[str, DisciplineCategory, int | None]


@dataclass(frozen=True, slots=True)
class _Issued:
    """One issued record, as the report sees it."""

    id: uuid.UUID
    associate_id: uuid.UUID
    site: str
    issuer: uuid.UUID | None
    #: (issued_on, created_at, id): the order in which records were issued.
    order: tuple[date, datetime, uuid.UUID]
    entry: discipline_rules.HistoryEntry


def _issued(db: Database, teams: set[uuid.UUID], end: date) -> list[_Issued]:
    query = (
        select(
            _R.id,
            _R.associate_id,
            Site.name,
            _R.issued_by,
            _R.created_at,
            _R.category,
            DisciplineLevel.rank,
            _R.state,
            _R.issued_on,
            _R.live_until,
            _R.rescinded_on,
        )
        .join(DisciplineLevel, DisciplineLevel.id == _R.level_id)
        .join(Associate, Associate.id == _R.associate_id)
        .join(Team, Team.id == Associate.team_id)
        .join(Site, Site.id == Team.site_id)
        .where(
            Associate.team_id.in_(teams),
            Associate.erased_at.is_(None),
            _R.state.in_([State.ISSUED, State.ACKNOWLEDGED, State.RESCINDED]),
            _R.issued_on.is_not(None),
            _R.issued_on <= end,
        )
    )
    with db.transaction() as session:
        rows = list(session.execute(query))
    out = []
    for rid, aid, site, issuer, created, category, rank, state, issued_on, until, rescinded in rows:
        assert issued_on is not None  # noqa: S101 - the query asks for it
        entry = discipline_rules.HistoryEntry(category, rank, state, issued_on, until, rescinded)
        out.append(_Issued(rid, aid, site, issuer, (issued_on, created, rid), entry))
    return out


def _prior_ranks(records: list[_Issued]) -> dict[uuid.UUID, int | None]:
    """For each record, the highest rank live in its category when it was issued, among the
    same associate's records issued before it."""
    files: dict[tuple[uuid.UUID, DisciplineCategory], list[_Issued]] = defaultdict(list)
    for record in records:
        files[record.associate_id, record.entry.category].append(record)
    prior: dict[uuid.UUID, int | None] = {}
    for history in files.values():
        history.sort(key=lambda r: r.order)
        for i, record in enumerate(history):
            day = record.order[0]
            ranks = [
                e.entry.level_rank for e in history[:i] if discipline_rules.counted_on(e.entry, day)
            ]
            prior[record.id] = max(ranks, default=None)
    return prior


def _modes(counts: Counter[int], names: dict[int, str]) -> tuple[str, ...]:
    if not counts:
        return ()
    top = max(counts.values())
    return tuple(names[rank] for rank in sorted(counts) if counts[rank] == top)


@dataclass(frozen=True, slots=True)
class _Table:
    """One comparable history of one site: the rows of its supervisors are built against it."""

    key: _Key
    site_modes: tuple[str, ...]
    names: dict[int, str]
    ranks: list[int]

    def row(self, supervisor: str | None, counts: Counter[int]) -> ConsistencyRow:
        site, category, rank = self.key
        modes = _modes(counts, self.names)
        return ConsistencyRow(
            site=site,
            category=category,
            prior_level=None if rank is None else self.names[rank],
            prior_rank=rank,
            supervisor=supervisor,
            counts=tuple(counts[r] for r in self.ranks),
            total=sum(counts.values()),
            most_common=modes,
            site_most_common=self.site_modes,
            uneven=supervisor is not None and not set(modes) & set(self.site_modes),
        )


def consistency_report(db: Database, actor: Actor, start: date, end: date) -> ConsistencyReport:
    """Records issued from `start` to `end` (both included) in the actor's scope."""
    with audit.denials_recorded(db, actor, ACTION, "discipline_report"):
        require(actor, Action.DISCIPLINE_REPORT)
    if start > end:
        raise ValidationFailed("the report's range ends before it starts")
    with db.transaction() as session:
        teams = actor_team_ids(session, actor)
        levels = all_levels(session)
    records = _issued(db, teams, end) if teams else []
    prior = _prior_ranks(records)
    counted = [r for r in records if start <= r.order[0] and r.entry.state is not State.RESCINDED]
    names = {lv.rank: lv.name for lv in levels}
    ranks = [lv.rank for lv in levels]
    groups: dict[_Key, dict[uuid.UUID | None, Counter[int]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    for r in counted:
        groups[r.site, r.entry.category, prior[r.id]][r.issuer][r.entry.level_rank] += 1
    with db.transaction() as session:
        who = usernames(session, (u for g in groups.values() for u in g))
    rows: list[ConsistencyRow] = []
    order = sorted(
        groups, key=lambda k: (k[0], _CATEGORIES.index(k[1]), -1 if k[2] is None else k[2])
    )
    for key in order:
        by_issuer = groups[key]
        site_counts: Counter[int] = sum(by_issuer.values(), Counter())
        table = _Table(key, _modes(site_counts, names), names, ranks)
        rows.append(table.row(None, site_counts))
        issuers = sorted(by_issuer, key=lambda u: who.get(u, "") if u else "")
        rows.extend(table.row(who[u] if u else "(unknown)", by_issuer[u]) for u in issuers)
    with db.transaction() as session:
        audit.append(
            session,
            ACTION,
            actor=actor,
            entity_type="discipline_report",
            details={"from": start.isoformat(), "to": end.isoformat(), "records": len(counted)},
        )
    return ConsistencyReport(start, end, tuple(names[r] for r in ranks), tuple(rows), len(counted))
