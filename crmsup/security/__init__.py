"""Pure cryptography and policy: no SQLAlchemy, no Qt, no I/O beyond what callers hand in."""
