"""What a database is: schema, backend, organisation and counts. Holds no person's data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from crmsup.records.database import Database, current_revision, head_revision
from crmsup.records.models import Associate, Organisation, Site, Team, User


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    url: str
    backend: str
    schema_revision: str | None
    head_revision: str
    organisation: str | None
    sites: int
    teams: int
    users: int
    associates: int

    @property
    def initialised(self) -> bool:
        return self.organisation is not None


def database_info(db: Database) -> DatabaseInfo:
    revision = current_revision(db.engine)
    with db.transaction() as session:
        organisation = session.scalar(select(Organisation.name).limit(1))

        def count(model: type[Site] | type[Team] | type[User] | type[Associate]) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        return DatabaseInfo(
            url=db.display_url,
            backend=db.engine.dialect.name,
            schema_revision=revision,
            head_revision=head_revision(),
            organisation=organisation,
            sites=count(Site),
            teams=count(Team),
            users=count(User),
            associates=count(Associate),
        )
