"""What every resolver can reach: the actor, the read ports, per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.access import Actor
from domain.ports import Clock, Reads

if TYPE_CHECKING:
    from graph.loaders import Loaders


@dataclass
class Context:
    """Built once per HTTP request (and once per websocket connection)."""

    request: Request | WebSocket
    response: Response | WebSocket | None
    actor: Actor
    reads: Reads
    clock: Clock
    loaders: Loaders
    connection_params: dict[str, Any] | None = field(default=None)  # strawberry stores connection_init here
