"""Attendance and PTO: absences, late arrivals and early leaves with their points over a
rolling window, and paid time off (its accrual, ledger, balance and requests, in `pto/`).

Keepers record events and see an associate's points, and the discipline step a threshold
suggests (`service`); HR sets the points per kind, the window and the thresholds
(`settings`). `rules` and `points` work out the points, `content` reads and seals stored
rows, `due` answers the inbox for attendance and time-off requests alike.

Face: `service` and `settings`, and `pto.service` and `pto.requests`; what they return is in
`dto` and `pto.dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "settings", "pto.service", "pto.requests", "dto", "pto.dto", "models")
