"""Keeping the database itself: encrypted backups and restores (`backup`, with `backup_copy`,
`dump`, `restore_target` and `sqlite_files`), retention periods and legal holds
(`retention`), and the erasure of an associate whose period has run out (`erasure`).

Above the areas: erasure empties every area's rows of the associate (listed by
`crmsup.records.schema`), a backup copies every table.

Face: `backup`, `retention` and `erasure`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("backup", "retention", "erasure")
