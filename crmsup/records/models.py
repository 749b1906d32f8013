"""SQLAlchemy models of the organisation, its people and their keys.

Structural fields (ids, foreign keys, dates, statuses) are plain so they can be indexed.
Every field that holds a person's data is a `LargeBinary` AES-GCM blob (see
`crmsup.security.fields`); the `_enc` suffix says so.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeAlias

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Mapped, mapped_column

from crmsup.records.types import UtcDateTime, Uuid, utcnow
from crmsup.security.permissions import Role

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    #: Every `Mapped[uuid.UUID]` column (foreign keys included) reads through the cache.
    type_annotation_map: ClassVar[dict[Any, Any]] = {uuid.UUID: Uuid()}


#: What each area's `ERASED_ROWS` lists: the columns naming the associate in its tables.
ErasedRows: TypeAlias = tuple[
    InstrumentedAttribute[uuid.UUID] | InstrumentedAttribute[uuid.UUID | None], ...
]


def enum_column(kind: type[StrEnum], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class AssociateStatus(StrEnum):
    ACTIVE = "active"
    LEAVE = "leave"
    TERMINATED = "terminated"


class RecipientKind(StrEnum):
    USER = "user"
    RECOVERY = "recovery"


class Organisation(Base):
    """The one organisation a database holds, and the public half of its recovery key."""

    __tablename__ = "organisation"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    recovery_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: The organisation's root signing key (derived from the recovery key): what vouches for
    #: the first HR account. NULL in an organisation older than it, until HR anchors it with
    #: the recovery sheet.
    root_public: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class User(Base):
    """An account: who it is and what role IT gave it. Its key pair, once its owner has
    enrolled, is in `account_keys`; until then its one-time first password is in
    `enrolments`."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sites.id"), index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The key holder (HR or a site manager) who vouched for this account. Keys reach an
    #: account automatically only once confirmed, so an admin who creates an account (and
    #: knows its first password) cannot have keys delivered to it.
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class KdfColumns:
    """The Argon2id parameters and salt a password is derived with, stored with what it
    opens (`accounts.kdf_params_of`)."""

    kdf_memory_kib: Mapped[int] = mapped_column(Integer)
    kdf_iterations: Mapped[int] = mapped_column(Integer)
    kdf_lanes: Mapped[int] = mapped_column(Integer)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(16))


class AccountKeys(KdfColumns, Base):
    """An account's own key pair: X25519 to receive scope keys, Ed25519 to sign. Made by the
    owner's client when they enrol, sealed under the password they chose (Argon2id with the
    parameters stored here); IT, which set only the first password, never sees it."""

    __tablename__ = "account_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    exchange_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    signing_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: True for a pair made before enrolment existed (migration 0012): IT set the password it
    #: was first sealed under, so the owner makes a new pair at their next login.
    inherited: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Enrolment(KdfColumns, Base):
    """The one-time first password IT gave a new account, as an Argon2id verifier: it lets
    its owner in once, to choose their own password and make their key pair, and expires."""

    __tablename__ = "enrolments"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    verifier: Mapped[bytes] = mapped_column(LargeBinary(32))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AccountStatement(Base):
    """A signed statement of who an account is (`crmsup.security.statements`): its role,
    scope and public keys as a holder vouched for them. The newest (highest serial) is the
    account's standing; the others are its history."""

    __tablename__ = "account_statements"
    __table_args__ = (UniqueConstraint("user_id", "serial"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    #: The holder who signed it; NULL for the organisation's root key.
    signer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class TeamSupervisor(Base):
    __tablename__ = "team_supervisors"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class TeamGrant(Base):
    """A team given to a user beyond what their role implies (intent; keys follow)."""

    __tablename__ = "team_grants"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    granted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ScopeKey(Base):
    """A key that protects one scope: a team, or the organisation's access requests (the
    access key, which IT holds instead of any team's). Its bytes exist only sealed, never here.

    Exactly one of `team_id` and `access` is set; `access` is True on the one access key
    (unique, so a second cannot be made) and NULL on every team key.
    """

    __tablename__ = "scope_keys"
    __table_args__ = (
        CheckConstraint("(team_id IS NULL) <> (access IS NULL)", name="team_or_access"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), unique=True)
    access: Mapped[bool | None] = mapped_column(Boolean, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SealedKey(Base):
    """A scope key sealed to one user's public key, or to the organisation recovery key."""

    __tablename__ = "sealed_keys"
    __table_args__ = (UniqueConstraint("scope_key_id", "recipient_user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    scope_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scope_keys.id"), index=True)
    recipient_kind: Mapped[RecipientKind] = mapped_column(enum_column(RecipientKind, "recipient"))
    recipient_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Associate(Base):
    """One person on a team. Names and contact details are encrypted under their data key."""

    __tablename__ = "associates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[AssociateStatus] = mapped_column(
        enum_column(AssociateStatus, "associate_status"), default=AssociateStatus.ACTIVE
    )
    job_title: Mapped[str | None] = mapped_column(String(200))
    hire_date: Mapped[date | None] = mapped_column(Date)
    termination_date: Mapped[date | None] = mapped_column(Date)
    #: Nullable only so that an erased associate (a tombstone) keeps no ciphertext at all;
    #: the services require both names of every associate that is not erased.
    first_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    last_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    preferred_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    date_of_birth_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Set by HR while the file may be needed in a dispute: erasure is refused meanwhile.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When the associate was erased: their data key is gone and every `_enc` column is NULL;
    #: the row stays as a tombstone (employee number, team, dates, status).
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class AssociateKey(Base):
    """An associate's data key, wrapped by their team's scope key.

    A transfer re-wraps this one row; erasing the associate deletes it (crypto-shredding).
    """

    __tablename__ = "associate_keys"

    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    scope_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scope_keys.id"), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class RetentionPolicy(Base):
    """How long records of one kind are kept, as HR set it; a kind without a row keeps the
    default of `crmsup.records.retention_service.DEFAULT_MONTHS`.

    `record_kind` is a plain string (validated by the service), so a later issue adds a kind
    without migrating a CHECK constraint.
    """

    __tablename__ = "retention_policies"
    __table_args__ = (CheckConstraint("months > 0", name="months_positive"),)

    record_kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class AuditEntry(Base):
    """One entry of the tamper-evident audit trail (see `crmsup.security.audit_chain`).

    Details hold names of fields and structural ids, never the values of a person's data.
    """

    __tablename__ = "audit_log"

    # SQLite's rowid on SQLite (no separate key index): fewer pages written per entry.
    sequence: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[str | None] = mapped_column(String(36))
    actor_name: Mapped[str | None] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text)
    previous_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    entry_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))


class AuditHead(Base):
    """The newest entry: one row, locked by every writer so that the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(BigInteger)
    entry_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


# The associate's file lives in its own module; importing it here keeps every table on
# `Base.metadata` for Alembic and the tests. At the end: it imports `Base` from this module.
