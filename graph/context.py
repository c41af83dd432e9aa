"""What every resolver can reach: the actor, the read ports, per-request loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.kernel.access import Actor
from domain.kernel.media import SpooledFile
from domain.kernel.ports import BlobStore, Clock
from domain.studio.ports import ImageInspector, ImageProvider
from domain.studio.retention import RetentionPolicy
from domain.unit_of_work import Reads, UnitOfWork
from graph.relay.ids import Cursors

if TYPE_CHECKING:
    from graph.loaders import Loaders


class Spool(Protocol):
    """Receives a request body to a temporary file; LimitExceeded once it passes the cap."""

    def receive(self, chunks: AsyncIterator[bytes]) -> AbstractAsyncContextManager[SpooledFile]: ...


@dataclass(frozen=True)
class Ports:
    """What the GraphQL layer is handed by the composition root: domain ports, no adapters."""

    reads: Reads
    clock: Clock
    uow: Callable[[], UnitOfWork]
    retention: RetentionPolicy
    blobs: BlobStore
    providers: Mapping[str, ImageProvider]
    inspector: ImageInspector
    spool: Spool
    cursors: Cursors


@dataclass
class Context:
    """Built once per HTTP request (and once per websocket connection)."""

    request: Request | WebSocket
    response: Response | WebSocket | None
    actor: Actor
    ports: Ports
    loaders: Loaders

    @property
    def reads(self) -> Reads:
        return self.ports.reads

    @property
    def cursors(self) -> Cursors:
        return self.ports.cursors

    @property
    def clock(self) -> Clock:
        return self.ports.clock

    def uow(self) -> UnitOfWork:
        """A fresh unit of work for one domain service call."""
        return self.ports.uow()

    connection_params: dict[str, Any] | None = field(default=None)  # strawberry stores connection_init here
