"""Access and IT requests, and the access key IT reads them with.

A request is about one associate: new access, a change, a revocation, equipment or anything
else IT does for them. What IT must read of it — the person's name as accounts are created
under it, the justification, the approver's comment, IT's notes — is encrypted under the
organisation's *access key* (`ScopeKey.access`), never under the associate's data key: IT
holds no team key and never will, so it reads these requests and nothing else of the file.

The systems and roles requested are plain, one row each (`AccessRequestLine`): they say what
a person may log into, nothing about the person, and a revocation after a termination must
find every system provisioned without any key. States and dates are plain too, for due lists.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class AccessKind(StrEnum):
    NEW = "new"  # a new associate's accounts
    CHANGE = "change"
    REVOKE = "revoke"
    EQUIPMENT = "equipment"
    OTHER = "other"


class AccessState(StrEnum):
    REQUESTED = "requested"  # waiting for a site manager or HR
    APPROVED = "approved"  # waiting for IT
    DENIED = "denied"
    PROVISIONED = "provisioned"  # every line done
    CLOSED = "closed"
    CANCELLED = "cancelled"  # withdrawn by a keeper before a decision


class LineAction(StrEnum):
    GRANT = "grant"
    REVOKE = "revoke"


class LineState(StrEnum):
    PENDING = "pending"
    DONE = "done"


class AccessRequest(Base):
    __tablename__ = "access_requests"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    kind: Mapped[AccessKind] = mapped_column(enum_column(AccessKind, "access_kind"))
    state: Mapped[AccessState] = mapped_column(enum_column(AccessState, "access_state"), index=True)
    #: The day the change should take effect: a revocation's termination date, say.
    effective_on: Mapped[date | None] = mapped_column(Date)
    #: Opened by a termination (`reactions`), not by a person filing it.
    automatic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The access key the `_enc` columns are sealed under.
    scope_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scope_keys.id"))
    #: The associate's name as it was when the request was filed (under the access key).
    person_name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    justification_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    decision_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    filed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provisioned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    provisioned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class AccessRequestLine(Base):
    """One system and role to grant or revoke; done by an admin, who and when per line."""

    __tablename__ = "access_request_lines"
    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_requests.id"), index=True)
    #: Also here, so a revocation finds what an associate holds in one query, and erasure
    #: deletes the lines by associate.
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100))
    action: Mapped[LineAction] = mapped_column(enum_column(LineAction, "access_line_action"))
    state: Mapped[LineState] = mapped_column(enum_column(LineState, "access_line_state"))
    provisioned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    provisioned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`). The name copy is under the access key, not
#: the associate's data key, so shredding that key would not reach it: the rows must go.
ERASED_ROWS: ErasedRows = (AccessRequestLine.associate_id, AccessRequest.associate_id)
