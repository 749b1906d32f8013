"""Run every benchmark; exit 1 when one misses its target ratio."""

from __future__ import annotations

import sys

from bench import associate_file, audit_append, audit_verify, inbox, open_roster


def main() -> int:
    results = [
        open_roster.run(),
        audit_verify.run(),
        audit_append.run(),
        associate_file.run(),
        inbox.run(),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
