"""The unit of work over SQL: one connection, one transaction, repositories that share it.

On SQLite a writing transaction begins IMMEDIATE (see storage.database), so two writers
queue on the busy timeout instead of failing at their first write; a reading one
(`uow.reading()`) begins DEFERRED and never waits for them. On PostgreSQL a reading
transaction is READ ONLY.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.events import DomainEvent
from domain.unit_of_work import UnitOfWork
from domain.webhooks.ports import WebhookUnitOfWork
from storage.library.lookups import SqlLibraryLookups
from storage.library.placements import SqlPlacementRepository
from storage.library.repositories import SqlLibraryRepository
from storage.library.trash import SqlTrashRepository
from storage.organisations.repositories import (
    SqlMemberRepository,
    SqlOrganisationRepository,
    SqlTokenRepository,
)
from storage.processing.jobs import SqlJobQueue
from storage.sql import tables as t
from storage.sql.database import transaction_options
from storage.sql.idempotency import SqlIdempotencyRepository
from storage.studio.repositories import SqlGenerationRepository, SqlLikeRepository, SqlSessionRepository
from storage.studio.uploads import SqlUploadRepository
from storage.webhooks.repository import SqlWebhookRepository


class SqlUnitOfWork:
    """UnitOfWork over an AsyncEngine; a fresh instance per use."""

    organisations: SqlOrganisationRepository
    members: SqlMemberRepository
    tokens: SqlTokenRepository
    sessions: SqlSessionRepository
    generations: SqlGenerationRepository
    likes: SqlLikeRepository
    library: SqlLibraryRepository
    trash: SqlTrashRepository
    placements: SqlPlacementRepository
    library_lookups: SqlLibraryLookups
    idempotency: SqlIdempotencyRepository
    uploads: SqlUploadRepository
    jobs: SqlJobQueue
    webhooks: SqlWebhookRepository

    def __init__(self, engine: AsyncEngine, *, on_events: Callable[[], None] | None = None) -> None:
        self._engine = engine
        self._on_events = on_events  # the live feed's poke: new events are committed
        self._conn: AsyncConnection | None = None
        self._events: list[DomainEvent] = []
        self._read_only = False

    def reading(self) -> Self:
        """This unit of work, for one `async with` that only reads."""
        if self._conn is not None:
            raise RuntimeError("the unit of work is open; say `reading()` before entering it")
        self._read_only = True
        return self

    async def __aenter__(self) -> Self:
        conn = await self._engine.connect()
        try:
            await conn.execution_options(**transaction_options(self._engine, read_only=self._read_only))
            await conn.begin()
        except BaseException:
            self._read_only = False
            await conn.close()  # e.g. SQLite's busy timeout: give the connection back to the pool now
            raise
        self._conn = conn
        self._events = []
        self.organisations = SqlOrganisationRepository(conn)
        self.members = SqlMemberRepository(conn)
        self.tokens = SqlTokenRepository(conn)
        self.sessions = SqlSessionRepository(conn)
        self.generations = SqlGenerationRepository(conn)
        self.likes = SqlLikeRepository(conn)
        self.library = SqlLibraryRepository(conn)
        self.trash = SqlTrashRepository(conn)
        self.placements = SqlPlacementRepository(conn)
        self.library_lookups = SqlLibraryLookups(conn)
        self.idempotency = SqlIdempotencyRepository(conn)
        self.uploads = SqlUploadRepository(conn)
        self.jobs = SqlJobQueue(conn)
        self.webhooks = SqlWebhookRepository(conn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        self._read_only = False
        if conn is not None:
            try:
                if conn.in_transaction():
                    await conn.rollback()
            finally:
                await conn.close()

    @property
    def connection(self) -> AsyncConnection:
        """The transaction's connection, for adapters that join it."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open; use `async with uow:`")
        return self._conn

    def record(self, event: DomainEvent) -> None:
        if self._read_only:
            raise RuntimeError("a reading unit of work records no events")
        self._events.append(event)

    async def commit(self) -> None:
        conn = self.connection
        if self._read_only:
            # on SQLite nothing else would stop it: a DEFERRED transaction may write
            raise RuntimeError("a reading unit of work does not commit")
        if self._events:
            await conn.execute(
                sa.insert(t.events),
                [
                    {
                        "org_id": e.org_id,
                        "type": e.type,
                        "version": e.version,
                        "subject_type": e.subject_type,
                        "subject_id": e.subject_id,
                        "actor_id": e.actor_id,
                        "payload": e.payload,
                        "occurred_at": e.occurred_at,
                    }
                    for e in self._events
                ],
            )
            self._events = []
            await conn.commit()
            if self._on_events is not None:
                self._on_events()
            return
        await conn.commit()


if TYPE_CHECKING:

    def _implements_port(uow: SqlUnitOfWork) -> UnitOfWork:  # mypy proves the adapter fits the port
        return uow

    def _implements_webhooks_port(uow: SqlUnitOfWork) -> WebhookUnitOfWork:
        return uow
