"""Moving an associate to another team: one key re-wrapped, every record still readable.

Everything of an associate is encrypted under their data key, which is stored only wrapped by
their team's scope key (`associate_keys`). A transfer unwraps it with the old team's key and
wraps it with the new team's: the row's `scope_key_id` and `wrapped` change, the data key and
its id do not, so no record is re-encrypted and every one of them opens for the new team's
holders — and no longer for the old team's (DESIGN.md, "Keys" 4).

Only someone who holds both teams' keys can do this; anyone else is refused, saying which key
they lack, and nothing changes. The move is a step of an approved transfer or promotion
(`recommendations.apply`): this module does not decide whether an associate may move, it does
the move inside the caller's transaction, which has already checked that.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crmsup.records import audit, reactions
from crmsup.records.actor import Actor
from crmsup.records.errors import NotFound, PermissionDenied, ValidationFailed
from crmsup.records.keyring import holds_key, rewrap_data_key, team_scope_key
from crmsup.records.models import Associate, AssociateKey, Team

ACTION = "associate.transfer"
#: What a transfer changes, as the audit entry names it.
FIELDS = ["associate_keys.scope_key_id", "associate_keys.wrapped", "team_id"]


@dataclass(frozen=True, slots=True)
class Transfer:
    employee_no: str
    from_team: str
    to_team: str
    #: The associate's version after the move.
    version: int


def move_associate(
    session: Session,
    actor: Actor,
    associate_id: uuid.UUID,
    target_team_id: uuid.UUID,
    *,
    recommendation_id: uuid.UUID | None = None,
) -> Transfer:
    """Move the associate to `target_team_id` in `session`, re-wrapping their data key, and
    audit it ("associate.transfer"). Their recommendations follow them to the new team
    (`reactions.after_transfer`).

    PermissionDenied when `actor` lacks either team's key; ValidationFailed for an erased
    associate or the team they are on already. Nothing is written before the checks pass.
    """
    associate = session.get(Associate, associate_id, with_for_update=True)
    if associate is None:
        raise NotFound("there is no such associate")
    if associate.erased_at is not None:
        raise ValidationFailed(f"associate {associate.employee_no} is erased: nothing to move")
    if associate.team_id == target_team_id:
        raise ValidationFailed(f"associate {associate.employee_no} is on that team already")
    source = session.get_one(Team, associate.team_id)
    target = session.get(Team, target_team_id)
    if target is None:
        raise NotFound("there is no such team")
    key_row = session.get_one(AssociateKey, associate_id, with_for_update=True)
    target_key = team_scope_key(session, target.id)
    for team, scope_key_id in ((source, key_row.scope_key_id), (target, target_key.id)):
        if not holds_key(session, actor.user_id, scope_key_id):
            raise PermissionDenied(
                f"you do not hold the key of {team.name}: moving associate "
                f"{associate.employee_no} from {source.name} to {target.name} needs the keys "
                "of both teams; nothing was changed"
            )
    rewrap_data_key(session, actor, key_row, target_key.id)
    associate.team_id = target.id
    session.flush()
    # What follows a move elsewhere (the recommendations' scope) follows it here.
    reactions.after_transfer(session, associate_id, target.id)
    audit.append(
        session,
        ACTION,
        actor=actor,
        entity_type="associate",
        entity_id=associate_id,
        details={
            "fields": FIELDS,
            "from_team": str(source.id),
            "to_team": str(target.id),
            "recommendation": None if recommendation_id is None else str(recommendation_id),
            "version": associate.version,
        },
    )
    return Transfer(associate.employee_no, source.name, target.name, associate.version)
