"""Demo training: HR's course catalogue (made with the real service), then each associate's
assignments, completions, certificates and project admissions, sealed as
`training.completions` and `training.admissions` seal them.

Every new hire takes the induction and their queue's product course in their first weeks,
and the compliance courses their job title requires (data protection for everyone, card
payments where payments are taken, vulnerable customers where hardship is heard) in their
second week, then again before each certificate lapses. A few supervisors ask for a
soft-skills course; a few associates are admitted to a project on the strength of their
passes. The catalogue says which titles need which course, so the compliance report and the
inbox's due items read these rows as they would a real centre's.

What is written, and what is left out to keep the demo fast (each row costs a write, each
sealed field an encryption): of a recurring course, the latest pass (a failed attempt before
it now and then) and, once the refresher is assigned, that assignment and any attempt at it;
of a one-off course, the pass (of the induction, for the hires of the last
`INDUCTION_DAYS` only). An assignment a pass closed is written when it was made in
the last `ASSIGNED_DAYS`; an older pass stands alone, as if carried over from the previous
system. Open assignments are always written; a leaver's were cancelled by HR on their last
day. A score is sealed where the course ends in an assessment, a trainer from outside and
notes now and then; soft-skills workshops give no score and name the supervisor as trainer.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from crmsup.demo import training_texts as texts
from crmsup.demo.names import any_name
from crmsup.demo.people import Owner
from crmsup.demo.rows import Row, Staff, Tally, at_work, day_between, full_row, pick, table_of
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.dates import add_months
from crmsup.records.models import AssociateStatus, Base
from crmsup.records.sealed_fields import seal
from crmsup.records.training import courses as training_course_service
from crmsup.records.training.dto import CourseSpec
from crmsup.records.training.models import (
    AssignmentState,
    CourseKind,
    TrainingAdmission,
    TrainingAdmissionBasis,
    TrainingAssignment,
    TrainingCompletion,
)
from crmsup.records.training.rules import EXPIRING_DAYS, expires_on, recertify_by

KIND = "training"
TABLES: tuple[type[Base], ...] = (
    TrainingAssignment,
    TrainingCompletion,
    TrainingAdmission,
    TrainingAdmissionBasis,
)
_ASSIGNMENTS = table_of(TrainingAssignment)
_COMPLETIONS = table_of(TrainingCompletion)
_ADMISSIONS = table_of(TrainingAdmission)
_BASIS = table_of(TrainingAdmissionBasis)
_A = AssignmentState

#: Assignments made this many days before the demo's day are written; an older one that
#: a pass closed is left out, its pass standing alone (as if carried over from the previous
#: system): it would add a row per course and associate and change nothing due.
ASSIGNED_DAYS = 92
#: The induction, asked of every new hire (no title requires it), is on file for the hires
#: of the last two years: older ones predate these records.
INDUCTION = "ONB-INDUCT"
INDUCTION_DAYS = 2 * 365
#: A refresher is assigned this many days before the certificate lapses.
REFRESH_DAYS = 45
#: Of the cycles of a recurring course, the share renewed only after the certificate lapsed.
LATE_SHARE = 0.10
#: Of attempts at a course with an assessment, the share failed before the pass.
FAIL_SHARE = 0.05
#: Of one-off courses, the share finished after the due date.
LATE_ONCE_SHARE = 0.08
#: Associates (active or on leave, three months in) whose supervisor asked for a
#: soft-skills course lately.
SOFT_SHARE = 0.18
#: Associates (active, six months in) admitted to a project.
ADMITTED_SHARE = 0.08


@dataclass(frozen=True, slots=True)
class CourseRef:
    """A course as the rows need it."""

    id: uuid.UUID
    code: str
    kind: CourseKind
    validity_months: int | None
    #: The lowest passing score; None when the course gives no score.
    pass_mark: int | None


@dataclass(frozen=True, slots=True)
class Catalogue:
    courses: tuple[CourseRef, ...]
    #: (job title, codes of the courses it requires).
    required: tuple[tuple[str, tuple[str, ...]], ...]

    def course(self, code: str) -> CourseRef:
        return next(c for c in self.courses if c.code == code)

    def required_of(self, title: str) -> tuple[CourseRef, ...]:
        codes = next((codes for t, codes in self.required if t == title), ())
        return tuple(self.course(code) for code in codes)


def prepare(db: Database, hr: Actor, today: date) -> Catalogue:
    """HR's catalogue, through `training_course_service` (validated and audited)."""
    courses: list[CourseRef] = []
    required: dict[str, list[str]] = {}
    for code, title, kind, hours, months, mark, titles in texts.CATALOGUE:
        spec = CourseSpec(code, title, kind, Decimal(hours), months, titles)
        made = training_course_service.create_course(db, hr, spec)
        courses.append(CourseRef(made.id, made.code, made.kind, made.validity_months, mark))
        for job_title in made.job_titles:
            required.setdefault(job_title, []).append(made.code)
    return Catalogue(
        tuple(courses), tuple((title, tuple(codes)) for title, codes in sorted(required.items()))
    )


def assignment_state(state: AssignmentState, due_on: date, today: date) -> str:
    """How the summary counts an assignment: an open one past its due date is "overdue"."""
    if state is _A.OPEN and due_on < today:
        return "overdue"
    return state.value


def completion_state(passed: bool, expiry: date | None, today: date) -> str:
    """How the summary counts a completion: "failed"; a pass "lapsed" once its certificate
    no longer counts, "expiring" within `EXPIRING_DAYS` of that, else "passed"."""
    if not passed:
        return "failed"
    if expiry is None or (expiry - today).days > EXPIRING_DAYS:
        return "passed"
    return "lapsed" if expiry <= today else "expiring"


def rows(
    owner: Owner,
    staff: Staff,
    prepared: object,
    today: date,
    rng: random.Random,
    tally: Tally,
) -> dict[str, list[Row]]:
    if not isinstance(prepared, Catalogue):
        raise TypeError("training rows need the catalogue that `prepare` made")
    file = _File(owner, staff, today, rng)
    if owner.person.hire_date >= today - timedelta(days=INDUCTION_DAYS):
        file.once(prepared.course(INDUCTION))
    for course in prepared.required_of(owner.person.job_title):
        if course.validity_months is None:
            file.once(course)
        else:
            file.recurring(course, course.validity_months)
    file.ad_hoc(prepared)
    file.admission(prepared)
    file.close_at_termination()
    for row in file.assignments:
        tally.add(KIND, assignment_state(row["state"], row["due_on"], today), "assignment")
    for row in file.completions:
        tally.add(KIND, completion_state(row["passed"], row["expires_on"], today), "completion")
    for _ in file.admissions:
        tally.add(KIND, "admitted", "admission")
    return {
        _ASSIGNMENTS.name: file.assignments,
        _COMPLETIONS.name: file.completions,
        _ADMISSIONS.name: file.admissions,
        _BASIS.name: file.basis,
    }


class _File:
    """One associate's training, as of their last day (today while they work here)."""

    def __init__(self, owner: Owner, staff: Staff, today: date, rng: random.Random) -> None:
        self.owner, self.staff, self.today, self.rng = owner, staff, today, rng
        person = owner.person
        self.hired = person.hire_date
        self.last = person.last_day(today)
        self.supervisor = staff.supervisors[person.team]
        self.assignments: list[Row] = []
        self.completions: list[Row] = []
        self.admissions: list[Row] = []
        self.basis: list[Row] = []
        #: Code → the latest pass written: (completion id, completed on, expiry).
        self.passes: dict[str, tuple[uuid.UUID, date, date | None]] = {}

    # ---- the records ---------------------------------------------------------------------

    def _assign(self, course: CourseRef, on: date, due: date, by: uuid.UUID) -> Row:
        row = full_row(
            _ASSIGNMENTS,
            {
                "id": uuid.uuid4(),
                "associate_id": self.owner.associate_id,
                "course_id": course.id,
                "due_on": due,
                "state": _A.OPEN,
                "assigned_by": by,
                "assigned_at": at_work(on, self.rng),
            },
        )
        self.assignments.append(row)
        return row

    @staticmethod
    def _close(row: Row, state: AssignmentState, on: date, by: uuid.UUID) -> None:
        """Closed by a pass or cancelled: the assignment's one update since it was made."""
        row.update(state=state, closed_by=by, closed_on=on, version=2)

    def _attempt(
        self,
        course: CourseRef,
        on: date,
        passed: bool,
        assignment: Row | None,
        by: uuid.UUID,
    ) -> Row:
        rng, row_id = self.rng, uuid.uuid4()
        mark = course.pass_mark
        score: str | None = None
        if mark is not None:
            score = str(rng.randint(mark, 100) if passed else rng.randint(mark - 25, mark - 1))
        trainer_id: uuid.UUID | None = None
        trainer: str | None = None
        if course.kind is CourseKind.ONBOARDING and rng.random() < 0.2:
            trainer = f"{any_name(rng)}, training team"
        elif course.kind is CourseKind.SOFT_SKILLS and rng.random() < 0.6:
            trainer_id = self.supervisor
        notes: str | None = None
        if not passed and rng.random() < 0.6:
            notes = rng.choice(texts.FAIL_NOTES)
        elif passed and rng.random() < 0.03:
            notes = rng.choice(texts.PASS_NOTES)
        recorded = min(on + timedelta(days=rng.choice((0, 0, 0, 1, 2))), self.last)
        values: dict[str, object] = {
            "id": row_id,
            "associate_id": self.owner.associate_id,
            "course_id": course.id,
            "assignment_id": None if assignment is None else assignment["id"],
            "completed_on": on,
            "passed": passed,
            "expires_on": expires_on(on, passed, course.validity_months),
            "trainer_id": trainer_id,
            "recorded_by": by,
            "recorded_at": at_work(recorded, rng),
        }
        sealed = {"score_enc": score, "trainer_enc": trainer, "notes_enc": notes}
        # Sealed as `training.completions` seals them; most have a score alone.
        values.update(seal(self.owner.cipher, _COMPLETIONS.name, row_id, sealed))
        row = full_row(_COMPLETIONS, values)
        self.completions.append(row)
        if passed:
            self.passes[course.code] = (row_id, on, row["expires_on"])
            if assignment is not None:
                self._close(assignment, _A.COMPLETED, on, by)
        return row

    def _take(
        self, course: CourseRef, start: date, done: date, assignment: Row | None, by: uuid.UUID
    ) -> None:
        """Attempts from `start`: passed on `done` if that is by the last day (after a fail
        now and then), else at most a failed attempt so far."""
        rng = self.rng
        failed_first = course.pass_mark is not None and rng.random() < FAIL_SHARE * (
            1 if done <= self.last else 3
        )
        if failed_first:
            fail_on = done - timedelta(days=rng.randint(3, 10))
            if start <= fail_on <= min(self.last, self.today):
                self._attempt(course, fail_on, False, assignment, by)
        if done <= self.last:
            self._attempt(course, done, True, assignment, by)

    # ---- what each kind of course leaves -----------------------------------------------------

    def once(self, course: CourseRef) -> None:
        """A one-off course, in the first weeks: the induction first, the rest after it."""
        rng = self.rng
        onboarding = course.kind is CourseKind.ONBOARDING
        start = self.hired if onboarding else self.hired + timedelta(days=7)
        if start > self.last:
            return
        due = start + timedelta(days=21 if onboarding else 35)
        if rng.random() < LATE_ONCE_SHARE:
            done = due + timedelta(days=rng.randint(1, 30))
        else:
            done = start + timedelta(days=rng.randint(10, (due - start).days))
        by = self.staff.hr if onboarding else self.supervisor
        assignment = None
        if done > self.last or start >= self.today - timedelta(days=ASSIGNED_DAYS):
            assignment = self._assign(course, start, due, by)
        self._take(course, start, done, assignment, by)

    def recurring(self, course: CourseRef, months: int) -> None:
        """A compliance course: first in the second week, then again before each lapse (a
        few late). Written: the latest pass with its cycle's assignment, and, when the
        next cycle has begun, that refresher's assignment (and any attempt at it so far)."""
        rng, hr = self.rng, self.staff.hr
        cycle = (self.hired + timedelta(days=7), self.hired + timedelta(days=21))
        if cycle[0] > self.last:
            return
        done = cycle[0] + timedelta(days=rng.randint(1, 14))
        skipped = (self.last - done).days // 31 // months - 1
        if skipped > 0:  # straight to the last cycles: the earlier ones are not written
            done = add_months(done, skipped * months)
            renewed = done + timedelta(days=rng.randint(3, REFRESH_DAYS - 3))
            cycle = (renewed - timedelta(days=REFRESH_DAYS), renewed - timedelta(days=1))
        latest: tuple[date, date, date] | None = None
        while done <= self.last:
            latest = (*cycle, done)
            expiry = expires_on(done, True, months)
            assert expiry is not None  # noqa: S101 - a pass of a course with a validity
            if expiry - timedelta(days=REFRESH_DAYS) > self.last:
                break
            cycle = (expiry - timedelta(days=REFRESH_DAYS), recertify_by(expiry))
            if rng.random() < LATE_SHARE:
                done = expiry + timedelta(days=rng.randint(1, 120))
            else:
                # Most leave it to the last weeks.
                done = expiry - timedelta(days=int(rng.triangular(1, REFRESH_DAYS - 3, 1)))
        if latest is not None:
            assigned, due, passed_on = latest
            kept = assigned >= self.today - timedelta(days=ASSIGNED_DAYS)
            self._take(
                course,
                assigned,
                passed_on,
                self._assign(course, assigned, due, hr) if kept else None,
                hr,
            )
        if latest is None or latest[0] != cycle[0]:
            assigned, due = cycle
            self._take(course, assigned, done, self._assign(course, assigned, due, hr), hr)

    def ad_hoc(self, catalogue: Catalogue) -> None:
        """A soft-skills course a supervisor asked for lately."""
        person, rng, today = self.owner.person, self.rng, self.today
        if (
            person.status is AssociateStatus.TERMINATED
            or person.tenure_days(today) < 90
            or rng.random() >= SOFT_SHARE
        ):
            return
        course = catalogue.course(pick(rng, texts.AD_HOC))
        if course.code in self.passes or any(
            row["course_id"] == course.id for row in self.assignments
        ):
            return
        on = day_between(
            rng,
            max(self.hired + timedelta(days=60), today - timedelta(days=150)),
            today - timedelta(days=1),
        )
        due = on + timedelta(days=rng.choice((21, 30, 45)))
        row = self._assign(course, on, due, self.supervisor)
        if due >= today:
            outcome = pick(rng, (("open", 65), ("completed", 25), ("cancelled", 10)))
        else:
            outcome = pick(rng, (("open", 18), ("completed", 70), ("cancelled", 12)))
        if outcome == "completed":
            done = day_between(rng, on + timedelta(days=3), min(due + timedelta(days=10), today))
            self._attempt(course, min(done, today), True, row, self.supervisor)
        elif outcome == "cancelled":
            self._close(row, _A.CANCELLED, day_between(rng, on, today), self.supervisor)

    def admission(self, catalogue: Catalogue) -> None:
        """Now and then, the site's manager admits the associate to a project their passes
        cover on the day of the decision."""
        person, rng, today = self.owner.person, self.rng, self.today
        if (
            person.status is not AssociateStatus.ACTIVE
            or person.tenure_days(today) < 180
            or rng.random() >= ADMITTED_SHARE
        ):
            return
        fitting = [
            (p, codes) for p, codes in texts.PROJECTS if all(c in self.passes for c in codes)
        ]
        if not fitting:
            return
        project, codes = rng.choice(fitting)
        held = [self.passes[c] for c in codes]
        first = max(on for _, on, _ in held) + timedelta(days=1)
        lapses = [expiry for _, _, expiry in held if expiry is not None]
        last = min([today - timedelta(days=1), *(e - timedelta(days=1) for e in lapses)])
        first = max(first, today - timedelta(days=400))
        if first > last:
            return
        decided = at_work(day_between(rng, first, last), rng)
        row_id = uuid.uuid4()
        reason = seal(
            self.owner.cipher, _ADMISSIONS.name, row_id, {"reason_enc": rng.choice(texts.REASONS)}
        )
        self.admissions.append(
            full_row(
                _ADMISSIONS,
                {
                    "id": row_id,
                    "associate_id": self.owner.associate_id,
                    "project": project,
                    "decided_by": self.staff.managers[person.team],
                    "decided_at": decided,
                    **reason,
                },
            )
        )
        self.basis.extend(
            full_row(
                _BASIS,
                {
                    "admission_id": row_id,
                    "completion_id": completion_id,
                    "associate_id": self.owner.associate_id,
                },
            )
            for completion_id, _, _ in held
        )

    def close_at_termination(self) -> None:
        """HR cancels what a leaver was still asked to take, on their last day."""
        ended = self.owner.person.termination_date
        if ended is None:
            return
        for row in self.assignments:
            if row["state"] is _A.OPEN:
                self._close(row, _A.CANCELLED, ended, self.staff.hr)
