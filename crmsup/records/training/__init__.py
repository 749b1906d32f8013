"""Training: HR's course catalogue, courses assigned to associates with a due date, attempts
passed or failed, certificates that lapse, compliance per associate and team, and the
admission of a trained associate to a project.

HR keeps the catalogue (`courses`); keepers assign, record completions and admit
(`service`, which gathers `completions`, `admissions` and `compliance`). `rules` holds the
pure rules, `content` and `workflow` read and change stored rows, `due` answers the inbox.

Face: `service` and `courses`; what they return is in `dto`, the tables and enums in
`models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "courses", "dto", "models")
