"""`review` commands: performance reviews and their templates from the command line.

A review is addressed by the associate's employee number and the first 8 hex digits of its id
(`review list N` shows them); a template by its name or id. Long texts come from a file
(`--strengths-file F`, …) or an option; `--if-version V` refuses a change when someone changed
the record since version V was read.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from crmsup.cli import output, review_template_commands
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.review_template_commands import read_text
from crmsup.records.actor import Actor
from crmsup.records.errors import ValidationFailed
from crmsup.records.reviews import service as review_service
from crmsup.records.reviews import templates as review_template_service
from crmsup.records.reviews.dto import (
    Competency,
    NewReview,
    Rating,
    ReviewChanges,
    ReviewDetail,
    ReviewRow,
)
from crmsup.records.reviews.models import ReviewKind
from crmsup.records.validation import iso_date

#: Narrative options of `review update`: option stem → ReviewChanges field.
_TEXTS = {
    "strengths": "strengths",
    "improvements": "improvements",
    "goals": "goals",
    "associate-comments": "associate_comments",
}


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    review = add_command(commands, "review", None, "performance reviews and their templates")
    actions = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    review_template_commands.register(actions)

    add_command(actions, "list", cmd_list, "an associate's reviews").add_argument(
        "employee_no", metavar="N"
    )
    show = add_command(actions, "show", cmd_show, "one review, as its form reads")
    _review_ref(show)
    add = add_command(actions, "add", cmd_add, "open a draft review; you are its reviewer")
    add.add_argument("employee_no", metavar="N")
    add.add_argument("--template", required=True, metavar="T", help="template name or id")
    add.add_argument("--kind", required=True, choices=[k.value for k in ReviewKind])
    add.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")

    update = add_command(actions, "update", cmd_update, "change a draft review")
    _review_ref(update, locking=True)
    update.add_argument("--kind", choices=[k.value for k in ReviewKind])
    update.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    update.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    update.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="C=R",
        help="rate competency C (its number or name) R, 1 to 5 (repeatable)",
    )
    update.add_argument(
        "--comment",
        action="append",
        default=[],
        metavar="C=TEXT",
        help="comment on the rating of C, given with --rate in the same command (repeatable)",
    )
    for stem in _TEXTS:
        group = update.add_mutually_exclusive_group()
        group.add_argument(f"--{stem}", metavar="TEXT", help='"" clears it')
        group.add_argument(f"--{stem}-file", type=Path, metavar="F")

    for name, handler, text in (
        ("submit", cmd_submit, "submit a draft whose competencies are all rated"),
        ("reopen", cmd_reopen, "send your submitted review back to draft"),
        ("finalise", cmd_finalise, "finalise an acknowledged review and lock it (HR)"),
    ):
        _review_ref(add_command(actions, name, handler, text), locking=True)
    ack = add_command(
        actions, "acknowledge", cmd_acknowledge, "record the associate's acknowledgement"
    )
    _review_ref(ack, locking=True)
    ack.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="when they acknowledged")
    comments = ack.add_mutually_exclusive_group()
    comments.add_argument("--comments", metavar="TEXT", help="the associate's comments")
    comments.add_argument("--comments-file", type=Path, metavar="F")

    for name, handler, text in (
        ("overdue", cmd_overdue, "associates whose annual review is overdue, per team"),
        ("due", cmd_due, "reviews due or waiting on someone (your inbox)"),
    ):
        add_command(actions, name, handler, text).add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="as of this day (default today)"
        )


def _review_ref(parser: argparse.ArgumentParser, *, locking: bool = False) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("review", metavar="ID", help="the review's id or its first 8 hex digits")
    if locking:
        parser.add_argument(
            "--if-version", type=int, metavar="V", help="refuse if changed since version V"
        )


# ---- inputs ------------------------------------------------------------------------------


def _competency(competencies: tuple[Competency, ...], key: str) -> Competency:
    """A competency by its number on the form or its name (ignoring case)."""
    key = key.strip()
    for competency in competencies:
        if key == str(competency.position) or key.casefold() == competency.name.casefold():
            return competency
    raise ValidationFailed(f"the review's template has no competency {key!r}")


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep:
            raise ValidationFailed(f"{option} takes C=VALUE (C: a competency's number or name)")
        pairs.append((key, rest))
    return pairs


def _ratings(ctx: Context, actor: Actor) -> dict[uuid.UUID, Rating] | None:
    """`--rate` and `--comment` of `review update`, keyed by the template's competency ids."""
    args = ctx.args
    if not args.rate and not args.comment:
        return None
    rows = review_service.list_reviews(ctx.db, actor, args.employee_no)
    prefix = args.review.strip().lower().replace("-", "")
    matches = [r for r in rows if r.id.hex.startswith(prefix)]
    if len(matches) != 1:
        return None  # update_review says why (no such review, or several)
    template = review_template_service.get_template(ctx.db, actor, matches[0].template_id)
    form = template.competencies
    comments = {_competency(form, k).id: text for k, text in _pairs(args.comment, "--comment")}
    ratings: dict[uuid.UUID, Rating] = {}
    for key, value in _pairs(args.rate, "--rate"):
        competency = _competency(form, key)
        try:
            rating = int(value)
        except ValueError:
            raise ValidationFailed(
                f"{competency.name}: a rating is a whole number 1 to 5"
            ) from None
        ratings[competency.id] = Rating(rating, comments.pop(competency.id, None))
    if comments:
        raise ValidationFailed("a --comment goes with the --rate of the same competency")
    return ratings


def _text_option(args: argparse.Namespace, stem: str) -> str | None:
    attr = stem.replace("-", "_")
    path: Path | None = getattr(args, f"{attr}_file")
    text: str | None = getattr(args, attr)
    return read_text(path) if path is not None else text


def _day(value: str | None, what: str) -> date | None:
    return None if value is None else iso_date(value, what)


# ---- outputs -----------------------------------------------------------------------------


def _emit_review(review: ReviewDetail) -> None:
    output.emit_json(review)


def _print_review(review: ReviewDetail) -> None:
    output.fields(
        [
            ("review", review.short_id),
            ("associate", f"{review.employee_no} ({review.team})"),
            ("kind", review.kind.value),
            ("period", f"{review.period_start} to {review.period_end}"),
            ("state", review.state.value),
            ("reviewer", review.reviewer),
            ("template", review.template),
            ("submitted", review.submitted_at and f"{review.submitted_at:%Y-%m-%d}"),
            ("acknowledged", review.acknowledged_on),
            (
                "finalised",
                review.finalised_on and f"{review.finalised_on} by {review.finalised_by}",
            ),
            ("version", review.version),
        ]
    )
    print()
    output.table(
        ["#", "competency", "weight", "rating", "comment"],
        [(x.position, x.name, x.weight, x.rating, x.comment) for x in review.lines],
    )
    overall = "not yet: rate every competency" if review.overall is None else review.overall
    print(f"\nOverall (weighted): {overall}")
    for label, text in (
        ("Strengths", review.strengths),
        ("Areas to improve", review.improvements),
        ("Goals", review.goals),
        ("The associate's comments", review.associate_comments),
    ):
        if text:
            print(f"\n{label}:\n{text}")


def _done(ctx: Context, review: ReviewDetail, what: str) -> int:
    if ctx.json:
        _emit_review(review)
    else:
        print(
            f"Review {review.short_id} of {review.employee_no} {what} "
            f"({review.state.value}, version {review.version})."
        )
    return 0


# ---- handlers ----------------------------------------------------------------------------


def _row_line(r: ReviewRow) -> tuple[object, ...]:
    period = f"{r.period_start} to {r.period_end}"
    state, finalised = r.state.value, r.finalised_on
    return (r.short_id, r.kind.value, period, state, r.reviewer, r.template, finalised, r.version)


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def cmd_list(ctx: Context) -> int:
    rows = review_service.list_reviews(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "kind", "period", "state", "reviewer", "template", "finalised", "version"],
        [_row_line(r) for r in rows],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    review = review_service.get_review(ctx.db, ctx.actor(), args.employee_no, args.review)
    if ctx.json:
        _emit_review(review)
    else:
        _print_review(review)
    return 0


def cmd_add(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    template = review_template_service.get_template(ctx.db, actor, args.template)
    start, end = iso_date(args.start, "period start"), iso_date(args.end, "period end")
    new = NewReview(template.id, ReviewKind(args.kind), start, end)
    return _done(ctx, review_service.create_review(ctx.db, actor, args.employee_no, new), "opened")


def cmd_update(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    ratings = _ratings(ctx, actor)
    changes = ReviewChanges(
        kind=None if args.kind is None else ReviewKind(args.kind),
        period_start=_day(args.start, "period start"),
        period_end=_day(args.end, "period end"),
        ratings=ratings,
        **{field: _text_option(args, stem) for stem, field in _TEXTS.items()},
    )
    review = review_service.update_review(
        ctx.db, actor, args.employee_no, args.review, changes, expected_version=args.if_version
    )
    return _done(ctx, review, "saved")


def _transition(ctx: Context, step: Callable[..., ReviewDetail], what: str, **extra: object) -> int:
    args = ctx.args
    review = step(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.review,
        expected_version=args.if_version,
        **extra,
    )
    return _done(ctx, review, what)


def cmd_submit(ctx: Context) -> int:
    return _transition(ctx, review_service.submit_review, "submitted")


def cmd_reopen(ctx: Context) -> int:
    return _transition(ctx, review_service.reopen_review, "reopened")


def cmd_finalise(ctx: Context) -> int:
    return _transition(ctx, review_service.finalise_review, "finalised", today=date.today())


def cmd_acknowledge(ctx: Context) -> int:
    args = ctx.args
    comments = read_text(args.comments_file) if args.comments_file else args.comments
    return _transition(
        ctx,
        review_service.acknowledge_review,
        "acknowledged",
        acknowledged_on=iso_date(args.date, "acknowledgement date"),
        today=date.today(),
        comments=comments,
    )


def cmd_overdue(ctx: Context) -> int:
    today = _day(ctx.args.as_of, "date") or date.today()
    rows = review_service.overdue_reviews(ctx.db, ctx.actor(), today)
    if ctx.json:
        output.emit_json(rows)
        return 0
    print(f"Annual reviews overdue on {today:%Y-%m-%d}: {len(rows)}.")
    if rows:
        output.table(
            ["team", "supervisors", "employee no", "due", "days overdue"],
            [
                (r.team, ", ".join(r.supervisors), r.employee_no, r.due_on, r.days_overdue)
                for r in rows
            ],
        )
    return 0


def cmd_due(ctx: Context) -> int:
    today = _day(ctx.args.as_of, "date") or date.today()
    items = review_service.due_items(ctx.db, ctx.actor(), today)
    if ctx.json:
        output.emit_json(items)
        return 0
    output.table(
        ["due", "what", "employee no", "team", "record", "overdue"],
        [
            (i.due_on, i.kind, i.employee_no, i.team, i.record_id.hex[:8], _yes(i.overdue(today)))
            for i in items
        ],
    )
    return 0
