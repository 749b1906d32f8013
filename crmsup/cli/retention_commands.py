"""`retention`, `legal-hold` and `erase`: keeping records no longer than needed."""

from __future__ import annotations

from crmsup.cli.context import Commands


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
