"""Progressive discipline: the records of an associate's file from coaching to termination.

HR keeps the levels (`levels`, seeded for a new organisation from `defaults`); keepers of the
file write drafts and read records with the level the rules suggest (`service`), take them
through approval, issue, acknowledgement and rescission (`workflow`), annotate them and
attach signed notices (`attachments`); `report` compares the levels supervisors give for
comparable histories. `rules` holds the pure rules, `content` reads and seals stored rows,
`due` answers the inbox.

Face: `service`, `workflow`, `levels`, `attachments`, `report` and `defaults`; what they
return is in `dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "workflow", "levels", "attachments", "report", "defaults", "dto", "models")
