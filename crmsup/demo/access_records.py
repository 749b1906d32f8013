"""The demo's access and IT requests: a new associate's accounts for each hire of the last
months, changes of systems, equipment and other requests, in every state of their life cycle
(`access.rules`), with ageing — some waiting for a decision or for IT past their due day.

What IT reads of a request (the name copy, justification, decision comment, notes) is sealed
under the organisation's access key, exactly as `access.service.file_request` seals it
(`access.content.seal_text`: the request's table, column and id, the cipher's key id
`access:<scope key id>`); the key's bytes reach the workers in what `prepare` returns, as the
team keys do in `file_batch.Setting`. Systems and roles are plain lines; a new associate's
lines done before a termination are what the termination's revocation (`reactions`,
run after the batch's rows are written) finds to revoke.

crmsup has been filing requests for `WINDOW_DAYS`: accounts of associates hired before that
were made outside it and are on no line.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select

from crmsup.demo.people import Owner
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.access.content import TABLE
from crmsup.records.access.models import (
    AccessKind,
    AccessRequest,
    AccessRequestLine,
    AccessState,
    LineAction,
    LineState,
)
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.keyring import access_cipher, unseal_scope_key
from crmsup.records.models import AssociateStatus, Base, User
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Role

KIND = "access"
TABLES: tuple[type[Base], ...] = (AccessRequest, AccessRequestLine)

#: How long the organisation has filed its access requests in crmsup.
WINDOW_DAYS = 365
#: Of the associates at work through the window, who had one request of each kind filed.
CHANGE_SHARE = 0.12
EQUIPMENT_SHARE = 0.10
OTHER_SHARE = 0.04
#: Of decided requests, the share a site manager or HR denied.
DENIED_SHARE = 0.04
#: Of approved requests of several lines, the share IT has begun line by line.
PARTLY_SHARE = 0.5

_REQUESTS = table_of(AccessRequest)
_LINES = table_of(AccessRequestLine)
_S = AccessState
_G, _R = LineAction.GRANT, LineAction.REVOKE

#: What every agent of a queue logs into on day one.
_BASE: tuple[tuple[str, str], ...] = (
    ("Active Directory", "Standard user"),
    ("Microsoft 365", "E3 user"),
    ("Genesys Cloud", "Agent"),
    ("Salesforce Service Cloud", "Agent"),
    ("Confluence", "Reader"),
)
#: More by a word of the job title (a queue's or a special one).
_BY_TITLE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Technical Support", (("Jira Service Management", "Agent"),)),
    ("Sales", (("Salesforce Sales Cloud", "Sales rep"),)),
    ("Retention", (("Salesforce Sales Cloud", "Retention offers"),)),
    ("Collections", (("Debt Manager", "Collector"), ("Payment gateway", "Refund viewer"))),
    ("Claims", (("Guidewire ClaimCenter", "Adjuster"),)),
    ("Escalations", (("Jira Service Management", "Escalation agent"),)),
    ("Account Specialist", (("Salesforce Service Cloud", "Premium accounts"),)),
    ("Digital Support", (("Zendesk", "Chat and e-mail agent"),)),
    ("Back Office", (("SharePoint", "Back office documents"),)),
    ("Onboarding", (("DocuSign", "Sender"),)),
    ("Quality Analyst", (("Genesys Cloud", "Quality evaluator"),)),
    ("Trainer", (("Confluence", "Editor"), ("Moodle", "Teacher"))),
    ("Workforce Planner", (("NICE IEX WFM", "Planner"),)),
    ("Team Lead", (("Genesys Cloud", "Supervisor"), ("NICE IEX WFM", "Team viewer"))),
    ("Senior", (("Salesforce Service Cloud", "Escalation approver"),)),
)
_NEW_WHY = (
    "New starter on {day}: the standard accounts of a {title}, ready for the first day of "
    "induction."
)
#: (justification, lines) of change requests.
_CHANGE_OPTIONS: tuple[tuple[tuple[str, tuple[tuple[str, str, LineAction], ...]], int], ...] = (
    (
        (
            "Cross-skilled to chat after the digital course: needs the chat queue.",
            (("Zendesk", "Chat and e-mail agent", _G),),
        ),
        30,
    ),
    (
        (
            "Covers the team lead on late shifts from next week.",
            (("Genesys Cloud", "Supervisor", _G), ("NICE IEX WFM", "Team viewer", _G)),
        ),
        20,
    ),
    (
        (
            "Moves from e-mail to voice: inbound queue on, e-mail queue off.",
            (("Genesys Cloud", "Inbound voice", _G), ("Zendesk", "Chat and e-mail agent", _R)),
        ),
        20,
    ),
    (
        (
            "Joins the calibration panel: quality evaluation forms for two months.",
            (("Genesys Cloud", "Quality evaluator", _G),),
        ),
        15,
    ),
    (
        (
            "Refund limit raised after the payments training was passed.",
            (("Payment gateway", "Refund approver", _G), ("Payment gateway", "Refund viewer", _R)),
        ),
        15,
    ),
)
_EQUIPMENT = (
    ("Headset broken (left ear cup): replacement USB headset needed.", 40),
    ("Second monitor requested: works two CRM screens side by side.", 20),
    ("Laptop replacement: battery no longer holds a charge for a shift at home.", 20),
    ("Occupational health assessment recommends a sit-stand desk.", 10),
    ("New badge: the old one was lost on the way to work.", 10),
)
#: (justification, lines) of other requests.
_OTHER: tuple[tuple[tuple[str, tuple[tuple[str, str, LineAction], ...]], int], ...] = (
    (
        (
            "Home working two days a week: VPN access needed.",
            (("GlobalProtect VPN", "Home worker", _G),),
        ),
        40,
    ),
    (
        (
            "Access to the complaints shared mailbox to cover holidays.",
            (("Microsoft 365", "Complaints mailbox", _G),),
        ),
        35,
    ),
    (("Phone replaced: the MFA token must be registered again.", ()), 25),
)
_DENIALS = (
    "Not needed for this role; discuss with the team lead first.",
    "Duplicate of a request already provisioned.",
    "The budget for this quarter is spent: ask again next quarter.",
)
_APPROVALS = ("Approved.", "OK for the period requested.", "Agreed with the team lead.")
_NOTES = (
    "Done; temporary password sent to the supervisor.",
    "Accounts created; MFA to be enrolled on the first day.",
    "Delivered to the site's IT desk.",
    "Licence assigned from the pool.",
)


@dataclass(frozen=True, slots=True)
class AccessSetup:
    """The access key the requests are sealed under, and who provisions them (IT: the
    admin, the one role that holds ACCESS_PROVISION)."""

    scope_key_id: uuid.UUID
    key: bytes = field(repr=False)
    it: uuid.UUID


def prepare(db: Database, hr: Actor, today: date) -> AccessSetup:
    """The organisation's access key (made at `init`), opened with HR's copy of it, as a
    keeper filing a request opens it (`keyring.access_cipher`)."""
    del today
    with db.transaction() as session:
        scope_key, _ = access_cipher(session, hr)
        key = unseal_scope_key(session, hr, scope_key.id)
        admin = session.scalars(
            select(User.id).where(User.role == Role.ADMIN).order_by(User.username)
        ).first()
    if admin is None:
        raise LookupError("the demo organisation has no admin to provision access")
    return AccessSetup(scope_key.id, key, admin)


@lru_cache(maxsize=4)
def _cipher(key: bytes, scope_key_id: uuid.UUID) -> FieldCipher:
    return FieldCipher(key, f"access:{scope_key_id}")


def systems_of(title: str) -> tuple[tuple[str, str], ...]:
    """What a new associate of `title` is given."""
    lines = list(_BASE)
    for word, extra in _BY_TITLE:
        if word in title:
            lines += [x for x in extra if x not in lines]
    return tuple(lines)


def rows(
    owner: Owner,
    staff: Staff,
    prepared: object,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> dict[str, list[Row]]:
    if not isinstance(prepared, AccessSetup):
        raise TypeError("access rows need the access key that `prepare` opened")
    file = _File(owner, staff, prepared, today, rng)
    person = owner.person
    start = today - timedelta(days=WINDOW_DAYS)
    last = person.last_day(today)
    if person.hire_date >= start:
        title = person.job_title
        lines = tuple((s, r, _G) for s, r in systems_of(title))
        why = _NEW_WHY.format(day=person.hire_date.isoformat(), title=title)
        filed = max(person.hire_date - timedelta(days=rng.randint(2, 12)), start)
        file.request(AccessKind.NEW, filed, person.hire_date, why, lines, tally)
    first = max(start, person.hire_date + timedelta(days=30))
    if first <= last:
        for kind, share in (
            (AccessKind.CHANGE, CHANGE_SHARE),
            (AccessKind.EQUIPMENT, EQUIPMENT_SHARE),
            (AccessKind.OTHER, OTHER_SHARE),
        ):
            if rng.random() < share:
                day = day_between(rng, first, last)
                why, lines = _content(kind, rng)
                effective = day + timedelta(days=7) if kind is AccessKind.CHANGE else None
                file.request(kind, day, effective, why, lines, tally)
    return {_REQUESTS.name: file.requests, _LINES.name: file.lines}


def _content(
    kind: AccessKind, rng: random.Random
) -> tuple[str, tuple[tuple[str, str, LineAction], ...]]:
    if kind is AccessKind.CHANGE:
        return pick(rng, _CHANGE_OPTIONS)
    if kind is AccessKind.EQUIPMENT:
        return pick(rng, _EQUIPMENT), ()
    return pick(rng, _OTHER)


def _state(filed: date, today: date, ended: bool, rng: random.Random) -> AccessState:
    """A request's state by its age: recent ones mostly wait, older ones are mostly done;
    a few wait past their due day. A terminated associate's requests all ended."""
    age = (today - filed).days
    if ended:
        return pick(rng, ((_S.CLOSED, 88), (_S.DENIED, 4), (_S.CANCELLED, 8)))
    waiting, approved, provisioned, closed = (
        (35, 40, 10, 0) if age <= 7 else (8, 18, 30, 29) if age <= 30 else (1, 2, 6, 82)
    )
    weights = (
        (_S.REQUESTED, waiting),
        (_S.APPROVED, approved),
        (_S.PROVISIONED, provisioned),
        (_S.CLOSED, closed),
        (_S.CANCELLED, 5),
        (_S.DENIED, 5 if age <= 30 else 4),
    )
    return pick(rng, weights)


class _File:
    """One associate's requests and lines, as the services would have left them."""

    def __init__(
        self, owner: Owner, staff: Staff, setup: AccessSetup, today: date, rng: random.Random
    ) -> None:
        self.owner, self.staff, self.setup, self.today, self.rng = owner, staff, setup, today, rng
        self.cipher = _cipher(setup.key, setup.scope_key_id)
        self.requests: list[Row] = []
        self.lines: list[Row] = []
        person = owner.person
        self.name = f"{person.first_name} {person.last_name}"
        self.ended = person.status is AssociateStatus.TERMINATED
        #: Nothing happens to a request after the associate's last day (or today).
        self.last = person.last_day(today)

    def _seal(self, request_id: uuid.UUID, column: str, text: str | None) -> bytes | None:
        if text is None:
            return None
        return self.cipher.encrypt(TABLE, column, str(request_id), text)

    def _after(self, moment: datetime, days: tuple[int, int]) -> datetime:
        """A working moment `days` after `moment`, never after the last day."""
        day = moment.date() + timedelta(days=self.rng.randint(*days))
        day = min(day, self.last)
        later = at_work(day, self.rng)
        return max(later, moment + timedelta(minutes=5))

    def request(
        self,
        kind: AccessKind,
        filed_on: date,
        effective_on: date | None,
        why: str,
        specs: tuple[tuple[str, str, LineAction], ...],
        tally: Tally,
    ) -> None:
        rng, staff, team = self.rng, self.staff, self.owner.person.team
        filed_on = min(filed_on, self.last)
        state = _state(filed_on, self.today, self.ended, rng)
        request_id = uuid.uuid4()
        filer = pick(
            rng, ((staff.supervisors[team], 70), (staff.managers[team], 15), (staff.hr, 15))
        )
        filed_at = at_work(filed_on, rng)
        values: Row = {
            "id": request_id,
            "associate_id": self.owner.associate_id,
            "kind": kind,
            "state": state,
            "effective_on": effective_on,
            "automatic": False,
            "scope_key_id": self.setup.scope_key_id,
            "person_name_enc": self._seal(request_id, "person_name_enc", self.name),
            "justification_enc": self._seal(request_id, "justification_enc", why),
            "filed_by": filer,
            "filed_at": filed_at,
        }
        version = 1
        decided = state not in (_S.REQUESTED, _S.CANCELLED)
        denied = state is _S.DENIED or (state is _S.CLOSED and rng.random() < DENIED_SHARE)
        if state is _S.CANCELLED:
            values |= {"closed_by": filer, "closed_at": self._after(filed_at, (0, 3))}
            version += 1
        decided_at = filed_at
        if decided:
            decider = pick(rng, ((staff.managers[team], 75), (staff.hr, 25)))
            decided_at = self._after(filed_at, (0, 4) if state is not _S.APPROVED else (0, 2))
            comment = (
                rng.choice(_DENIALS)
                if denied
                else (rng.choice(_APPROVALS) if rng.random() < 0.3 else None)
            )
            values |= {
                "decided_by": decider,
                "decided_at": decided_at,
                "decision_comment_enc": self._seal(request_id, "decision_comment_enc", comment),
            }
            version += 1
        done_all = not denied and state in (_S.PROVISIONED, _S.CLOSED)
        # An approved request may be partly provisioned: IT works line by line.
        done_some = state is _S.APPROVED and len(specs) > 1 and rng.random() < PARTLY_SHARE
        done_count = (
            len(specs) if done_all else (rng.randint(1, len(specs) - 1) if done_some else 0)
        )
        provisioned_at = decided_at
        if done_all or done_some:
            provisioned_at = self._after(decided_at, (0, 2))
            version += 1
        if done_all:
            values |= {
                "provisioned_by": self.setup.it,
                "provisioned_at": provisioned_at,
                "notes_enc": self._seal(
                    request_id,
                    "notes_enc",
                    rng.choice(_NOTES) if rng.random() < 0.25 else None,
                ),
            }
        if state is _S.CLOSED:
            values |= {
                "closed_by": self.setup.it,
                "closed_at": self._after(provisioned_at, (0, 5)),
            }
            version += 1
        values["version"] = version
        self.requests.append(full_row(_REQUESTS, values))
        for position, (system, role, action) in enumerate(specs, start=1):
            done = position <= done_count
            self.lines.append(
                full_row(
                    _LINES,
                    {
                        "id": uuid.uuid4(),
                        "request_id": request_id,
                        "associate_id": self.owner.associate_id,
                        "position": position,
                        "system": system,
                        "role": role,
                        "action": action,
                        "state": LineState.DONE if done else LineState.PENDING,
                        "provisioned_by": self.setup.it if done else None,
                        "provisioned_at": provisioned_at if done else None,
                    },
                )
            )
        tally.add(KIND, state.value, kind.value)
