"""`training course` commands: HR's course catalogue from the command line.

A course is addressed by its code (any case) or the first 8 hex digits of its id;
`--if-version V` refuses a change when someone changed the course since version V was read.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.errors import ValidationFailed
from crmsup.records.training import courses
from crmsup.records.training.dto import Course, CourseChanges, CourseSpec
from crmsup.records.training.models import CourseKind

_KINDS = [k.value for k in CourseKind]


def register(actions: Commands) -> None:
    """Declare `training course …` under the `training` command."""
    course = add_command(actions, "course", None, "the course catalogue (HR)")
    steps = course.add_subparsers(dest="course_command", required=True, metavar="ACTION")

    listing = add_command(steps, "list", cmd_list, "the courses, by code")
    listing.add_argument("--all", action="store_true", help="retired courses too")
    add_command(steps, "show", cmd_show, "one course").add_argument("course", metavar="CODE")

    add = add_command(steps, "add", cmd_add, "add a course")
    add.add_argument("code", metavar="CODE")
    add.add_argument("--title", required=True)
    add.add_argument("--kind", required=True, choices=_KINDS)
    add.add_argument("--hours", required=True, metavar="H", help="its length, such as 1.5")
    _course_options(add)

    edit = add_command(steps, "edit", cmd_edit, "change a course")
    edit.add_argument("course", metavar="CODE")
    edit.add_argument("--title")
    edit.add_argument("--kind", choices=_KINDS)
    edit.add_argument("--hours", metavar="H")
    _course_options(edit)
    edit.add_argument("--no-titles", action="store_true", help="required for no job title")
    _locking(edit)

    for name, handler, text in (
        ("retire", cmd_retire, "retire a course: no longer assigned, required or tracked"),
        ("reactivate", cmd_reactivate, "bring a retired course back"),
    ):
        parser = add_command(steps, name, handler, text)
        parser.add_argument("course", metavar="CODE")
        _locking(parser)


def _course_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--validity", type=int, metavar="MONTHS", help="months a pass counts (0: for ever)"
    )
    parser.add_argument(
        "--for",
        dest="titles",
        action="append",
        metavar="JOB TITLE",
        help="a job title the course is required for (repeatable)",
    )


def _locking(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--if-version", type=int, metavar="V", help="refuse if changed since version V"
    )


def hours(value: str) -> Decimal:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValidationFailed("a course's length is a number of hours, such as 1.5") from None


def _line(c: Course) -> tuple[object, ...]:
    validity = "" if c.validity_months is None else f"{c.validity_months} months"
    state = "" if c.active else "retired"
    return (c.code, c.title, c.kind.value, c.hours, validity, "; ".join(c.job_titles), state)


def _emit(ctx: Context, course: Course, what: str) -> int:
    if ctx.json:
        output.emit_json(course)
    else:
        print(f"Course {course.code} {what} (version {course.version}).")
    return 0


def cmd_list(ctx: Context) -> int:
    found = courses.list_courses(ctx.db, ctx.actor(), include_retired=ctx.args.all)
    if ctx.json:
        output.emit_json(found)
        return 0
    output.table(
        ["code", "title", "kind", "hours", "valid", "required for", ""],
        [_line(c) for c in found],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    course = courses.get_course(ctx.db, ctx.actor(), ctx.args.course)
    if ctx.json:
        output.emit_json(course)
        return 0
    code, title, kind, length, valid, titles, state = _line(course)
    output.fields(
        [
            ("code", code),
            ("title", title),
            ("kind", kind),
            ("hours", length),
            ("valid for", valid or "ever"),
            ("required for", titles),
            ("state", state or "active"),
            ("version", course.version),
        ]
    )
    return 0


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    spec = CourseSpec(
        code=args.code,
        title=args.title,
        kind=CourseKind(args.kind),
        hours=hours(args.hours),
        validity_months=args.validity or None,
        job_titles=tuple(args.titles or ()),
    )
    return _emit(ctx, courses.create_course(ctx.db, ctx.actor(), spec), "added")


def cmd_edit(ctx: Context) -> int:
    args = ctx.args
    titles: tuple[str, ...] | None = () if args.no_titles else None
    if args.titles:
        titles = tuple(args.titles)
    changes = CourseChanges(
        title=args.title,
        kind=None if args.kind is None else CourseKind(args.kind),
        hours=None if args.hours is None else hours(args.hours),
        validity_months=args.validity,
        job_titles=titles,
    )
    course = courses.update_course(
        ctx.db, ctx.actor(), args.course, changes, expected_version=args.if_version
    )
    return _emit(ctx, course, "saved")


def cmd_retire(ctx: Context) -> int:
    args = ctx.args
    course = courses.set_course_active(
        ctx.db, ctx.actor(), args.course, False, expected_version=args.if_version
    )
    return _emit(ctx, course, "retired")


def cmd_reactivate(ctx: Context) -> int:
    args = ctx.args
    course = courses.set_course_active(
        ctx.db, ctx.actor(), args.course, True, expected_version=args.if_version
    )
    return _emit(ctx, course, "reactivated")
