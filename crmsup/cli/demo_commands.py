"""`demo`: fill an empty database with a realistic organisation to try the app on."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from crmsup.cli import output
from crmsup.cli.context import Commands, Context, add_command
from crmsup.cli.org_commands import write_new_private_file
from crmsup.demo.generate import Count, DemoSummary, generate_demo
from crmsup.demo.plan import ORGANISATION, check_associates
from crmsup.records import validation
from crmsup.records.types import utcnow
from crmsup.security.recovery import new_recovery_key, recovery_sheet

DEFAULT_SEED = 1


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
    demo = add_command(
        commands,
        "demo",
        cmd_demo,
        "turn an empty database into a demo organisation (logins share the new password)",
    )
    demo.add_argument(
        "--associates", required=True, type=int, metavar="N", help="how many associates"
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"the same seed gives the same people and records (default {DEFAULT_SEED})",
    )
    demo.add_argument(
        "--recovery-key-file",
        required=True,
        type=Path,
        metavar="FILE",
        help="new file for the printable organisation recovery key (as for init)",
    )


def cmd_demo(ctx: Context) -> int:
    """The password of every login comes from --new-password-file or CRMSUP_NEW_PASSWORD;
    the recovery sheet is written (0600) before anything reaches the database, and removed
    again if the demo is refused."""
    args = ctx.args
    check_associates(args.associates)
    password = validation.password(ctx.new_password())
    target = Path(args.recovery_key_file)
    key = new_recovery_key()
    started = time.perf_counter()
    partial = write_new_private_file(target, recovery_sheet(key, ORGANISATION))
    try:
        summary = generate_demo(
            ctx.db,
            associates=args.associates,
            seed=args.seed,
            password=password,
            recovery=key,
            today=utcnow().date(),
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    seconds = round(time.perf_counter() - started, 1)
    if ctx.json:
        output.emit_json(_as_json(summary, target, seconds))
    else:
        _print(summary, target, seconds)
    return 0


def _mapping(counts: tuple[Count, ...]) -> dict[str, int]:
    return {c.name: c.count for c in counts}


def _as_json(summary: DemoSummary, sheet: Path, seconds: float) -> dict[str, Any]:
    return {
        "organisation": summary.organisation,
        "seed": summary.seed,
        "as_of": summary.as_of.isoformat(),
        "sites": list(summary.sites),
        "teams": output.plain(summary.teams),
        "team_note": summary.team_note,
        "associates": {
            "total": summary.associates,
            "by_status": _mapping(summary.associates_by_status),
        },
        "review_templates": summary.review_templates,
        "records": {
            r.kind: {
                "total": r.total,
                "states": _mapping(r.states),
                "by_kind": _mapping(r.varieties),
            }
            for r in summary.records
        },
        "logins": output.plain(summary.logins),
        "login_note": summary.login_note,
        "recovery_key_file": str(sheet),
        "seconds": seconds,
    }


def _line(counts: tuple[Count, ...]) -> str:
    return ", ".join(f"{c.name} {c.count}" for c in counts)


def _print(summary: DemoSummary, sheet: Path, seconds: float) -> None:
    sites = len(summary.sites)
    print(
        f"{summary.organisation} is ready: {summary.associates} associates on "
        f"{len(summary.teams)} teams at {sites} site{'s' if sites > 1 else ''} "
        f"(seed {summary.seed}, as of {summary.as_of:%Y-%m-%d}, in {seconds} s)."
    )
    print(f"Associates: {_line(summary.associates_by_status)}.")
    print()
    output.table(
        ["team", "site", "supervisor", "associates"],
        [(t.name, t.site, t.supervisor, t.associates) for t in summary.teams],
    )
    if summary.team_note:
        print(summary.team_note)
    print()
    print(f"Review templates: {summary.review_templates}. Records of the associates' files:")
    output.table(
        ["kind", "total", "states", "by kind"],
        [(r.kind, r.total, _line(r.states), _line(r.varieties)) for r in summary.records],
    )
    print("(Discipline states are as of today: expired ones are past their live period.)")
    print()
    output.table(
        ["login", "role", "site", "team"],
        [(u.username, u.role.value, u.site, ", ".join(u.teams)) for u in summary.logins],
    )
    print(summary.login_note)
    print(f"The recovery key sheet is in {sheet}: print it, store it in a safe, and delete")
    print("the file. It is shown this once and kept nowhere else.")
