"""The ports that span features: one transaction over every repository, and every feature's reads."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from domain.events.ports import EventLogReads
from domain.kernel.events import DomainEvent
from domain.kernel.idempotency import IdempotencyRepository
from domain.library.placements.ports import PlacementReads, PlacementRepository
from domain.library.ports import LibraryLookups, LibraryReads, LibraryRepository
from domain.library.trash.ports import TrashRepository
from domain.organisations.ports import (
    DirectoryReads,
    MemberRepository,
    OrganisationRepository,
    TokenRepository,
)
from domain.processing.ports import JobQueue, ProcessingReads
from domain.search.ports import AssetSearchReads, SimilarAssetReads
from domain.studio.ports import (
    GenerationRepository,
    LikeRepository,
    SessionRepository,
    StudioReads,
    UploadRepository,
)


class UnitOfWork(Protocol):
    """One transaction: repositories that share it, events recorded in it, commit or roll back."""

    @property
    def organisations(self) -> OrganisationRepository:
        """Organisations, their credit budget and storage quota, in this transaction."""
        ...

    @property
    def members(self) -> MemberRepository:
        """Members, in this transaction."""
        ...

    @property
    def tokens(self) -> TokenRepository:
        """API tokens, in this transaction."""
        ...

    @property
    def sessions(self) -> SessionRepository:
        """Studio sessions, in this transaction."""
        ...

    @property
    def generations(self) -> GenerationRepository:
        """Generations, their reviews, expiries and saves, in this transaction."""
        ...

    @property
    def likes(self) -> LikeRepository:
        """Members' likes of generations, in this transaction."""
        ...

    @property
    def library(self) -> LibraryRepository:
        """Assets, folders, projects, tags and brand kits, in this transaction."""
        ...

    @property
    def library_lookups(self) -> LibraryLookups:
        """Assets by content, folders in bulk and tags by name, in this transaction."""
        ...

    @property
    def trash(self) -> TrashRepository:
        """Trashing, restoring and purging assets, in this transaction."""
        ...

    @property
    def placements(self) -> PlacementRepository:
        """Placements of assets in posts, pages and campaigns, in this transaction."""
        ...

    @property
    def idempotency(self) -> IdempotencyRepository:
        """The results of requests sent with an idempotency key, in this transaction."""
        ...

    @property
    def uploads(self) -> UploadRepository:
        """Received uploads waiting to be imported, in this transaction."""
        ...

    @property
    def jobs(self) -> JobQueue:
        """Processing jobs (renditions and facts of assets and generations), in this transaction."""
        ...

    def reading(self) -> Self:
        """This unit of work, for the next `async with` only, as a read-only transaction.

        `async with uow.reading():` reads one consistent state without taking the
        database's write lock, so it never queues behind writers (SQLite) and never
        blocks them; `record` and `commit` are refused in it. Services whose
        transaction only reads use it; the next plain `async with uow:` writes again.
        """
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction and bind fresh repositories to it; the recorded events start empty.

        A writing transaction takes SQLite's write lock at once (BEGIN IMMEDIATE), so two
        writers queue on the busy timeout rather than fail at their first write; a reading
        one (`reading()`) never waits for writers. The repositories exist only inside it.
        """
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed (events recorded since included) and end the transaction."""
        ...

    def record(self, event: DomainEvent) -> None:
        """Queue an event; it is written by `commit`, in the same transaction as the change."""
        ...

    async def commit(self) -> None:
        """Write the recorded events, then commit: the change and its events land together or not at all.

        Refused (RuntimeError) in a reading unit of work. Only a service commits.
        """
        ...


class Reads(Protocol):
    """All read ports, as the composition root hands them to the GraphQL layer."""

    @property
    def directory(self) -> DirectoryReads:
        """Organisations, members and credentials, each call its own statement."""
        ...

    @property
    def library(self) -> LibraryReads:
        """Assets, folders, projects and tags, each call its own statement."""
        ...

    @property
    def studio(self) -> StudioReads:
        """Brand kits, sessions, generations and likes, each call its own statement."""
        ...

    @property
    def placements(self) -> PlacementReads:
        """Placements of assets, each call its own statement."""
        ...

    @property
    def search(self) -> AssetSearchReads:
        """Assets found by filter, words and order, their counts and facets, each call its own statement."""
        ...

    @property
    def similar(self) -> SimilarAssetReads:
        """Perceptual hashes of assets and the live assets near them, each call its own statement."""
        ...

    @property
    def processing(self) -> ProcessingReads:
        """Processing states, facts and renditions of assets and generations, each call its own statement."""
        ...

    @property
    def events(self) -> EventLogReads:
        """The committed event log by cursor, each call its own statement."""
        ...
