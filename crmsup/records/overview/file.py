"""The associate's whole file at once: who they are, and every record kept about them,
decrypted into DTOs — what a keeper opens to read or print the file.

One permission check and one audit entry ("associate.file" on the associate, with the
number of records of each kind) cover the whole file; opening one record on its own is
audited on that record. Every area is read with a few set-based queries for the whole file
(`file_details` of each area's service), so a file of hundreds of records costs a
handful of queries, not several per record. An area the role may not read is left out
(None), never shown empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline import service as discipline_service
from crmsup.records.discipline.dto import DisciplineDetail
from crmsup.records.models import Associate
from crmsup.records.people.associates import detail_with
from crmsup.records.people.dto import AssociateDetail
from crmsup.records.recommendations import service as recommendation_service
from crmsup.records.recommendations.dto import RecommendationDetail
from crmsup.records.reviews import service as review_service
from crmsup.records.reviews.dto import ReviewDetail
from crmsup.records.subject import checked_session, cipher_for
from crmsup.security.permissions import Action, scope_of


@dataclass(frozen=True, slots=True)
class AssociateFile:
    """One associate's file, newest records first in each area; None: not for this role."""

    associate: AssociateDetail
    discipline: tuple[DisciplineDetail, ...] | None
    reviews: tuple[ReviewDetail, ...] | None
    recommendations: tuple[RecommendationDetail, ...] | None

    def counts(self) -> dict[str, int]:
        """How many records of each kind the file shows (what the audit entry records)."""
        areas = {
            "discipline": self.discipline,
            "reviews": self.reviews,
            "recommendations": self.recommendations,
        }
        return {name: len(found) for name, found in areas.items() if found is not None}


def open_file(db: Database, actor: Actor, employee_no: str, today: date) -> AssociateFile:
    """The associate's file, decrypted; `today` decides which discipline records still count.

    PermissionDenied (audited) outside the actor's scope or for a role that reads no
    associate; NotFound for an unknown or erased associate."""
    with checked_session(
        db, actor, Action.ASSOCIATE_VIEW, "associate.file", employee_no, "associate"
    ) as (subject, session):
        cipher = cipher_for(session, actor, subject)
        associate = detail_with(session, cipher, session.get_one(Associate, subject.associate_id))
        discipline = reviews = recommendations = None
        if _may(actor, Action.DISCIPLINE_VIEW):
            discipline = discipline_service.file_details(session, cipher, subject, today)
        if _may(actor, Action.REVIEW_VIEW):
            reviews = review_service.file_details(session, cipher, subject)
        if _may(actor, Action.RECOMMENDATION_VIEW):
            recommendations = recommendation_service.file_details(
                session, cipher, subject.associate_id
            )
        opened = AssociateFile(associate, discipline, reviews, recommendations)
        audit.append(
            session,
            "associate.file",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details=dict(opened.counts()),
        )
        return opened


def _may(actor: Actor, action: Action) -> bool:
    return scope_of(actor.role, action) is not None
