"""Shredding a candidate's file: their data key goes, their encrypted fields are emptied,
their recommendations deleted, and the row stays as a tombstone (`erased_at`).

Used by `candidate_service.erase_candidate` for a candidate who was not hired, and by
`erasure_service.erase_associate` for the candidate an associate was hired from, whose file
(interview notes, the hire recommendation) is the associate's and goes with it. Both run
inside the caller's transaction, which also writes the audit entry.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crmsup.records.candidate_content import ENCRYPTED_COLUMNS
from crmsup.records.file_models import Candidate, CandidateKey, Recommendation


def shred(session: Session, candidate: Candidate, at: datetime) -> int:
    """Destroy the candidate's data key, empty their encrypted fields, delete their
    recommendations and stamp `erased_at`, in `session`; the number of recommendations."""
    connection = session.connection()
    removed = connection.execute(
        delete(Recommendation).where(Recommendation.candidate_id == candidate.id)
    ).rowcount
    connection.execute(delete(CandidateKey).where(CandidateKey.candidate_id == candidate.id))
    for column in ENCRYPTED_COLUMNS:
        setattr(candidate, column, None)
    candidate.erased_at = at
    session.flush()
    return removed


def shred_hired_as(session: Session, associate_id: uuid.UUID, at: datetime) -> int:
    """What `erasure_service.erase_associate` should do, in its transaction, for the
    candidate an associate was hired from: their file (interview notes, the hire
    recommendation, under the candidate's own key) is the associate's and goes with it.
    Returns how many candidate rows were shredded (0 or 1)."""
    query = select(Candidate).where(
        Candidate.hired_as == associate_id, Candidate.erased_at.is_(None)
    )
    hired = list(session.scalars(query.with_for_update()))
    for candidate in hired:
        shred(session, candidate, at)
    return len(hired)
