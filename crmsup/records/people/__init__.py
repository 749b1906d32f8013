"""The organisation's own work: its sites and teams, accounts and their keys, who is granted
which team, logging in and locking, the associates on each team, their status and transfers,
and recovery when the last holder of a key forgets their password.

`org` sets up the organisation, its sites and teams; `users` and `accounts` make and disable
accounts; `grants` grants and revokes teams and hands keys on; `auth` logs in, changes
passwords and locks; `associates`, `status` and `transfer` keep the roster; `recovery` uses
the organisation's recovery key; `info` says what a database is. What they return is in
`dto`.

The areas of the file build on this package; it imports none of them but `discipline`
(whose default levels a new organisation starts with).

Face: every module named above — each is a service of its own.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = (
    "org",
    "users",
    "accounts",
    "grants",
    "auth",
    "associates",
    "status",
    "transfer",
    "recovery",
    "info",
    "dto",
)
