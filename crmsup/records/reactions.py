"""Where one area reacts to another's change: the registrations, declared here, in the kernel.

Two changes of the organisation reach into areas that are not theirs:

- **A termination closes the associate's access.** Whichever way it comes — HR approving a
  termination recommendation (`recommendations.apply`, and the demo) or HR / a site manager
  setting the status (`people.status`) — `after_termination` runs in the transaction that
  terminates, and access opens an approved revocation request for IT, due on the termination
  date, listing every system provisioned and not yet revoked. The request is opened even when
  nothing was provisioned through crmsup: accounts made before it, the badge and the
  equipment are on no line, and IT expects an explicit "close accounts and badge" request
  rather than silence.
- **A transfer takes the associate's recommendations along.** `people.transfer` re-wraps the
  data key for the new team; `after_transfer` then lets recommendations move the team their
  scope follows, in the same transaction.

Each reaction is named here by its dotted path (`module:function`, resolved by
`pkgutil.resolve_name` on first use), so the kernel and the area that changes import neither
the area that reacts — no import circle, and one place to read what follows what. Reactions
run in the caller's session: what they write commits or rolls back with the change itself.
A test resolves each path and checks its signature.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from functools import cache
from pkgutil import resolve_name
from typing import Protocol, cast

from sqlalchemy.orm import Session

from crmsup.records.actor import Actor


class TerminationReaction(Protocol):
    def __call__(
        self,
        session: Session,
        actor: Actor,
        associate_id: uuid.UUID,
        termination_date: date,
        *,
        recommendation_id: uuid.UUID | None = None,
    ) -> object: ...


class TransferReaction(Protocol):
    def __call__(
        self, session: Session, associate_id: uuid.UUID, target_team_id: uuid.UUID
    ) -> object: ...


#: What runs when an associate is terminated, in this order.
ON_TERMINATION: tuple[str, ...] = ("crmsup.records.access.service:open_revocation",)
#: What runs when an associate moves to another team, after their key is re-wrapped.
ON_TRANSFER: tuple[str, ...] = ("crmsup.records.recommendations.service:follow_transfer",)


@cache
def resolved(paths: Sequence[str]) -> tuple[object, ...]:
    """The functions `paths` name, imported once."""
    return tuple(resolve_name(path) for path in paths)


def after_termination(
    session: Session,
    actor: Actor,
    associate_id: uuid.UUID,
    termination_date: date,
    *,
    recommendation_id: uuid.UUID | None = None,
) -> None:
    """Run `ON_TERMINATION` for `associate_id`, terminated on `termination_date`, in
    `session` (the transaction of the termination)."""
    for reaction in resolved(ON_TERMINATION):
        cast(TerminationReaction, reaction)(
            session, actor, associate_id, termination_date, recommendation_id=recommendation_id
        )


def after_transfer(session: Session, associate_id: uuid.UUID, target_team_id: uuid.UUID) -> None:
    """Run `ON_TRANSFER` for `associate_id`, now on `target_team_id`, in `session`."""
    for reaction in resolved(ON_TRANSFER):
        cast(TransferReaction, reaction)(session, associate_id, target_team_id)
