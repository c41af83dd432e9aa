"""The ports that span features: one transaction over every repository, and every feature's reads."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from domain.kernel.events import DomainEvent
from domain.kernel.idempotency import IdempotencyRepository
from domain.library.ports import LibraryReads, LibraryRepository
from domain.organisations.ports import (
    DirectoryReads,
    MemberRepository,
    OrganisationRepository,
    TokenRepository,
)
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
    def organisations(self) -> OrganisationRepository: ...

    @property
    def members(self) -> MemberRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def generations(self) -> GenerationRepository: ...

    @property
    def likes(self) -> LikeRepository: ...

    @property
    def library(self) -> LibraryRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def uploads(self) -> UploadRepository: ...

    def reading(self) -> Self:
        """This unit of work, for the next `async with` only, as a read-only transaction.

        `async with uow.reading():` reads one consistent state without taking the
        database's write lock, so it never queues behind writers (SQLite) and never
        blocks them; `record` and `commit` are refused in it. Services whose
        transaction only reads use it; the next plain `async with uow:` writes again.
        """
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def record(self, event: DomainEvent) -> None:
        """Queue an event; it is written by `commit`, in the same transaction as the change."""
        ...

    async def commit(self) -> None: ...


class Reads(Protocol):
    """All read ports, as the composition root hands them to the GraphQL layer."""

    @property
    def directory(self) -> DirectoryReads: ...

    @property
    def library(self) -> LibraryReads: ...

    @property
    def studio(self) -> StudioReads: ...
