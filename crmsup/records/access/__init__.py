"""Access and IT requests: filed by a keeper, decided by a site manager or HR, provisioned
and closed by IT with the organisation's access key; and the revocation a termination opens.

`service` files, decides, provisions, closes and lists requests (`listing` is the queue).
`revocation` opens the revocation of what a terminated associate holds, run on every
termination (see `crmsup.records.reactions`). `rules` holds the pure rules, `content` reads
and seals stored rows, `due` answers the inbox.

Face: `service`; what it returns is in `dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "dto", "models")
