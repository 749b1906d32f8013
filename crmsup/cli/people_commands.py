"""`user`, `grant`, `revoke` and `associate` commands."""

from __future__ import annotations

from crmsup.cli import output
from crmsup.cli.context import Context
from crmsup.records.people import associates as associate_service
from crmsup.records.people import auth as auth_service
from crmsup.records.people import grants as grant_service
from crmsup.records.people import users as user_service
from crmsup.records.people.dto import NewAssociate, UserRow
from crmsup.records.validation import iso_date
from crmsup.security.permissions import Role


def _user_line(row: UserRow) -> tuple[object, ...]:
    state = "disabled" if row.disabled else "active"
    pending = ", ".join(row.pending_teams)
    return (row.username, row.role.value, row.site, ", ".join(row.teams), state, pending)


def cmd_user_add(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.actor()
    row = user_service.add_user(
        ctx.db,
        actor,
        args.username,
        Role(args.role),
        ctx.new_password(),
        teams=tuple(args.team or ()),
        site=args.site,
    )
    if ctx.json:
        output.emit_json(row)
        return 0
    print(f"User {row.username} ({row.role.value}) added.")
    if row.pending_teams:
        print(
            "Access to " + ", ".join(row.pending_teams) + " is pending until HR or the site "
            f"manager confirms the account (crmsup-admin grant {row.username})."
        )
    return 0


def cmd_user_list(ctx: Context) -> int:
    rows = user_service.list_users(ctx.db, ctx.actor())
    if ctx.json:
        output.emit_json(rows)
    else:
        headers = ["user", "role", "site", "teams", "state", "access pending"]
        output.table(headers, [_user_line(r) for r in rows])
    return 0


def cmd_user_disable(ctx: Context, disabled: bool = True) -> int:
    row = user_service.set_disabled(ctx.db, ctx.actor(), ctx.args.username, disabled)
    if ctx.json:
        output.emit_json(row)
    else:
        print(f"User {row.username} is {'disabled' if row.disabled else 'enabled'}.")
    return 0


def cmd_user_enable(ctx: Context) -> int:
    return cmd_user_disable(ctx, disabled=False)


def cmd_user_role(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.actor()
    ctx.reauthenticate(actor, "change a role")
    row = user_service.change_role(ctx.db, actor, args.username, Role(args.role), site=args.site)
    if ctx.json:
        output.emit_json(row)
    else:
        print(
            f"{row.username} is now {row.role.value}. Their keys were dropped: HR or the site "
            f"manager hands on those of the new role with crmsup-admin grant {row.username}."
        )
    return 0


def cmd_user_passwd(ctx: Context) -> int:
    """Change one's password; on an account's first login, choose it (and so enrol)."""
    current = ctx.password()
    actor = ctx.actor()
    if not ctx.enrolled:
        auth_service.change_password(ctx.db, actor, current, ctx.new_password())
    if ctx.json:
        output.emit_json({"user": actor.username, "password_changed": True})
    else:
        print(f"The password of {actor.username} is changed.")
    return 0


def cmd_grant(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.actor()
    ctx.reauthenticate(actor, "hand on keys")
    changed = grant_service.grant(ctx.db, actor, args.username, args.team)
    what = f"the key of {args.team}" if args.team else "the keys of their scope that you hold"
    if ctx.json:
        output.emit_json({"user": args.username, "team": args.team, "changed": changed})
    elif changed:
        print(f"{args.username} is confirmed and now holds {what}.")
    else:
        print(f"{args.username} already held {what}.")
    return 0


def cmd_revoke(ctx: Context) -> int:
    grant_service.revoke(ctx.db, ctx.actor(), ctx.args.username, ctx.args.team)
    if ctx.json:
        output.emit_json({"user": ctx.args.username, "team": ctx.args.team, "revoked": True})
    else:
        print(f"{ctx.args.username} no longer holds {ctx.args.team}.")
    return 0


def cmd_associate_add(ctx: Context) -> int:
    args = ctx.args
    new = NewAssociate(
        employee_no=args.employee_no,
        first_name=args.first,
        last_name=args.last,
        team=args.team,
        preferred_name=args.preferred,
        email=args.email,
        phone=args.phone,
        job_title=args.title,
        hire_date=iso_date(args.hired, "hire date") if args.hired else None,
        date_of_birth=iso_date(args.born, "date of birth") if args.born else None,
    )
    detail = associate_service.add_associate(ctx.db, ctx.actor(), new)
    if ctx.json:
        output.emit_json(detail)
    else:
        print(f"Associate {detail.employee_no} added to {detail.team}.")
    return 0


def cmd_associate_list(ctx: Context) -> int:
    roster = associate_service.list_roster(ctx.db, ctx.actor(), ctx.args.team)
    if ctx.json:
        output.emit_json(list(roster.rows))
    else:
        output.table(
            ["employee no", "last name", "first name", "team", "status", "title", "hired"],
            [
                (
                    r.employee_no,
                    r.last_name,
                    r.first_name,
                    r.team,
                    r.status.value,
                    r.job_title,
                    r.hire_date,
                )
                for r in roster.rows
            ],
        )
    if roster.pending_teams:
        output.note(
            "Access pending for "
            + ", ".join(roster.pending_teams)
            + ": HR or the site manager has not handed you those keys yet."
        )
    return 0


def cmd_associate_show(ctx: Context) -> int:
    detail = associate_service.get_associate(ctx.db, ctx.actor(), ctx.args.employee_no)
    if ctx.json:
        output.emit_json(detail)
        return 0
    output.fields(
        [
            ("employee no", detail.employee_no),
            ("name", f"{detail.first_name} {detail.last_name}"),
            ("preferred name", detail.preferred_name),
            ("e-mail", detail.email),
            ("phone", detail.phone),
            ("address", detail.address),
            ("date of birth", detail.date_of_birth),
            ("team", f"{detail.team} ({detail.site})"),
            ("status", detail.status.value),
            ("job title", detail.job_title),
            ("hired", detail.hire_date),
            ("terminated", detail.termination_date),
        ]
    )
    return 0
