"""The `crmsup-admin` command line. Its contract is set in the issues; change it with care."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmsup.cli import (
    access_commands,
    associate_file_commands,
    attendance_commands,
    audit_commands,
    backup_commands,
    demo_commands,
    development_commands,
    discipline_commands,
    inbox_commands,
    policy_commands,
    recommendation_commands,
    retention_commands,
    review_commands,
    training_commands,
)
from crmsup.cli import org_commands as org
from crmsup.cli import people_commands as people
from crmsup.cli.context import add_command
from crmsup.security.permissions import Role

EPILOG = (
    "Passwords never go on the command line: use --password-file FILE, CRMSUP_PASSWORD, or "
    "answer the prompt. Exit codes: 0 ok, 2 usage, 3 validation failed (nothing written), "
    "4 permission denied, 5 authentication failed or locked, 6 integrity failure, 1 other."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmsup-admin",
        description="Administer a crmsup database: organisation, accounts, teams, associates.",
        epilog=EPILOG,
        allow_abbrev=False,  # so that no --password prefix ever matches --password-file
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: CRMSUP_DB, else "
        "the embedded SQLite file in the user data folder)",
    )
    parser.add_argument("--user", metavar="NAME", help="the account that runs the command")
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="file whose first line is the password of --user",
    )
    parser.add_argument(
        "--new-password-file",
        type=Path,
        metavar="FILE",
        help="file whose first line is a new password (or CRMSUP_NEW_PASSWORD)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = add_command(
        commands, "init", org.cmd_init, "create the organisation and the first accounts"
    )
    init.add_argument("--org", required=True, help="organisation name")
    init.add_argument("--site", required=True, help="first site")
    init.add_argument("--admin", required=True, metavar="USER", help="IT administrator account")
    init.add_argument("--hr", required=True, metavar="USER", help="first HR account")
    init.add_argument(
        "--recovery-key-file",
        required=True,
        type=Path,
        metavar="FILE",
        help="new file for the printable organisation recovery key",
    )

    recover_cmd = add_command(
        commands,
        "recover",
        org.cmd_recover,
        "re-seal team keys to an account with the organisation recovery sheet (HR)",
    )
    recover_cmd.add_argument("username", metavar="USER", help="the account to receive them")
    recover_cmd.add_argument("--recovery-key-file", required=True, type=Path, metavar="FILE")

    add_command(commands, "migrate", org.cmd_migrate, "bring the schema up to date")
    add_command(commands, "info", org.cmd_info, "what this database holds (no personal data)")

    user = add_command(commands, "user", None, "accounts").add_subparsers(
        dest="user_command", required=True, metavar="ACTION"
    )
    add = add_command(user, "add", people.cmd_user_add, "create an account (admin)")
    add.add_argument("username", metavar="USER")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--team", action="append", metavar="T", help="team led (repeatable)")
    add.add_argument("--site", metavar="S", help="home site (required for site managers)")
    role = add_command(user, "role", people.cmd_user_role, "change an account's role (admin)")
    role.add_argument("username", metavar="USER")
    role.add_argument("--role", required=True, choices=[r.value for r in Role])
    role.add_argument("--site", metavar="S", help="home site (required for site managers)")
    add_command(user, "list", people.cmd_user_list, "list accounts and pending access")
    for name, handler in (("disable", people.cmd_user_disable), ("enable", people.cmd_user_enable)):
        add_command(user, name, handler, f"{name} an account (admin)").add_argument(
            "username", metavar="USER"
        )
    add_command(
        user,
        "passwd",
        people.cmd_user_passwd,
        "change the password of --user (current via --password-file or CRMSUP_PASSWORD); at "
        "an account's first login, choose it: IT's first password as the current one",
    )

    grant = add_command(
        commands,
        "grant",
        people.cmd_grant,
        "vouch for an account and hand it team keys (HR, site manager)",
    )
    grant.add_argument("username", metavar="USER")
    grant.add_argument(
        "--team", metavar="T", help="this team (default: every team the account's role reaches)"
    )
    revoke = add_command(commands, "revoke", people.cmd_revoke, "take a team from a user")
    revoke.add_argument("username", metavar="USER")
    revoke.add_argument("--team", required=True, metavar="T")

    site = add_command(commands, "site", None, "sites").add_subparsers(
        dest="site_command", required=True, metavar="ACTION"
    )
    add_command(site, "add", org.cmd_site_add, "add a site").add_argument("name", metavar="NAME")

    team = add_command(commands, "team", None, "teams").add_subparsers(
        dest="team_command", required=True, metavar="ACTION"
    )
    team_add = add_command(team, "add", org.cmd_team_add, "add a team and make its key")
    team_add.add_argument("name", metavar="NAME")
    team_add.add_argument("--site", required=True, metavar="S")
    team_add.add_argument("--supervisor", action="append", metavar="USER")
    add_command(team, "list", org.cmd_team_list, "list teams")

    associate = add_command(commands, "associate", None, "associates").add_subparsers(
        dest="associate_command", required=True, metavar="ACTION"
    )
    a_add = add_command(associate, "add", people.cmd_associate_add, "add an associate to a team")
    a_add.add_argument("--employee-no", required=True, metavar="N")
    a_add.add_argument("--first", required=True, metavar="F")
    a_add.add_argument("--last", required=True, metavar="L")
    a_add.add_argument("--team", required=True, metavar="T")
    a_add.add_argument("--preferred", metavar="NAME")
    a_add.add_argument("--email")
    a_add.add_argument("--phone")
    a_add.add_argument("--title")
    a_add.add_argument("--hired", metavar="YYYY-MM-DD")
    a_add.add_argument("--born", metavar="YYYY-MM-DD")
    a_list = add_command(associate, "list", people.cmd_associate_list, "the roster you may see")
    a_list.add_argument("--team", metavar="T")
    add_command(
        associate, "show", people.cmd_associate_show, "one associate's details"
    ).add_argument("employee_no", metavar="N")
    associate_file_commands.register(associate)
    for module in (
        audit_commands,
        backup_commands,
        retention_commands,
        discipline_commands,
        review_commands,
        recommendation_commands,
        training_commands,
        attendance_commands,
        policy_commands,
        development_commands,
        access_commands,
        inbox_commands,
        demo_commands,
    ):
        module.register(commands)
    return parser
