"""Demo policy acknowledgements, notes and client claims, coherent with `policies.rules` and
`notes.rules`.

HR's policies are published once with the real service (`prepare`), at the dates they came
out: six policies, three of them revised, the attendance policy three days ago (so its new
version is still being acknowledged) and hybrid working to come into force in two weeks.
HR acknowledges each version through the service as it publishes it; the site managers and
supervisors acknowledged every earlier version within its window (a few late), and most of
them the new attendance version.

Associates acknowledge each current version (the one in force on the demo's day) that came
into force while they worked here, a few days after it came out or in their first week; the
new attendance version is still outstanding for about one in six (most of those on leave),
the others for half the last week's hires and one in a hundred of the rest. Superseded
versions' acknowledgements are not written: nothing due depends on them, and at several
rows per associate they would cost the demo seconds at 50,000 associates.

Four in five associates have one to four notes of conversations from their last year
(about one in five is feedback they gave), written mostly by their supervisor. About one in
sixteen had a client claim in their last year: nearly all closed after a first response
(most within the 30 minutes, some late), those of the last ten days
often still waiting for their outcome.

Every state appears in a demo of a few dozen associates: the first associates by employee
number each show one scenario (an open claim just received, an overdue one, a responded
one, a closed one) when it fits them. Employee numbers rise by 1 to 4 (`people.plan_people`),
so each window of four numbers holds someone; each scenario has two windows.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from crmsup.demo import policy_texts as texts
from crmsup.demo.names import any_name
from crmsup.demo.people import FIRST_EMPLOYEE_NO, Owner, Person
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.models import AssociateStatus, Base, User
from crmsup.records.notes.models import ClaimOutcome, ClaimState, ClientClaim, Note, NoteKind
from crmsup.records.notes.rules import FIRST_RESPONSE_WITHIN
from crmsup.records.policies import service as policy_service
from crmsup.records.policies.dto import NewVersion
from crmsup.records.policies.models import PolicyAssociateAck, PolicyUserAck
from crmsup.records.sealed_fields import seal
from crmsup.records.types import utcnow
from crmsup.security.permissions import Role

KIND = "note"
TABLES: tuple[type[Base], ...] = (PolicyAssociateAck, Note, ClientClaim)
_ACKS = table_of(PolicyAssociateAck)
_NOTES = table_of(Note)
_CLAIMS = table_of(ClientClaim)

#: Notes of the associate's last year, equally likely (20% none, 30% one, 25% two, 15%
#: three, 10% four; a new hire has fewer): drawn by index, several times faster than `pick`.
NOTES = (0,) * 4 + (1,) * 6 + (2,) * 5 + (3,) * 3 + (4,) * 2
FEEDBACK_SHARE = 0.2
EDITED_SHARE = 0.05
#: Associates with a client claim in their last year, and of those, with two.
CLAIM_SHARE = 0.06
TWO_CLAIMS = 0.15
#: First responses given within the 30 minutes.
ON_TIME = 0.85
#: Claims of the last ten days still waiting for their outcome.
RECENT_DAYS, STILL_RESPONDED = 10, 0.6
OUTCOMES = (
    (ClaimOutcome.UPHELD, 30),
    (ClaimOutcome.PARTLY_UPHELD, 25),
    (ClaimOutcome.NOT_UPHELD, 35),
    (ClaimOutcome.WITHDRAWN, 10),
)
_OUTCOME_NOTES = {
    ClaimOutcome.UPHELD: (0, 2),
    ClaimOutcome.PARTLY_UPHELD: (4,),
    ClaimOutcome.NOT_UPHELD: (1,),
    ClaimOutcome.WITHDRAWN: (3,),
}
#: A version published this recently is still being acknowledged.
RECENT_VERSION_DAYS = 7
OUTSTANDING_RECENT = {AssociateStatus.ACTIVE: 0.15, AssociateStatus.LEAVE: 0.7}
_MONTHS = ("", *(date(2000, m, 1).strftime("%B") for m in range(1, 13)))
#: Days from a version's publication (or the hire) to its acknowledgement, equally likely.
_ACK_DELAYS = (0,) * 9 + (1,) * 6 + (2,) * 2 + (3,) * 2 + (7,)
_OPENS = time(8)
#: Scenarios the first associates show, each in `COPIES` windows of `STEP` employee numbers.
SCENARIOS = ("open", "overdue", "responded", "closed")
COPIES = 2
_WITHIN = int(FIRST_RESPONSE_WITHIN.total_seconds()) // 60
STEP = 4  # the largest gap between employee numbers (`people.plan_people`)


@dataclass(frozen=True, slots=True)
class Version:
    """A current policy version (in force on the demo's day), which associates acknowledge."""

    id: uuid.UUID
    published_on: date
    effective_on: date


@dataclass(frozen=True, slots=True)
class Prepared:
    versions: tuple[Version, ...]
    #: When the demo was made: open claims were received shortly before.
    now: datetime


# ---- policies, once ----------------------------------------------------------------------


def _published_at(today: date, days: int, index: int) -> datetime:
    """A weekday morning `days` before `today` (a weekend moves to the Friday)."""
    day = today - timedelta(days=days)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(8, 30), tzinfo=UTC) + timedelta(minutes=7 * index)


def prepare(db: Database, hr: Actor, today: date) -> Prepared:
    """Publish HR's policies through `policy_service` (validated and audited) as they came
    out, HR acknowledging each; record the managers' and supervisors' acknowledgements."""
    now = utcnow()
    versions: list[Version] = []
    user_acks: list[tuple[uuid.UUID, datetime, datetime]] = []
    index = 0
    for title, drafts in texts.POLICIES:
        made = []
        for draft in drafts:
            at = _published_at(today, draft.published, index)
            effective = max(at.date(), today - timedelta(days=draft.effective))
            info = policy_service.publish(
                db, hr, NewVersion(title, effective, body=draft.body), now=at
            )
            policy_service.acknowledge(
                db, hr, title, number=info.number, now=at + timedelta(minutes=20)
            )
            made.append((info.id, at, effective, info.acknowledge_by))
            index += 1
        for number, (vid, at, effective, due) in enumerate(made):
            if effective > today:
                continue
            following = made[number + 1][2] if number + 1 < len(made) else None
            until = following if following is not None and following <= today else None
            if until is None:
                versions.append(Version(vid, at.date(), effective))
            user_acks.append((vid, at, due))
    _staff_acknowledgements(db, hr, user_acks, today)
    return Prepared(tuple(versions), now)


def _staff_acknowledgements(
    db: Database,
    hr: Actor,
    versions: list[tuple[uuid.UUID, datetime, datetime]],
    today: date,
) -> None:
    """The managers' and supervisors' own acknowledgements, written as the demo writes the
    files (one `demo.generate` entry, with the count): every version in force, within its
    window and a few late; one in five has not acknowledged a version of the last week."""
    with db.transaction() as session:
        users = sorted(
            session.execute(
                select(User.username, User.id).where(
                    User.role.in_((Role.SITE_MANAGER, Role.SUPERVISOR))
                )
            ).all()
        )
        written = []
        for vid, published, due in versions:
            recent = published.date() >= today - timedelta(days=RECENT_VERSION_DAYS)
            for number, (_, user_id) in enumerate(users):
                if recent and number % 5 == 2:
                    continue
                at = (
                    due + timedelta(hours=3 + number % 20)
                    if number % 7 == 4
                    else published + (due - published) * ((number % 9 + 1) / 10)
                )
                written.append(PolicyUserAck(version_id=vid, user_id=user_id, acknowledged_at=at))
        session.add_all(written)
        session.flush()
        audit.append(
            session,
            "demo.generate",
            actor=hr,
            entity_type=PolicyUserAck.__tablename__,
            details={"rows": len(written), "associates": "staff"},
        )


# ---- one associate's rows ----------------------------------------------------------------


def scenario_of(person: Person, today: date) -> str | None:
    """The scenario the associate's employee number asks them to show, if it fits them."""
    try:
        offset = int(person.employee_no[1:]) - FIRST_EMPLOYEE_NO
    except ValueError:
        return None
    slot = (offset - 1) // STEP
    if not 0 <= slot < len(SCENARIOS) * COPIES:
        return None
    scenario = SCENARIOS[slot % len(SCENARIOS)]
    if scenario == "closed":
        return scenario if person.tenure_days(today) >= 30 else None
    recent = person.hire_date <= today - timedelta(days=14)
    return scenario if person.status is AssociateStatus.ACTIVE and recent else None


def rows(
    owner: Owner,
    staff: Staff,
    prepared: object,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> dict[str, list[Row]]:
    """The associate's acknowledgements, notes and claims."""
    if not isinstance(prepared, Prepared):
        raise TypeError("policy_records.rows takes what its prepare returned")
    person = owner.person
    out: dict[str, list[Row]] = {_ACKS.name: [], _NOTES.name: [], _CLAIMS.name: []}
    end = min(person.last_day(today), today)
    if end < person.hire_date:
        return out
    out[_ACKS.name] = _acknowledgements(owner, staff, prepared, end, today, rng, tally)
    out[_NOTES.name] = _notes(owner, staff, end, today, rng, tally)
    claims = out[_CLAIMS.name]
    now = prepared.now
    scenario = scenario_of(person, today)
    if scenario is not None:
        received = _received(scenario, person, now, today, rng)
        claims.append(_claim(owner, staff, now, received, scenario, rng, tally))
    if person.tenure_days(today) >= 14 and rng.random() < CLAIM_SHARE:
        first = max(person.hire_date + timedelta(days=14), end - timedelta(days=365))
        last = min(end, today - timedelta(days=2))
        active = person.status is AssociateStatus.ACTIVE
        for _ in range(2 if rng.random() < TWO_CLAIMS else 1):
            if first > last:
                break
            day = day_between(rng, first, last)
            recent = day >= today - timedelta(days=RECENT_DAYS)
            waiting = recent and active and rng.random() < STILL_RESPONDED
            state = "responded" if waiting else "closed"
            claims.append(_claim(owner, staff, now, at_work(day, rng), state, rng, tally))
    return out


def _acknowledgements(
    owner: Owner,
    staff: Staff,
    prepared: Prepared,
    end: date,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> list[Row]:
    """Each current version that came into force while the associate worked here,
    acknowledged a few days after it came out (or in their first week); some still
    outstanding. Rows are made directly (every column given): there are several per
    associate."""
    person = owner.person
    supervisor = staff.supervisors[person.team]
    counted = person.status is not AssociateStatus.TERMINATED
    recent = today - timedelta(days=RECENT_VERSION_DAYS)
    found: list[Row] = []
    for version in prepared.versions:
        if end < version.effective_on:
            continue
        if counted:
            if version.published_on >= recent:
                missing = OUTSTANDING_RECENT.get(person.status, 0.0)
            elif person.hire_date >= today - timedelta(days=5):
                missing = 0.5
            else:
                missing = 0.01
            if rng.random() < missing:
                continue
        start = max(version.published_on, person.hire_date)
        day = min(start + timedelta(days=_ACK_DELAYS[int(rng.random() * len(_ACK_DELAYS))]), end)
        found.append(
            {
                "version_id": version.id,
                "associate_id": owner.associate_id,
                "acknowledged_on": day,
                "recorded_by": supervisor,
                "recorded_at": datetime.combine(day, _OPENS, tzinfo=UTC)
                + timedelta(minutes=int(rng.random() * 600)),
            }
        )
        tally.add(KIND, "acknowledged")
    return found


def _writer(owner: Owner, staff: Staff, rng: random.Random) -> uuid.UUID:
    """Who writes a note or handles a claim: mostly the team's supervisor."""
    team = owner.person.team
    draw = rng.random()
    if draw < 0.85:
        return staff.supervisors[team]
    return staff.managers[team] if draw < 0.95 else staff.hr


def _notes(
    owner: Owner, staff: Staff, end: date, today: date, rng: random.Random, tally: Tally
) -> list[Row]:
    """Notes of the associate's last year. Rows are made directly (every column given) and
    drawn with `random()` alone: most associates have some, so this runs often."""
    person = owner.person
    draw = rng.random
    count = min(NOTES[int(draw() * len(NOTES))], 1 + person.tenure_days(today) // 30)
    first = max(person.hire_date, end - timedelta(days=365))
    span = (end - first).days + 1
    found: list[Row] = []
    for _ in range(count):
        day = first + timedelta(days=int(draw() * span))
        feedback = draw() < FEEDBACK_SHARE
        kind = NoteKind.FEEDBACK if feedback else NoteKind.CONVERSATION
        pool = texts.FEEDBACK if feedback else texts.CONVERSATIONS
        note_id = uuid.uuid4()
        written = day if day == today or draw() < 0.75 else day + timedelta(days=1)
        created = datetime.combine(written, _OPENS, tzinfo=UTC) + timedelta(
            minutes=int(draw() * 600)
        )
        edited = draw() < EDITED_SHARE
        text = pool[int(draw() * len(pool))].format(
            day=f"{day.day} {_MONTHS[day.month]} {day.year}"
        )
        found.append(
            {
                "id": note_id,
                "associate_id": owner.associate_id,
                "kind": kind,
                "noted_on": day,
                "text_enc": owner.cipher.encrypt(_NOTES.name, "text_enc", str(note_id), text),
                "author_id": _writer(owner, staff, rng),
                "created_at": created,
                "updated_at": created + timedelta(minutes=5 + int(draw() * 600))
                if edited
                else None,
                "version": 2 if edited else 1,
            }
        )
        tally.add(KIND, kind.value)
    return found


def _received(
    scenario: str, person: Person, now: datetime, today: date, rng: random.Random
) -> datetime:
    """When a scenario's claim came in: minutes ago (open), hours ago (overdue), in the last
    days (responded), or in the associate's last months (closed)."""
    if scenario == "open":
        return min(datetime.combine(today, time(17, 40), tzinfo=UTC), now - timedelta(minutes=10))
    if scenario == "overdue":
        return min(datetime.combine(today, time(9, 10), tzinfo=UTC), now - timedelta(hours=3))
    if scenario == "responded":
        first, last = today - timedelta(days=5), today - timedelta(days=1)
    else:
        end = min(person.last_day(today), today - timedelta(days=2))
        first, last = max(person.hire_date + timedelta(days=14), end - timedelta(days=200)), end
    return at_work(day_between(rng, first, last), rng)


def _claim(
    owner: Owner,
    staff: Staff,
    now: datetime,
    received: datetime,
    state: str,
    rng: random.Random,
    tally: Tally,
) -> Row:
    """A claim received at `received` in `state` ("open" and "overdue" are both open)."""
    claim_id = uuid.uuid4()
    team = owner.person.team
    delay = rng.randint(2, 12)
    logged = received + timedelta(minutes=delay)
    client = None
    if rng.random() < 0.8:
        client = rng.choice(texts.CLIENTS).format(
            name=any_name(rng), digits=rng.randint(1000, 9999)
        )
    values: dict[str, object] = {
        "id": claim_id,
        "associate_id": owner.associate_id,
        "state": ClaimState.OPEN,
        "received_at": received,
        "logged_by": staff.supervisors[team],
        "logged_at": min(logged, now),
        "version": 1,
    }
    sealed: dict[str, str | None] = {"claim_enc": rng.choice(texts.CLAIMS), "client_enc": client}
    outcome: ClaimOutcome | None = None
    if state in ("responded", "closed"):
        late = rng.random() >= ON_TIME
        minutes = rng.randint(_WITHIN + 1, 240) if late else rng.randint(delay + 1, _WITHIN - 1)
        responded = received + timedelta(minutes=minutes)
        values.update(
            state=ClaimState.RESPONDED,
            responded_at=min(responded, now),
            responded_by=pick(rng, ((staff.supervisors[team], 80), (staff.managers[team], 20))),
            version=2,
        )
        sealed["response_enc"] = rng.choice(texts.RESPONSES)
        if state == "closed":
            outcome = pick(rng, OUTCOMES)
            closed = responded + timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 300))
            values.update(
                state=ClaimState.CLOSED,
                closed_at=max(min(closed, now), responded),
                closed_by=pick(rng, ((staff.supervisors[team], 70), (staff.managers[team], 30))),
                outcome=outcome,
                version=3,
            )
            if rng.random() < 0.7:
                sealed["outcome_notes_enc"] = texts.OUTCOME_NOTES[
                    rng.choice(_OUTCOME_NOTES[outcome])
                ]
    values.update(seal(owner.cipher, _CLAIMS.name, claim_id, sealed))
    stored = values["state"]
    assert isinstance(stored, ClaimState)  # noqa: S101 - set above
    tally.add(KIND, f"claim {stored.value}", None if outcome is None else outcome.value)
    return full_row(_CLAIMS, values)
