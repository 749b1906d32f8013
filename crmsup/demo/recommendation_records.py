"""Demo recommendations and candidates as rows, encrypted as `recommendations.content` and
`recommendations.candidates` encrypt them: an associate's under their data key, a hire's (and its
candidate's) under the candidate's own key from `candidate_keys.new_candidate_key`.

The approval chain is kept: the team's supervisor writes and submits, the site's manager
decides first, HR last, each with their time and comment; an approved one is applied (its
`applied_at` set, and for a termination the deprovisioning seam of `reactions`
called, as HR's approval would).
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from crmsup.demo import texts
from crmsup.demo.people import Owner
from crmsup.demo.recommendation_plan import RecPlan
from crmsup.demo.rows import Row, Staff, Tally, at_work, full_row, insert_rows, table_of
from crmsup.records import reactions
from crmsup.records.actor import Actor
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.recommendations import candidate_keys
from crmsup.records.recommendations.models import Candidate, RecommendationKind, RecommendationState
from crmsup.records.recommendations.models import Recommendation as RecommendationModel
from crmsup.records.reviews.models import Review
from crmsup.records.sealed_fields import seal, seal_json
from crmsup.security.fields import FieldCipher

KIND = "recommendation"
CANDIDATES = "candidate"
_TABLE = table_of(RecommendationModel)
_CANDIDATES = table_of(Candidate)
_S = RecommendationState


def _eve(today: date) -> date:
    return today - timedelta(days=1)


def _moment(day: datetime, days: tuple[int, int], today: date, rng: random.Random) -> datetime:
    """A working moment some days after `day`, by yesterday when `day` allows it (the demo
    writes nothing later than the day before it runs)."""
    later = min(day.date() + timedelta(days=rng.randint(*days)), max(day.date(), _eve(today)))
    return max(day + timedelta(minutes=1), at_work(later, rng))


def recommendation_row(
    rec: RecPlan,
    subject: tuple[str, uuid.UUID],
    cipher: FieldCipher,
    staff: Staff,
    today: date,
    rng: random.Random,
    links: list[dict[str, str]],
) -> Row:
    """One recommendation; `subject` is ("associate_id" or "candidate_id", its id)."""
    rec_id = uuid.uuid4()
    created = at_work(rec.created, rng)
    supervisor = staff.supervisors[rec.team]
    values: dict[str, object] = {
        "id": rec_id,
        "kind": rec.kind,
        subject[0]: subject[1],
        "team_id": staff.team_ids[rec.team],
        "state": rec.state,
        "proposed_team_id": None
        if rec.proposed_team is None
        else staff.team_ids[rec.proposed_team],
        "proposed_date": rec.proposed_date,
        "created_by": supervisor,
        "created_at": created,
    }
    sealed = {
        "proposed_title_enc": rec.proposed_title,
        "rationale_enc": rng.choice(texts.RATIONALES[rec.kind.value]),
        "manager_comment_enc": None,
        "hr_comment_enc": None,
    }
    steps = 0
    if rec.state is not _S.DRAFT:
        submitted = _moment(created, (0, 2), today, rng)
        values.update(submitted_by=supervisor, submitted_at=submitted)
        steps += 1
        decided = rec.state in (_S.MANAGER_APPROVED, _S.APPROVED) or (
            rec.state is _S.REJECTED and rec.rejected_by_hr
        )
        manager_rejects = rec.state is _S.REJECTED and not rec.rejected_by_hr
        if decided or manager_rejects:
            manager_at = _moment(submitted, (1, 3), today, rng)
            values.update(manager_by=staff.managers[rec.team], manager_at=manager_at)
            comment = texts.MANAGER_COMMENTS[2 if manager_rejects else rng.randrange(2)]
            sealed["manager_comment_enc"] = comment
            steps += 1
            if rec.state in (_S.APPROVED, _S.REJECTED) and not manager_rejects:
                hr_at = _moment(manager_at, (1, 3), today, rng)
                values.update(hr_by=staff.hr, hr_at=hr_at)
                approved = rec.state is _S.APPROVED
                sealed["hr_comment_enc"] = texts.HR_COMMENTS[rng.randrange(2) if approved else 2]
                steps += 1
                if approved and rec.kind is not RecommendationKind.HIRE:
                    values["applied_at"] = hr_at
                elif approved and rec.hired is not None:
                    values["applied_at"] = max(
                        hr_at, at_work(rec.proposed_date or hr_at.date(), rng)
                    )
        if rec.state is _S.WITHDRAWN:
            steps += 1
    values["version"] = 1 + steps
    values.update(seal(cipher, _TABLE.name, rec_id, sealed))
    if links:
        values["links_enc"] = seal_json(cipher, _TABLE.name, rec_id, "links_enc", links)
    return full_row(_TABLE, values)


def links_for(rec: RecPlan, discipline: list[Row], reviews: list[Row]) -> list[dict[str, str]]:
    """The supporting records a supervisor would attach: the latest finalised review, and
    for a termination the discipline on file."""
    out = []
    finalised = [r for r in reviews if r["finalised_on"] is not None]
    if finalised:
        latest = max(finalised, key=lambda r: r["finalised_on"])
        out.append({"type": Review.__tablename__, "id": str(latest["id"])})
    if rec.kind is RecommendationKind.TERMINATION:
        out += [{"type": DisciplineRecord.__tablename__, "id": str(r["id"])} for r in discipline]
    return out


def associate_recommendations(
    owner: Owner,
    recs: tuple[RecPlan, ...],
    staff: Staff,
    today: date,
    rng: random.Random,
    supporting: tuple[list[Row], list[Row]],
    tally: Tally,
) -> list[Row]:
    """The associate's recommendations, with their supporting records linked."""
    rows = []
    for rec in recs:
        row = recommendation_row(
            rec,
            ("associate_id", owner.associate_id),
            owner.cipher,
            staff,
            today,
            rng,
            links_for(rec, *supporting),
        )
        rows.append(row)
        tally.add(KIND, rec.state.value, rec.kind.value)
    return rows


def after_approvals(
    session: Session,
    actor: Actor,
    terminations: list[tuple[uuid.UUID, uuid.UUID]],
    ended: dict[uuid.UUID, date],
) -> None:
    """What HR's approval of a termination sets off beyond the associate's row: the
    deprovisioning seam of `reactions`, as `recommendations.apply` calls it.
    `terminations` holds (recommendation id, associate id); `ended` the dates."""
    for rec_id, associate_id in terminations:
        reactions.after_termination(
            session, actor, associate_id, ended[associate_id], recommendation_id=rec_id
        )


def write_hires(
    session: Session,
    actor: Actor,
    recs: list[RecPlan],
    hired_ids: dict[int, uuid.UUID],
    staff: Staff,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> int:
    """Candidates (each with their own data key) and their hire recommendations, in
    `session`; `hired_ids` maps a completed hire's person index to their associate id."""
    candidates: list[Row] = []
    rows: list[Row] = []
    with session.no_autoflush:  # each candidate row before its key row (foreign key)
        for rec in recs:
            who = rec.candidate
            assert who is not None  # noqa: S101 - every hire plan has its candidate
            candidate_id = uuid.uuid4()
            cipher = candidate_keys.new_candidate_key(
                session, actor, candidate_id, staff.scope_key_ids[rec.team]
            )
            interviewed = rec.created - timedelta(days=rng.randint(1, 5))
            hired = None if rec.hired is None else hired_ids[rec.hired]
            values: dict[str, object] = {
                "id": candidate_id,
                "team_id": staff.team_ids[rec.team],
                "name_enc": seal_json(
                    cipher,
                    _CANDIDATES.name,
                    candidate_id,
                    "name_enc",
                    {"first": who.first_name, "last": who.last_name},
                ),
                "contact_enc": seal_json(
                    cipher,
                    _CANDIDATES.name,
                    candidate_id,
                    "contact_enc",
                    {"email": who.email, "phone": who.phone},
                ),
                "interviewed_on": interviewed,
                "hired_as": hired,
                "created_at": at_work(interviewed, rng),
                **seal(
                    cipher,
                    _CANDIDATES.name,
                    candidate_id,
                    {
                        "interview_notes_enc": rng.choice(texts.INTERVIEW_NOTES),
                        "result_enc": "recommended"
                        if rec.state is not _S.REJECTED
                        else rng.choice(texts.RESULTS),
                    },
                ),
            }
            candidates.append(full_row(_CANDIDATES, values))
            tally.add(CANDIDATES, "hired" if hired else "not hired", None)
            link: list[dict[str, str]] = []
            rows.append(
                recommendation_row(
                    rec, ("candidate_id", candidate_id), cipher, staff, today, rng, link
                )
            )
            tally.add(KIND, rec.state.value, rec.kind.value)
        insert_rows(session, Candidate, candidates)
    session.flush()
    insert_rows(session, RecommendationModel, rows)
    return len(rows)
