"""`coaching` commands: coaching sessions and call-monitoring evaluations of an associate.

Records are addressed by the associate's employee number and the first 8 hex digits of their
id. An evaluation's answers are `--answer I=pass|fail|na`, I being the item's number on the
scorecard (`scorecard show S`); `--plan ID` / `--discipline ID` link a record of the same
associate ("" unlinks); `--if-version V` refuses a change when someone changed it since V.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import date

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.development_inputs import link_options, text_option, text_options
from crmsup.records.actor import Actor
from crmsup.records.development import coaching as sessions
from crmsup.records.development import evaluations
from crmsup.records.development import scorecards as scorecard_service
from crmsup.records.development.dto import (
    EvaluationChanges,
    EvaluationDetail,
    NewEvaluation,
    NewSession,
    ScorecardLine,
    SessionChanges,
    SessionDetail,
)
from crmsup.records.errors import ValidationFailed
from crmsup.records.validation import iso_date

_SESSION_TEXTS = ("topic", "notes", "actions")
_EVALUATION_TEXTS = ("call-ref", "strengths", "actions")


def register(commands: Commands) -> None:
    """Declare `coaching` on the `crmsup-admin` parser."""
    coaching = add_command(commands, "coaching", None, "coaching sessions and call evaluations")
    actions = coaching.add_subparsers(dest="coaching_command", required=True, metavar="ACTION")
    add_command(actions, "list", cmd_list, "an associate's coaching sessions").add_argument(
        "employee_no", metavar="N"
    )
    _ref(add_command(actions, "show", cmd_show, "one coaching session"))
    add = add_command(actions, "add", cmd_add, "record a coaching session; you are the coach")
    add.add_argument("employee_no", metavar="N")
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    _texts(add, _SESSION_TEXTS, link=True)
    update = add_command(actions, "update", cmd_update, "change a coaching session")
    _ref(update, locking=True)
    update.add_argument("--date", metavar="YYYY-MM-DD")
    _texts(update, _SESSION_TEXTS, link=True)

    add_command(
        actions, "evaluations", cmd_evaluations, "an associate's call evaluations"
    ).add_argument("employee_no", metavar="N")
    _ref(add_command(actions, "evaluation", cmd_evaluation, "one call evaluation, with its score"))
    evaluate = add_command(actions, "evaluate", cmd_evaluate, "score a monitored call")
    evaluate.add_argument("employee_no", metavar="N")
    evaluate.add_argument("--scorecard", required=True, metavar="S", help="scorecard name or id")
    evaluate.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    _answers_option(evaluate)
    _texts(evaluate, _EVALUATION_TEXTS, link=True)
    change = add_command(actions, "reevaluate", cmd_reevaluate, "change a call evaluation")
    _ref(change, locking=True)
    change.add_argument("--date", metavar="YYYY-MM-DD")
    _answers_option(change)
    _texts(change, _EVALUATION_TEXTS, link=True)


def _ref(parser: argparse.ArgumentParser, *, locking: bool = False) -> None:
    parser.add_argument("employee_no", metavar="N")
    parser.add_argument("record", metavar="ID", help="its id or the first 8 hex digits of it")
    if locking:
        parser.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")


def _texts(parser: argparse.ArgumentParser, stems: tuple[str, ...], *, link: bool) -> None:
    for stem in stems:
        text_options(parser, stem)
    if link:
        link_options(parser)


def _answers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="I=A",
        help="answer item I (its number) pass, fail or na (repeatable)",
    )


def _answers(items: tuple[ScorecardLine, ...], given: list[str]) -> dict[uuid.UUID, str]:
    by_number = {str(i.position): i.id for i in items}
    out: dict[uuid.UUID, str] = {}
    for value in given:
        key, sep, answer = value.partition("=")
        if not sep or key.strip() not in by_number:
            raise ValidationFailed(
                f"--answer takes I=pass|fail|na, I an item number 1 to {len(items)}"
            )
        out[by_number[key.strip()]] = answer
    return out


def _day(value: str | None, what: str) -> date | None:
    return None if value is None else iso_date(value, what)


# ---- sessions ----------------------------------------------------------------------------


def _session_done(ctx: Context, found: SessionDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(found)
    else:
        print(
            f"Coaching session {found.short_id} of {found.employee_no} {what} "
            f"(version {found.version})."
        )
    return 0


def cmd_list(ctx: Context) -> int:
    rows = sessions.list_sessions(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "date", "coach", "plan", "discipline", "version"],
        [
            (
                r.short_id,
                r.held_on,
                r.coach,
                r.plan_id and r.plan_id.hex[:8],
                r.discipline_id and r.discipline_id.hex[:8],
                r.version,
            )
            for r in rows
        ],
    )
    return 0


def cmd_show(ctx: Context) -> int:
    found = sessions.get_session(ctx.db, ctx.actor(), ctx.args.employee_no, ctx.args.record)
    if ctx.json:
        output.emit_json(found)
        return 0
    output.fields(
        [
            ("session", found.short_id),
            ("associate", f"{found.employee_no} ({found.team})"),
            ("date", found.held_on),
            ("coach", found.coach),
            ("topic", found.topic),
            ("plan", found.plan_id and found.plan_id.hex[:8]),
            ("discipline", found.discipline_id and found.discipline_id.hex[:8]),
            ("version", found.version),
        ]
    )
    for label, text in (("Notes", found.notes), ("Agreed actions", found.actions)):
        if text:
            print(f"\n{label}:\n{text}")
    return 0


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    new = NewSession(
        held_on=iso_date(args.date, "session date"),
        topic=text_option(args, "topic") or "",
        notes=text_option(args, "notes"),
        actions=text_option(args, "actions"),
        plan=args.plan,
        discipline=args.discipline,
    )
    made = sessions.create_session(ctx.db, ctx.actor(), args.employee_no, new, today=date.today())
    return _session_done(ctx, made, "recorded")


def cmd_update(ctx: Context) -> int:
    args = ctx.args
    changes = SessionChanges(
        held_on=_day(args.date, "session date"),
        **{stem: text_option(args, stem) for stem in _SESSION_TEXTS},
        plan=args.plan,
        discipline=args.discipline,
    )
    found = sessions.update_session(
        ctx.db,
        ctx.actor(),
        args.employee_no,
        args.record,
        changes,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _session_done(ctx, found, "saved")


# ---- evaluations -------------------------------------------------------------------------


def _evaluation_done(ctx: Context, found: EvaluationDetail, what: str) -> int:
    if ctx.json:
        output.emit_json(found)
    else:
        score = "nothing applicable" if found.score is None else f"{found.score}%"
        print(
            f"Evaluation {found.short_id} of {found.employee_no} {what}: {score} "
            f"(version {found.version})."
        )
    return 0


def cmd_evaluations(ctx: Context) -> int:
    rows = evaluations.list_evaluations(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(rows)
        return 0
    output.table(
        ["id", "date", "scorecard", "evaluator", "version"],
        [
            (r.short_id, r.evaluated_on, f"{r.scorecard}@{r.revision}", r.evaluator, r.version)
            for r in rows
        ],
    )
    return 0


def cmd_evaluation(ctx: Context) -> int:
    found = evaluations.get_evaluation(ctx.db, ctx.actor(), ctx.args.employee_no, ctx.args.record)
    if ctx.json:
        output.emit_json(found)
        return 0
    output.fields(
        [
            ("evaluation", found.short_id),
            ("associate", f"{found.employee_no} ({found.team})"),
            ("date", found.evaluated_on),
            ("scorecard", f"{found.scorecard}@{found.revision}"),
            ("evaluator", found.evaluator),
            ("call", found.call_ref),
            ("score", "nothing applicable" if found.score is None else f"{found.score}%"),
            ("version", found.version),
        ]
    )
    print()
    output.table(
        ["#", "item", "weight", "auto-fail", "answer"],
        [
            (x.position, x.text, x.weight, "yes" if x.auto_fail else "", x.answer.value)
            for x in found.lines
        ],
    )
    for label, text in (("Strengths", found.strengths), ("Actions", found.actions)):
        if text:
            print(f"\n{label}:\n{text}")
    return 0


def _items_of(ctx: Context, actor: Actor, ref: str) -> tuple[uuid.UUID, tuple[ScorecardLine, ...]]:
    card = scorecard_service.get_scorecard(ctx.db, actor, ref)
    return card.id, card.items


def cmd_evaluate(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    card_id, items = _items_of(ctx, actor, args.scorecard)
    new = NewEvaluation(
        scorecard_id=card_id,
        evaluated_on=iso_date(args.date, "evaluation date"),
        answers=_answers(items, args.answer),
        call_ref=text_option(args, "call-ref"),
        strengths=text_option(args, "strengths"),
        actions=text_option(args, "actions"),
        plan=args.plan,
        discipline=args.discipline,
    )
    made = evaluations.create_evaluation(ctx.db, actor, args.employee_no, new, today=date.today())
    return _evaluation_done(ctx, made, "recorded")


def cmd_reevaluate(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    answers = None
    if args.answer:
        current = evaluations.get_evaluation(ctx.db, actor, args.employee_no, args.record)
        answers = _answers(_items_of(ctx, actor, str(current.scorecard_id))[1], args.answer)
    changes = EvaluationChanges(
        evaluated_on=_day(args.date, "evaluation date"),
        answers=answers,
        call_ref=text_option(args, "call-ref"),
        strengths=text_option(args, "strengths"),
        actions=text_option(args, "actions"),
        plan=args.plan,
        discipline=args.discipline,
    )
    found = evaluations.update_evaluation(
        ctx.db,
        actor,
        args.employee_no,
        args.record,
        changes,
        today=date.today(),
        expected_version=args.if_version,
    )
    return _evaluation_done(ctx, found, "saved")
