"""The kernel's registrations of one area's reaction to another's change."""

from __future__ import annotations

import inspect
import uuid
from datetime import date
from importlib import import_module

import pytest

from crmsup.records import reactions

#: A call of each kind, as `reactions` makes it (the values only have to bind).
CALLS = {
    "ON_TERMINATION": (
        (object(), object(), uuid.uuid4(), date(2026, 1, 1)),
        {"recommendation_id": None},
    ),
    "ON_TRANSFER": ((object(), uuid.uuid4(), uuid.uuid4()), {}),
}


@pytest.mark.parametrize("kind", sorted(CALLS))
def test_each_registered_reaction_resolves_and_takes_the_call_made_to_it(kind: str) -> None:
    paths: tuple[str, ...] = getattr(reactions, kind)
    assert paths
    args, kwargs = CALLS[kind]
    for path, function in zip(paths, reactions.resolved(paths), strict=True):
        assert callable(function), path
        # A renamed parameter or a dropped one fails here, not at a user's termination.
        inspect.signature(function).bind(*args, **kwargs)
        module = path.partition(":")[0]
        # A reaction is reached through its area's face, the module the CLI calls.
        assert module.endswith(".service"), path
        assert path.partition(":")[2] in import_module(module).__all__, path


def test_a_path_that_names_nothing_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        reactions.resolved(("crmsup.records.access.service:no_such_reaction",))
