"""`review template` commands: HR's review templates from the command line.

A template is addressed by its name or (the first 8 hex digits of) its id. Its competencies
and scale come from a JSON file; a new version of a template in use is a copy under a new name
(`add NEW --like OLD`), edited while no review uses it, and the old one retired.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.records.errors import ValidationFailed
from crmsup.records.reviews import templates as review_template_service
from crmsup.records.reviews.dto import CompetencySpec, TemplateDetail, TemplateSpec


def register(actions: Commands) -> None:
    """Declare `review template …` under the `review` command."""
    group = add_command(actions, "template", None, "review templates (HR maintains them)")
    templates = group.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    listing = add_command(templates, "list", cmd_template_list, "current templates")
    listing.add_argument("--all", action="store_true", help="retired ones too")
    add_command(templates, "show", cmd_template_show, "one template").add_argument(
        "template", metavar="T"
    )
    add = add_command(templates, "add", cmd_template_add, "a new template, or a new version")
    add.add_argument("name", metavar="NAME")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--file",
        type=Path,
        metavar="F",
        help='JSON: {"scale": [five texts for 1..5], "competencies": '
        '[{"name": …, "weight": 1, "description": …}, …]}',
    )
    source.add_argument("--like", metavar="T", help="copy template T (a new version of it)")
    edit = add_command(templates, "edit", cmd_template_edit, "change a template no review uses")
    edit.add_argument("template", metavar="T")
    edit.add_argument("--file", type=Path, required=True, metavar="F", help="as for add")
    edit.add_argument("--name", metavar="NAME", help="rename it")
    edit.add_argument("--if-version", type=int, metavar="V", help="refuse if changed since V")
    for name, handler, text in (
        ("retire", cmd_template_retire, "no new review may use it"),
        ("reactivate", cmd_template_reactivate, "new reviews may use it again"),
    ):
        command = add_command(templates, name, handler, text)
        command.add_argument("template", metavar="T")
        command.add_argument("--if-version", type=int, metavar="V", help="refuse if changed")


def read_text(path: Path) -> str:
    """A text given in a file (UTF-8); exit 3 when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.__class__.__name__}") from None


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _template_spec(path: Path, name: str) -> TemplateSpec:
    try:
        data: Any = json.loads(read_text(path))
        competencies = tuple(
            CompetencySpec(str(c["name"]), c["weight"], _optional(c.get("description")))
            for c in data["competencies"]
        )
        return TemplateSpec(name, tuple(str(s) for s in data["scale"]), competencies)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValidationFailed(
            f'{path} is not a template: expected JSON with "scale" (five texts) and '
            '"competencies" (each with "name", "weight" and an optional "description")'
        ) from None


def _state(template: TemplateDetail) -> str:
    return "active" if template.active else "retired"


def _print_template(template: TemplateDetail) -> None:
    output.fields(
        [
            ("template", template.name),
            ("id", template.id),
            ("state", _state(template)),
            ("used by", f"{template.reviews} review(s)"),
            ("version", template.version),
        ]
    )
    print()
    output.table(
        ["#", "competency", "weight", "description"],
        [(c.position, c.name, c.weight, c.description) for c in template.competencies],
    )
    print()
    output.table(["rating", "means"], list(enumerate(template.scale, start=1)))


def cmd_template_list(ctx: Context) -> int:
    rows = review_template_service.list_templates(ctx.db, ctx.actor(), include_retired=ctx.args.all)
    if ctx.json:
        output.emit_json(rows)
    else:
        output.table(
            ["template", "id", "competencies", "state", "reviews", "version"],
            [
                (t.name, t.id.hex[:8], len(t.competencies), _state(t), t.reviews, t.version)
                for t in rows
            ],
        )
    return 0


def _template_done(ctx: Context, template: TemplateDetail) -> int:
    if ctx.json:
        output.emit_json(template)
    else:
        _print_template(template)
    return 0


def cmd_template_show(ctx: Context) -> int:
    actor = ctx.actor()
    return _template_done(
        ctx, review_template_service.get_template(ctx.db, actor, ctx.args.template)
    )


def cmd_template_add(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    if args.like is not None:
        made = review_template_service.copy_template(ctx.db, actor, args.like, args.name)
    else:
        spec = _template_spec(args.file, args.name)
        made = review_template_service.create_template(ctx.db, actor, spec)
    return _template_done(ctx, made)


def cmd_template_edit(ctx: Context) -> int:
    args, actor = ctx.args, ctx.actor()
    current = review_template_service.get_template(ctx.db, actor, args.template)
    spec = _template_spec(args.file, args.name or current.name)
    changed = review_template_service.update_template(
        ctx.db, actor, current.id, spec, expected_version=args.if_version
    )
    return _template_done(ctx, changed)


def _set_active(ctx: Context, active: bool) -> int:
    args = ctx.args
    changed = review_template_service.set_active(
        ctx.db, ctx.actor(), args.template, active, expected_version=args.if_version
    )
    return _template_done(ctx, changed)


def cmd_template_retire(ctx: Context) -> int:
    return _set_active(ctx, False)


def cmd_template_reactivate(ctx: Context) -> int:
    return _set_active(ctx, True)
