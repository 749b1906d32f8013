"""Performance reviews: HR's templates of weighted competencies, and each associate's reviews
from draft to submitted, acknowledged and finalised, with the annual review falling due.

HR keeps the templates (`templates`); keepers write, submit and reopen reviews, the
associate's acknowledgement is recorded and HR finalises (`service`). `rules` holds the pure
rules (ratings, the weighted overall score), `content` reads and seals stored rows, `due`
answers the inbox and the overdue list.

Face: `service` and `templates`; what they return is in `dto`, the tables and enums in
`models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "templates", "dto", "models")
