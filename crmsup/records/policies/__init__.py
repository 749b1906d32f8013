"""Policies: versions HR publishes, in force from a day, and who acknowledged them — each
account for itself within the business-time window, associates as recorded by a keeper.

`service` publishes, lists, acknowledges, retires and keeps HR's acknowledgement settings
(gathering `acks` and `retirement`). `rules` holds the business-time arithmetic, `content`
finds policies and versions, `due` answers the inbox.

Face: `service`; what it returns is in `dto`, the tables in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "dto", "models")
