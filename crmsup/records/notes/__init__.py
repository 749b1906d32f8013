"""Notes and client claims: dated notes of conversations and feedback, and clients' claims
about an associate with their 30-minute first response, responded to and closed with an
outcome.

`service` writes and reads notes and claims (gathering `claims` and `edits`). `rules` holds
the pure rules, `content` reads and seals stored rows, `due` answers the inbox.

Face: `service`; what it returns is in `dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "dto", "models")
