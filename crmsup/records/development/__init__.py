"""Development and coaching: monthly development plans updated each week, coaching sessions,
and call-monitoring evaluations scored on HR's versioned scorecards.

Keepers draft, activate and close plans (`service`) and write their weekly updates
(`updates`), record coaching sessions (`coaching`) and evaluations (`evaluations`); HR keeps
the scorecards (`scorecards`). `rules` and `scorecard_rules` are the pure rules, `content`
reads stored rows, `due` answers the inbox.

Face: `service`, `updates`, `coaching`, `evaluations` and `scorecards`; what they return is
in `dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "updates", "coaching", "evaluations", "scorecards", "dto", "models")
