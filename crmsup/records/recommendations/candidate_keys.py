"""A candidate's data key: made when they are added, opened to read their file, and
destroyed when they are erased.

A candidate is not (yet) an associate, so their file has a key of its own, wrapped by the
interviewing team's scope key as an associate's is (`keyring`), and so a candidate who is not
hired can be erased on their own. Shredding destroys that key, empties their encrypted
fields, deletes their recommendations, and keeps the row as a tombstone (`erased_at`).

Shredding is used by `candidates.erase_candidate` for a candidate who was not hired, and by
`upkeep.erasure.erase_associate` for the candidate an associate was hired from, whose file
(interview notes, the hire recommendation) is the associate's and goes with it. Both run
inside the caller's transaction, which also writes the audit entry.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.keyring import unseal_scope_key
from crmsup.records.recommendations.candidate_content import ENCRYPTED_COLUMNS
from crmsup.records.recommendations.models import Candidate, CandidateKey, Recommendation
from crmsup.security import fields, wrapping
from crmsup.security.fields import FieldCipher

CANDIDATE_KEY_PURPOSE = "candidate-data-key"


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
    """What `upkeep.erasure.erase_associate` should do, in its transaction, for the
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


def _candidate_key_ids(candidate_id: uuid.UUID, scope_key_id: uuid.UUID) -> tuple[str, str]:
    return (f"candidate:{candidate_id}", f"scope:{scope_key_id}")


def new_candidate_key(
    session: Session, actor: Actor, candidate_id: uuid.UUID, scope_key_id: uuid.UUID
) -> FieldCipher:
    """Create and store (wrapped by the team key) a new candidate's data key."""
    team_key = unseal_scope_key(session, actor, scope_key_id)
    data_key = fields.new_key()
    key_id = uuid.uuid4()
    session.add(
        CandidateKey(
            candidate_id=candidate_id,
            key_id=key_id,
            scope_key_id=scope_key_id,
            wrapped=wrapping.wrap_key(
                team_key,
                data_key,
                CANDIDATE_KEY_PURPOSE,
                *_candidate_key_ids(candidate_id, scope_key_id),
            ),
        )
    )
    return FieldCipher(data_key, str(key_id))


def candidate_cipher(session: Session, actor: Actor, candidate_id: uuid.UUID) -> FieldCipher:
    """The cipher of a candidate's data key; PermissionDenied without the team's key."""
    row = session.get_one(CandidateKey, candidate_id)
    team_key = unseal_scope_key(session, actor, row.scope_key_id)
    data_key = wrapping.unwrap_key(
        team_key,
        row.wrapped,
        CANDIDATE_KEY_PURPOSE,
        *_candidate_key_ids(row.candidate_id, row.scope_key_id),
    )
    return FieldCipher(data_key, str(row.key_id))
