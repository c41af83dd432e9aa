"""What every resolver can reach: the actor, the services, the read ports, per-request loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.events.services import Events
from domain.files.services import Files
from domain.kernel.access import Actor
from domain.kernel.media import SpooledFile
from domain.library.services import Library
from domain.organisations.services import Organisations
from domain.processing.services import Processing
from domain.studio.services import Studio
from domain.unit_of_work import Reads
from domain.webhooks.services import Webhooks
from graph.files.links import FileLinks
from graph.relay.ids import Cursors

if TYPE_CHECKING:
    from graph.loaders import Loaders


class Spool(Protocol):
    """Receives a request body to a temporary file; LimitExceeded once it passes the cap."""

    def receive(self, chunks: AsyncIterator[bytes]) -> AbstractAsyncContextManager[SpooledFile]: ...


@dataclass(frozen=True, slots=True)
class Services:
    """Each feature's use cases, their dependencies bound once per process by the composition root.

    A resolver calls `ctx.services.library.save(ctx.actor, generation_ids=...)`; the unit of
    work, clock, blob store and providers behind it are the bundle's business.
    """

    organisations: Organisations
    studio: Studio
    library: Library
    files: Files
    processing: Processing
    events: Events
    webhooks: Webhooks


@dataclass(frozen=True)
class Ports:
    """What the GraphQL layer is handed by the composition root: services and domain ports, no adapters."""

    services: Services
    reads: Reads
    spool: Spool
    cursors: Cursors
    links: FileLinks


@dataclass
class Context:
    """Built once per HTTP request (and once per websocket connection)."""

    request: Request | WebSocket
    response: Response | WebSocket | None
    actor: Actor
    ports: Ports
    loaders: Loaders

    @property
    def services(self) -> Services:
        """The domain's use cases: `ctx.services.studio.approve(ctx.actor, ...)`."""
        return self.ports.services

    @property
    def reads(self) -> Reads:
        return self.ports.reads

    @property
    def cursors(self) -> Cursors:
        return self.ports.cursors

    connection_params: dict[str, Any] | None = field(default=None)  # strawberry stores connection_init here
