"""`crmsup-admin` commands for courses, assignments, completions and admissions.

A record is addressed by the associate's employee number and the first 8 hex digits of its id
(`training list N` shows them); a course by its code. Long texts come from a file
(`--notes-file F`, `--reason-file F`) or an option; `--if-version V` refuses a change when
someone changed the record since version V was read.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from crmsup.cli import output, training_course_commands
from crmsup.cli import training_view_commands as view
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.errors import ValidationFailed
from crmsup.records.training import service as training
from crmsup.records.training.dto import (
    AssignmentRow,
    CompletionChanges,
    CompletionDetail,
    NewCompletion,
)
from crmsup.records.validation import iso_date


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    top = add_command(commands, "training", None, "courses, assignments, completions, admissions")
    actions = top.add_subparsers(dest="training_command", required=True, metavar="ACTION")
    training_course_commands.register(actions)

    add_command(actions, "list", view.cmd_list, "an associate's training").add_argument(
        "employee_no", metavar="N"
    )
    assign = add_command(actions, "assign", cmd_assign, "assign a course, due by a date")
    assign.add_argument("employee_no", metavar="N")
    assign.add_argument("course", metavar="COURSE", help="the course's code")
    assign.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    again = add_command(actions, "reschedule", cmd_reschedule, "move an assignment's due date")
    _ref(again)
    again.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    _ref(add_command(actions, "cancel", cmd_cancel, "cancel an open assignment"))

    complete = add_command(actions, "complete", cmd_complete, "record an attempt at a course")
    complete.add_argument("employee_no", metavar="N")
    complete.add_argument("course", metavar="COURSE", help="the course's code")
    complete.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="when")
    _result(complete, required=True)
    complete.add_argument("--trainer-user", metavar="USER", help="a trainer with an account")
    _completion_texts(complete)
    correct = add_command(actions, "correct", cmd_correct, "correct a recorded attempt")
    _ref(correct)
    correct.add_argument("--on", metavar="YYYY-MM-DD")
    _result(correct, required=False)
    _completion_texts(correct)
    show = add_command(actions, "show", view.cmd_show, "one attempt, with score, trainer and notes")
    _ref(show, locking=False)

    admit = add_command(actions, "admit", cmd_admit, "admit a trained associate to a project")
    admit.add_argument("employee_no", metavar="N")
    admit.add_argument("--project", required=True)
    admit.add_argument(
        "--course",
        dest="courses",
        action="append",
        required=True,
        metavar="CODE",
        help="a course whose pass the decision rests on (repeatable)",
    )
    reason = admit.add_mutually_exclusive_group(required=True)
    reason.add_argument("--reason", metavar="TEXT")
    reason.add_argument("--reason-file", type=Path, metavar="F")
    admission = add_command(actions, "admission", view.cmd_admission, "one admission decision")
    _ref(admission, locking=False)

    compliance = add_command(
        actions, "compliance", view.cmd_compliance, "required courses per team"
    )
    who = compliance.add_mutually_exclusive_group()
    who.add_argument("--team", metavar="T")
    who.add_argument("--employee", metavar="N")
    _as_of(compliance)
    _as_of(add_command(actions, "due", view.cmd_due, "training due or overdue (your inbox)"))


def _ref(parser: argparse.ArgumentParser, *, locking: bool = True) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("record", metavar="ID", help="the record's id or its first 8 hex digits")
    if locking:
        parser.add_argument(
            "--if-version", type=int, metavar="V", help="refuse if changed since version V"
        )


def _result(parser: argparse.ArgumentParser, *, required: bool) -> None:
    result = parser.add_mutually_exclusive_group(required=required)
    result.add_argument("--pass", dest="passed", action="store_const", const=True)
    result.add_argument("--fail", dest="passed", action="store_const", const=False)
    parser.add_argument("--score", metavar="S", help="0 to 100")


def _completion_texts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trainer", metavar="TEXT", help="a trainer from outside")
    notes = parser.add_mutually_exclusive_group()
    notes.add_argument("--notes", metavar="TEXT", help='"" clears them')
    notes.add_argument("--notes-file", type=Path, metavar="F")


def _as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="as of this day (default today)")


def _notes(args: argparse.Namespace) -> str | None:
    return read_text(args.notes_file) if args.notes_file is not None else args.notes


def _score(args: argparse.Namespace) -> Decimal | None:
    if args.score is None:
        return None
    try:
        return Decimal(args.score.strip())
    except InvalidOperation:
        raise ValidationFailed("a score is a number from 0 to 100") from None


# ---- outputs -------------------------------------------------------------------------------


def _assignment_done(ctx: Context, row: AssignmentRow, what: str) -> int:
    if ctx.json:
        output.emit_json(row)
    else:
        print(
            f"Assignment {row.short_id} of {row.employee_no} ({row.course}) {what} "
            f"({row.state.value}, due {row.due_on}, version {row.version})."
        )
    return 0


def _completion_done(ctx: Context, row: CompletionDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(row)
    else:
        result = "passed" if row.passed else "failed"
        until = f", valid until {row.expires_on}" if row.expires_on else ""
        print(
            f"Completion {row.short_id} of {row.employee_no} ({row.course}, {result}{until}) "
            f"{what} (version {row.version})."
        )
    return 0


# ---- handlers ------------------------------------------------------------------------------


def cmd_assign(ctx: Context) -> int:
    args = ctx.args
    row = training.assign_course(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.course,
        due_on=iso_date(args.due, "due date"),
        today=date.today(),
    )
    return _assignment_done(ctx, row, "assigned")


def cmd_reschedule(ctx: Context) -> int:
    args = ctx.args
    row = training.reschedule_assignment(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.record,
        due_on=iso_date(args.due, "due date"),
        today=date.today(),
        expected_version=args.if_version,
    )
    return _assignment_done(ctx, row, "rescheduled")


def cmd_cancel(ctx: Context) -> int:
    args = ctx.args
    row = training.cancel_assignment(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.record,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _assignment_done(ctx, row, "cancelled")


def cmd_complete(ctx: Context) -> int:
    args = ctx.args
    new = NewCompletion(
        course=args.course,
        completed_on=iso_date(args.on, "completion date"),
        passed=args.passed,
        score=_score(args),
        trainer_user=args.trainer_user,
        trainer=args.trainer,
        notes=_notes(args),
    )
    row = training.record_completion(ctx.db, ctx.actor(), args.employee_no, new, today=date.today())
    return _completion_done(ctx, row, "recorded")


def cmd_correct(ctx: Context) -> int:
    args = ctx.args
    changes = CompletionChanges(
        completed_on=None if args.on is None else iso_date(args.on, "completion date"),
        passed=args.passed,
        score=_score(args),
        trainer=args.trainer,
        notes=_notes(args),
    )
    row = training.update_completion(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.record,
        changes,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _completion_done(ctx, row, "saved")


def cmd_admit(ctx: Context) -> int:
    args = ctx.args
    reason = read_text(args.reason_file) if args.reason_file is not None else args.reason
    made = training.admit(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        project=args.project,
        reason=reason,
        courses=tuple(args.courses),
    )
    if ctx.json:
        output.emit_json(made)
    else:
        print(
            f"Admission {made.short_id} of {made.employee_no} to {made.project} recorded "
            f"(resting on {', '.join(made.courses)})."
        )
    return 0
