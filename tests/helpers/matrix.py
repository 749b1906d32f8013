"""The type of one cell's executor in the permission matrix walk
(tests/unit/records/test_permission_matrix.py): run the action as `actor`, in `org`, with a
scratch folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crmsup.records.actor import Actor
from tests.factories import Org

Executor = Callable[[Org, Actor, Path], object]
