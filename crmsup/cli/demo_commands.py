"""`demo`: fill an empty database with a realistic organisation to try the app on."""

from __future__ import annotations

from crmsup.cli.context import Commands


def register(commands: Commands) -> None:
    """Declare this module's commands on the `crmsup-admin` parser."""
