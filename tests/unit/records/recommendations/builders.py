"""Shared set-up of the recommendation tests: a draft about associate E100, the audit
entries of an action, a recommendation's stored row."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records.models import Associate, AuditEntry
from crmsup.records.recommendations import service
from crmsup.records.recommendations.dto import NewRecommendation, RecommendationDetail
from crmsup.records.recommendations.models import Recommendation, RecommendationKind
from tests.factories import Org

K = RecommendationKind
RATIONALE = "Ørjan has led the team's onboarding for a year"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def new_draft(
    org: Org, kind: K = K.PROMOTION, actor: str = "sup_a", **extra: Any
) -> RecommendationDetail:
    """A draft about E100 by `actor` (an attribute of `org`); `extra` sets its fields."""
    title = "Team lead" if kind is K.PROMOTION else None
    new = NewRecommendation(kind, RATIONALE, employee_no="E100", proposed_title=title)
    new = replace(new, **extra)
    return service.create_recommendation(org.db, getattr(org, actor), new, now=NOW)


def entries(org: Org, action: str, outcome: str = "ok") -> list[AuditEntry]:
    with org.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == outcome)
        return list(session.scalars(query.order_by(AuditEntry.sequence)))


def stored(org: Org, rid: uuid.UUID) -> Recommendation:
    with org.db.transaction() as session:
        return session.get_one(Recommendation, rid)


def approved_by_manager(org: Org, draft: RecommendationDetail, author: str = "sup_a") -> None:
    service.submit(org.db, getattr(org, author), "E100", draft.id)
    service.decide(org.db, org.manager, "E100", draft.id, approve=True)


def associate_id(session: Session, employee_no: str = "E100") -> uuid.UUID:
    return session.scalars(select(Associate.id).where(Associate.employee_no == employee_no)).one()
