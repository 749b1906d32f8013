"""Recommendations to hire, promote, advance, transfer or terminate, decided by the site
manager and then HR, and the candidates a hire is recommended from.

Authors draft and submit recommendations with their evidence (`drafts`); the site manager and
HR decide (`service`), and HR's approval applies the change in the same transaction
(`apply`: a new title, a move to another team, a termination, a hire). Candidates, their
interview notes and their own data key are `candidates`, `candidate_content` and
`candidate_keys`. `rules` holds the pure rules, `content` and `lookup` read stored rows,
`due` answers the inbox.

Face: `service` and `candidates`, with `candidate_keys` for erasure; what they return is in
`dto`, the tables and enums in `models`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("service", "candidates", "candidate_keys", "dto", "models")
