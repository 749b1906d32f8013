"""Finding policies and their versions, HR's acknowledgement settings, and the DTOs of both.

Shared by `service` (publishing, reading), `acks` (acknowledgements) and
`due` (the inbox). Nothing here checks permissions: the callers do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crmsup.records.errors import NotFound, ValidationFailed
from crmsup.records.names import usernames
from crmsup.records.policies.dto import AckSettings, PolicyRetirement, PolicyVersionInfo
from crmsup.records.policies.models import Policy, PolicySettings, PolicyVersion
from crmsup.records.policies.rules import (
    DEFAULT_ACK_MINUTES,
    DEFAULT_CLOSES,
    DEFAULT_OPENS,
    DEFAULT_ZONE,
    BusinessHours,
    current_versions,
)

SETTINGS_ID = 1
#: How the audit trail names the settings row.
SETTINGS_ENTITY = uuid.UUID(int=SETTINGS_ID)
ENTITY = "policy_version"


def settings_row(session: Session, *, lock: bool = False) -> PolicySettings:
    """HR's settings row, or an unsaved one holding the defaults while HR has set none."""
    row = session.get(PolicySettings, SETTINGS_ID, with_for_update=lock)
    if row is None:
        row = PolicySettings(
            id=SETTINGS_ID,
            ack_minutes=DEFAULT_ACK_MINUTES,
            time_zone=DEFAULT_ZONE,
            opens_minute=DEFAULT_OPENS,
            closes_minute=DEFAULT_CLOSES,
            version=0,
        )
    return row


def settings_of(row: PolicySettings) -> AckSettings:
    return AckSettings(
        row.ack_minutes, row.time_zone, row.opens_minute, row.closes_minute, row.version
    )


def hours_of(row: PolicySettings) -> BusinessHours:
    return BusinessHours(row.time_zone, row.opens_minute, row.closes_minute)


def business_zone(session: Session) -> ZoneInfo:
    """The organisation's business time zone (HR's setting): the zone whose days the inbox
    dates its items by."""
    return hours_of(settings_row(session)).tz


def local_today(session: Session, now: datetime) -> date:
    """The date of `now` in the organisation's business zone: versions come into force on
    local days."""
    return now.astimezone(hours_of(settings_row(session)).tz).date()


def find_policy(session: Session, title: str, *, lock: bool = False) -> Policy | None:
    query = select(Policy).where(func.lower(Policy.title) == title.strip().lower())
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def require_policy(session: Session, title: str, *, lock: bool = False) -> Policy:
    policy = find_policy(session, title, lock=lock)
    if policy is None:
        raise NotFound(f"there is no policy titled {title.strip()!r}")
    return policy


def is_retired(policy: Policy, today: date) -> bool:
    """Whether the policy no longer applies on `today` (a retirement set for a later day
    leaves it in force until then)."""
    return policy.retired_on is not None and policy.retired_on <= today


def retired(policy: Policy) -> ValidationFailed:
    """The refusal of anything asking for the current version of a retired policy."""
    return ValidationFailed(f"policy {policy.title!r} was retired on {policy.retired_on:%Y-%m-%d}")


def current_version(session: Session, policy: Policy, today: date) -> PolicyVersion:
    """The policy's version in force on `today`; ValidationFailed before the first one and
    from the day it is retired."""
    if is_retired(policy, today):
        raise retired(policy)
    rows = session.scalars(select(PolicyVersion).where(PolicyVersion.policy_id == policy.id))
    found = current_versions(((v.policy_id, v.number, v.effective_on, v) for v in rows), today)
    if policy.id not in found:
        raise ValidationFailed(f"no version of policy {policy.title!r} is in force yet")
    return found[policy.id]


def last_version(session: Session, policy: Policy) -> PolicyVersion:
    """What a retired policy said last: the version in force on the eve of its retirement,
    or, when none had come into force by then, its newest published version."""
    versions = list(
        session.scalars(select(PolicyVersion).where(PolicyVersion.policy_id == policy.id))
    )
    if policy.retired_on is not None:
        eve = policy.retired_on - timedelta(days=1)
        found = current_versions(
            ((v.policy_id, v.number, v.effective_on, v) for v in versions), eve
        )
        if policy.id in found:
            return found[policy.id]
    return max(versions, key=lambda v: v.number)


def version_by_number(session: Session, policy: Policy, number: int) -> PolicyVersion:
    query = select(PolicyVersion).where(
        PolicyVersion.policy_id == policy.id, PolicyVersion.number == number
    )
    found = session.scalars(query).one_or_none()
    if found is None:
        raise NotFound(f"policy {policy.title!r} has no version {number}")
    return found


def current_version_ids(session: Session, today: date) -> dict[uuid.UUID, uuid.UUID]:
    """{policy id: id of its current version} for every policy not retired on `today`, in
    one query."""
    rows = session.execute(
        select(
            PolicyVersion.policy_id,
            PolicyVersion.number,
            PolicyVersion.effective_on,
            PolicyVersion.id,
        )
        .join(Policy, Policy.id == PolicyVersion.policy_id)
        .where(or_(Policy.retired_on.is_(None), Policy.retired_on > today))
    )
    found = current_versions(((p, n, e, v) for p, n, e, v in rows), today)
    return {uuid.UUID(str(p)): v for p, v in found.items()}


def infos(
    session: Session, versions: Iterable[PolicyVersion], today: date
) -> list[PolicyVersionInfo]:
    """The versions as DTOs, with titles and publishers looked up once for all."""
    versions = list(versions)
    policies = {
        p.id: p
        for p in session.scalars(
            select(Policy).where(Policy.id.in_({v.policy_id for v in versions}))
        )
    }
    people = usernames(
        session,
        [*(v.published_by for v in versions), *(p.retired_by for p in policies.values())],
    )
    current = set(current_version_ids(session, today).values()) if versions else set()
    return [
        PolicyVersionInfo(
            id=v.id,
            policy_id=v.policy_id,
            title=policies[v.policy_id].title,
            number=v.number,
            effective_on=v.effective_on,
            published_by=people[v.published_by],
            published_at=v.published_at,
            acknowledge_by=v.acknowledge_by,
            body=v.body,
            document_name=v.document_name,
            document_type=v.document_type,
            document_size=v.document_size,
            current=v.id in current,
            retirement=retirement_of(policies[v.policy_id], people),
        )
        for v in versions
    ]


def retirement_of(policy: Policy, people: dict[uuid.UUID, str]) -> PolicyRetirement | None:
    """The policy's retirement as a DTO (`people`: user names by id, its retirer among them)."""
    if policy.retired_on is None or policy.retired_by is None or policy.retired_at is None:
        return None
    return PolicyRetirement(
        policy.retired_on, people[policy.retired_by], policy.retired_at, policy.retire_reason or ""
    )
