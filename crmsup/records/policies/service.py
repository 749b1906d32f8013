"""Policies: HR publishes versions, every account reads them.

A policy is named by its title; each publication adds a version (1, 2, …) that is never
edited afterwards: a correction is a new version, which everyone acknowledges again. The
current version is the newest in force (`rules.current_versions`). Policies are not
personal data, so they are stored plain and reading them is not audited; publishing and
changing the acknowledgement settings are, in the transaction of the change, and every
refusal is audited (`audit.denials_recorded`).

Acknowledgements are in `acks`, the inbox items in `due`, retirement in
`retirement`; all are re-exported. A retired policy takes no new version: its
replacement is published under a new title.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, stale_edits
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, StaleEdit, ValidationFailed
from crmsup.records.policies.acks import (
    acknowledge,
    associate_acknowledgements,
    outstanding,
    record_associate_acknowledgement,
)
from crmsup.records.policies.content import (
    ENTITY,
    SETTINGS_ENTITY,
    business_zone,
    current_version_ids,
    find_policy,
    hours_of,
    infos,
    is_retired,
    last_version,
    local_today,
    require_policy,
    settings_of,
    settings_row,
    version_by_number,
)
from crmsup.records.policies.dto import (
    AckSettings,
    NewVersion,
    PolicyDocumentFile,
    PolicyRow,
    PolicyVersionInfo,
)
from crmsup.records.policies.due import due_items
from crmsup.records.policies.models import Policy, PolicyDocument, PolicyUserAck, PolicyVersion
from crmsup.records.policies.retirement import retire
from crmsup.records.policies.rules import (
    BusinessHours,
    acknowledge_by,
    check_hours,
    clean_publication,
)
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.records.validation import name
from crmsup.security.permissions import Action

__all__ = [
    "acknowledge",
    "associate_acknowledgements",
    "business_zone",
    "due_items",
    "get_document",
    "get_policy",
    "get_settings",
    "list_policies",
    "outstanding",
    "publish",
    "record_associate_acknowledgement",
    "retire",
    "set_settings",
]


def get_settings(db: Database, actor: Actor) -> AckSettings:
    with audit.denials_recorded(db, actor, "policy.settings", "policy_settings"):
        require(actor, Action.POLICY_READ)
    with db.transaction() as session:
        return settings_of(settings_row(session))


def set_settings(
    db: Database,
    actor: Actor,
    *,
    ack_minutes: int,
    time_zone: str,
    opens_minute: int,
    closes_minute: int,
    expected_version: int | None = None,
) -> AckSettings:
    """Change the acknowledgement window and business hours (HR). Versions published from
    now on get deadlines by the new settings; those already published keep theirs."""
    with audit.denials_recorded(db, actor, "policy.settings", "policy_settings"):
        require(actor, Action.POLICY_PUBLISH)
    zone = name(time_zone, "time zone", max_length=64)
    check_hours(BusinessHours(zone, opens_minute, closes_minute), ack_minutes)
    try:
        with db.transaction() as session:
            row = settings_row(session, lock=True)
            if expected_version is not None and row.version != expected_version:
                raise _stale_settings(session, row.version, expected_version)
            new = (ack_minutes, zone, opens_minute, closes_minute)
            old = (row.ack_minutes, row.time_zone, row.opens_minute, row.closes_minute)
            if new == old and row.version:
                return settings_of(row)
            fields = ["ack_minutes", "time_zone", "opens_minute", "closes_minute"]
            changed = [f for f, a, b in zip(fields, old, new, strict=True) if a != b]
            row.ack_minutes, row.time_zone, row.opens_minute, row.closes_minute = new
            if not row.version:
                row.version = 1
                session.add(row)
            session.flush()
            audit.append(
                session,
                "policy.settings",
                actor=actor,
                entity_type="policy_settings",
                entity_id=SETTINGS_ENTITY,
                details={"fields": changed, "version": row.version},
            )
            return settings_of(row)
    except StaleDataError:
        with db.transaction() as session:
            current = settings_row(session).version
            raise _stale_settings(session, current, expected_version) from None


def _stale_settings(session: Session, current: int, read: int | None) -> StaleEdit:
    return stale_edits.stale_edit(
        session,
        "policy_settings",
        SETTINGS_ENTITY,
        "the policy acknowledgement settings",
        current,
        read,
    )


def publish(
    db: Database, actor: Actor, new: NewVersion, *, now: datetime | None = None
) -> PolicyVersionInfo:
    """Publish `new` as version 1 of a new policy, or as the next version of the policy of
    that title; its acknowledgement deadline is fixed now, from HR's settings."""
    with audit.denials_recorded(db, actor, "policy.publish", ENTITY):
        require(actor, Action.POLICY_PUBLISH)
    title, body = clean_publication(new.title, new.body, new.document, new.document_name)
    at = now or utcnow()
    with db.transaction() as session:
        policy = find_policy(session, title, lock=True)
        if policy is not None and policy.retired_on is not None:
            raise ValidationFailed(
                f"policy {policy.title!r} is retired from {policy.retired_on:%Y-%m-%d}; "
                "publish it under a new title"
            )
        if policy is None:
            policy = Policy(id=uuid.uuid4(), title=title, created_by=actor.user_id, created_at=at)
            session.add(policy)
            session.flush()
        number = 1 + (
            session.scalar(
                select(func.max(PolicyVersion.number)).where(PolicyVersion.policy_id == policy.id)
            )
            or 0
        )
        settings = settings_row(session)
        version = PolicyVersion(
            id=uuid.uuid4(),
            policy_id=policy.id,
            number=number,
            effective_on=new.effective_on,
            body=body,
            published_by=actor.user_id,
            published_at=at,
            acknowledge_by=acknowledge_by(
                at, new.effective_on, settings.ack_minutes, hours_of(settings)
            ),
        )
        if new.document is not None:
            version.document_name = (new.document_name or "").strip()
            version.document_type = name(new.document_type, "document's media type", max_length=100)
            version.document_size = len(new.document)
        session.add(version)
        session.flush()
        if new.document is not None:
            session.add(PolicyDocument(version_id=version.id, content=new.document))
        audit.append(
            session,
            "policy.publish",
            actor=actor,
            entity_type=ENTITY,
            entity_id=version.id,
            details={
                "policy": str(policy.id),
                "number": number,
                "effective_on": new.effective_on.isoformat(),
                "document": new.document is not None,
            },
        )
        session.flush()
        (info,) = infos(session, [version], local_today(session, at))
        return info


def list_policies(db: Database, actor: Actor, today: date) -> tuple[PolicyRow, ...]:
    """Every policy by title: its current version on `today`, its newest, and whether the
    actor acknowledged the current one."""
    with audit.denials_recorded(db, actor, "policy.list", ENTITY):
        require(actor, Action.POLICY_READ)
    with db.transaction() as session:
        current = current_version_ids(session, today)
        newest = (
            select(PolicyVersion.policy_id, func.max(PolicyVersion.number).label("n"))
            .group_by(PolicyVersion.policy_id)
            .subquery()
        )
        latest = session.scalars(
            select(PolicyVersion).join(
                newest,
                (newest.c.policy_id == PolicyVersion.policy_id)
                & (newest.c.n == PolicyVersion.number),
            )
        ).all()
        wanted = [
            *latest,
            *session.scalars(
                select(PolicyVersion).where(PolicyVersion.id.in_(set(current.values())))
            ),
        ]
        by_id = {i.id: i for i in infos(session, wanted, today)}
        acked = dict(
            session.execute(
                select(PolicyUserAck.version_id, PolicyUserAck.acknowledged_at).where(
                    PolicyUserAck.user_id == actor.user_id
                )
            ).all()
        )
        rows = []
        for version in latest:
            now_id = current.get(version.policy_id)
            rows.append(
                PolicyRow(
                    version.policy_id,
                    by_id[version.id].title,
                    None if now_id is None else by_id[now_id],
                    by_id[version.id],
                    None if now_id is None else acked.get(now_id),
                    by_id[version.id].retirement,
                )
            )
        return tuple(sorted(rows, key=lambda r: r.title.casefold()))


def get_policy(
    db: Database, actor: Actor, title: str, today: date, number: int | None = None
) -> PolicyVersionInfo:
    """A version of the policy titled `title`: version `number`, or the current one; for a
    policy retired by `today`, its last version (`content.last_version`), not current."""
    with audit.denials_recorded(db, actor, "policy.view", ENTITY):
        require(actor, Action.POLICY_READ)
    with db.transaction() as session:
        policy = require_policy(session, title)
        if number is None and is_retired(policy, today):
            version = last_version(session, policy)
        elif number is None:
            current = current_version_ids(session, today).get(policy.id)
            if current is None:
                raise ValidationFailed(f"no version of policy {policy.title!r} is in force yet")
            version = session.get_one(PolicyVersion, current)
        else:
            version = version_by_number(session, policy, number)
        (info,) = infos(session, [version], today)
        return info


def get_document(db: Database, actor: Actor, version_id: uuid.UUID) -> PolicyDocumentFile:
    """The document attached to a version (NotFound when it has none)."""
    with audit.denials_recorded(db, actor, "policy.view", ENTITY, version_id):
        require(actor, Action.POLICY_READ)
    with db.transaction() as session:
        version = session.get(PolicyVersion, version_id)
        document = session.get(PolicyDocument, version_id)
        if version is None or document is None or version.document_name is None:
            raise NotFound("that policy version has no attached document")
        return PolicyDocumentFile(
            version.document_name,
            version.document_type or "application/octet-stream",
            document.content,
        )
