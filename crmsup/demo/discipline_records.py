"""Demo discipline records: about 15% of associates with one to three, coherent with the
rules of `crmsup.records.discipline_rules`.

Each record's level is the one the rules suggest from the associate's live records of the
same category as the file stood that day (a different level carries a written reason), so
the histories escalate as real ones do: mostly coaching and verbal warnings, a few written and
final ones. States follow the life cycle, with the columns each state implies: an issued
record has its issuer, date and live period; an approved or issued final warning its
decider; an acknowledged one its date (and a witness when the associate refused to sign); a
rescinded one who rescinded it, when and why. Some have expired by date.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.demo import texts
from crmsup.demo.names import any_name
from crmsup.demo.people import Owner, Person
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline.models import (
    Acknowledgement,
    DisciplineCategory,
    DisciplineLevel,
    DisciplineRecord,
    DisciplineState,
)
from crmsup.records.discipline.rules import HistoryEntry, LevelRule
from crmsup.records.models import AssociateStatus
from crmsup.records.sealed_fields import seal, seal_json

KIND = "discipline"
SHARE = 0.15
#: Of the recent incidents, the share serious enough for a final warning at once.
SERIOUS = 0.12
_S = DisciplineState
_C = DisciplineCategory
#: Every state the summary shows, "expired" included: the demo has at least one of each.
SCENARIOS = (
    "draft",
    "pending_approval",
    "approved",
    "issued",
    "signed",
    "refused",
    "rescinded",
    "expired",
)
_RECENT = ("draft", "pending_approval", "approved")
_LIVE = ("issued", "signed", "refused")
CATEGORIES = ((_C.ATTENDANCE, 40), (_C.PERFORMANCE, 30), (_C.CONDUCT, 13), (_C.POLICY, 12))
_TABLE = table_of(DisciplineRecord)


def load_levels(session: Session) -> tuple[LevelRule, ...]:
    """HR's levels as the rules see them, lowest first."""
    rows = session.scalars(select(DisciplineLevel).order_by(DisciplineLevel.rank))
    return tuple(
        LevelRule(lv.id, lv.rank, lv.live_months, lv.needs_approval, lv.active) for lv in rows
    )


def _window(scenario: str | None, person: Person, today: date) -> tuple[date, date]:
    """The days the associate's latest incident may fall on for `scenario`."""
    start, end = person.hire_date + timedelta(days=14), person.last_day(today)
    if scenario in _RECENT:
        return max(start, today - timedelta(days=20)), today - timedelta(days=1)
    if scenario in _LIVE:
        return max(start, today - timedelta(days=60)), today - timedelta(days=10)
    if scenario == "expired":
        return start, min(end, today - timedelta(days=400))
    return start, end - timedelta(days=7)


def fits(scenario: str | None, person: Person, today: date) -> bool:
    """Whether the associate's file can show `scenario` (None: any discipline at all)."""
    first, last = _window(scenario, person, today)
    active = person.status is AssociateStatus.ACTIVE
    return first <= last and (active or scenario not in (*_RECENT, *_LIVE))


def _as_of(history: list[HistoryEntry], day: date) -> list[HistoryEntry]:
    """The file as it stood on `day`: a record rescinded later still counted then."""
    return [
        replace(e, state=_S.ISSUED, rescinded_on=None)
        if e.state is _S.RESCINDED and e.rescinded_on is not None and e.rescinded_on > day
        else e
        for e in history
    ]


@dataclass(frozen=True, slots=True)
class _Choice:
    level: LevelRule
    deviation: str | None


def _level(
    levels: tuple[LevelRule, ...],
    history: list[HistoryEntry],
    category: DisciplineCategory,
    day: date,
    scenario: str | None,
    rng: random.Random,
) -> tuple[LevelRule, _Choice]:
    """The suggested level, and the one given (with the reason when they differ)."""
    suggested = discipline_rules.suggest(levels, _as_of(history, day), category, day)
    usable = [lv for lv in levels if lv.active and lv.live_months is not None]
    if scenario in ("pending_approval", "approved"):
        target = next(lv for lv in usable if lv.needs_approval)
        why = None if target.id == suggested.id else rng.choice(texts.DEVIATIONS_UP)
        return suggested, _Choice(target, why)
    if suggested not in usable:  # the rules propose dismissal: the demo stops a step short
        return suggested, _Choice(usable[-1], texts.DEVIATION_CAP)
    index = usable.index(suggested)
    if index > 0 and rng.random() < 0.08:
        return suggested, _Choice(usable[index - 1], rng.choice(texts.DEVIATIONS_DOWN))
    if index + 1 < len(usable) and not usable[index + 1].needs_approval and rng.random() < 0.03:
        return suggested, _Choice(usable[index + 1], rng.choice(texts.DEVIATIONS_UP))
    return suggested, _Choice(suggested, None)


def _state(
    scenario: str | None, latest: bool, recent: bool, level: LevelRule, rng: random.Random
) -> str:
    """What happened to the record: a stored state, or "signed" / "refused" for an
    acknowledged one."""
    if scenario is not None and latest:
        if scenario == "expired":
            return pick(rng, (("issued", 2), ("signed", 7), ("refused", 1)))
        return scenario
    if latest and recent:
        if level.needs_approval:
            return pick(rng, (("pending_approval", 35), ("approved", 25), ("signed", 40)))
        return pick(rng, (("draft", 30), ("issued", 30), ("signed", 40)))
    return pick(rng, (("signed", 68), ("refused", 12), ("issued", 15), ("rescinded", 5)))


def discipline_rows(
    owner: Owner,
    staff: Staff,
    levels: tuple[LevelRule, ...],
    today: date,
    rng: random.Random,
    scenario: str | None,
    tally: Tally,
) -> list[Row]:
    """One to three records for the associate (`fits` must hold), the latest showing
    `scenario` when given."""
    person = owner.person
    first, last = _window(scenario, person, today)
    days = [day_between(rng, first, last)]
    count = pick(rng, ((1, 60), (2, 28), (3, 12))) if scenario != "expired" else 1
    earliest = person.hire_date + timedelta(days=14)
    for _ in range(count - 1):
        if days[0] - timedelta(days=10) >= earliest:
            days.insert(0, day_between(rng, earliest, days[0] - timedelta(days=10)))
    days.sort()
    category = pick(rng, CATEGORIES)
    same = rng.random() < 0.7
    history: list[HistoryEntry] = []
    rows: list[Row] = []
    for number, day in enumerate(days):
        latest = number == len(days) - 1
        cat = category if same else pick(rng, CATEGORIES)
        recent = day >= today - timedelta(days=30) and person.status is AssociateStatus.ACTIVE
        serious = latest and recent and scenario is None and rng.random() < SERIOUS
        wanted = scenario if latest else None
        suggested, choice = _level(
            levels, history, cat, day, "pending_approval" if serious else wanted, rng
        )
        state = _state(scenario, latest, recent, choice.level, rng)
        row = _record(owner, staff, cat, day, suggested, choice, state, today, rng)
        rows.append(row)
        history.append(
            HistoryEntry(
                cat,
                choice.level.rank,
                row["state"],
                row["issued_on"],
                row["live_until"],
                row["rescinded_on"],
            )
        )
        tally.add(
            KIND,
            discipline_rules.effective_state(row["state"], row["live_until"], today),
            cat.value,
        )
    return rows


def _incidents(day: date, earliest: date, rng: random.Random) -> list[str]:
    extra = [day - timedelta(days=rng.randint(1, 20)) for _ in range(rng.choice((0, 0, 1, 2)))]
    return sorted({d.isoformat() for d in (day, *extra) if d >= earliest})


def _record(
    owner: Owner,
    staff: Staff,
    category: DisciplineCategory,
    day: date,
    suggested: LevelRule,
    choice: _Choice,
    state: str,
    today: date,
    rng: random.Random,
) -> Row:
    person, cipher = owner.person, owner.cipher
    record_id = uuid.uuid4()
    level = choice.level
    end = min(person.last_day(today), today - timedelta(days=1))
    created_day = min(day + timedelta(days=rng.randint(0, 2)), end)
    created_at = at_work(created_day, rng)
    supervisor = staff.supervisors[person.team]
    values: dict[str, object] = {
        "id": record_id,
        "associate_id": owner.associate_id,
        "category": category,
        "level_id": level.id,
        "suggested_level_id": suggested.id,
        "created_by": supervisor,
        "created_at": created_at,
        "improve_by": created_day + timedelta(days=rng.choice((30, 60, 90))),
        "follow_up_on": created_day + timedelta(days=rng.choice((14, 21, 28))),
    }
    texts_in = {
        "description_enc": rng.choice(texts.INCIDENTS[category]).format(day=f"{day:%d %B %Y}"),
        "expectation_enc": texts.EXPECTATIONS[category],
        "improvement_enc": rng.choice(texts.IMPROVEMENTS),
        "consequences_enc": texts.CONSEQUENCES[min(level.rank, len(texts.CONSEQUENCES)) - 1],
        "deviation_reason_enc": choice.deviation,
        "statement_enc": None,
        "decision_comment_enc": None,
        "witness_enc": None,
        "rescind_reason_enc": None,
    }
    steps = 0
    decided: datetime | None = None
    if level.needs_approval and state != "draft":
        values["submitted_at"] = created_at + timedelta(hours=rng.randint(1, 5))
        steps += 1
        if state != "pending_approval":
            decided = created_at + timedelta(days=1, hours=rng.randint(0, 6))
            values.update(decided_by=staff.managers[person.team], decided_at=decided)
            texts_in["decision_comment_enc"] = rng.choice(texts.DECISIONS)
            steps += 1
    if state in ("issued", "signed", "refused", "rescinded"):
        earliest = decided.date() if decided else created_day
        issued = min(earliest + timedelta(days=rng.randint(0, 4)), end)
        values.update(
            issued_by=supervisor,
            issued_on=issued,
            live_until=discipline_rules.live_until(issued, level.live_months),
            follow_up_on=issued + timedelta(days=rng.choice((14, 21, 28))),
        )
        steps += 1
        acknowledged = state in ("signed", "refused") or (
            state == "rescinded" and rng.random() < 0.5
        )
        if acknowledged:
            refused = state == "refused" or (state == "rescinded" and rng.random() < 0.2)
            values["acknowledgement"] = (
                Acknowledgement.REFUSED if refused else Acknowledgement.SIGNED
            )
            values["acknowledged_on"] = min(issued + timedelta(days=rng.randint(0, 3)), end)
            if refused:
                texts_in["witness_enc"] = f"{rng.choice(texts.WITNESS_ROLES)} {any_name(rng)}"
            elif rng.random() < 0.6:
                texts_in["statement_enc"] = rng.choice(texts.STATEMENTS)
            steps += 1
        if state == "rescinded":
            values.update(
                rescinded_by=rng.choice((staff.managers[person.team], staff.hr)),
                rescinded_on=min(issued + timedelta(days=rng.randint(5, 60)), end),
            )
            texts_in["rescind_reason_enc"] = rng.choice(texts.RESCINDS)
            steps += 1
    stored = {
        "signed": _S.ACKNOWLEDGED,
        "refused": _S.ACKNOWLEDGED,
    }.get(state) or _S(state)
    values["state"] = stored
    values["version"] = 1 + steps
    values["incident_dates_enc"] = seal_json(
        cipher,
        _TABLE.name,
        record_id,
        "incident_dates_enc",
        _incidents(day, person.hire_date, rng),
    )
    values.update(seal(cipher, _TABLE.name, record_id, texts_in))
    return full_row(_TABLE, values)
