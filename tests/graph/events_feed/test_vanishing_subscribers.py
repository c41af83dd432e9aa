"""10,000 subscriptions whose clients vanish mid-stream leave no listener, task or handler behind.

Driven in-process through the real ASGI app (the websocket scope, strawberry's protocol
handler, the session's running relay and database): through uvicorn this many sockets
would take minutes, and what could leak lives in the app, not in the server. 1,000 clients
each open 10 subscriptions, so the token check (a statement per socket) stays affordable.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time

import orjson
import pytest

from graph.server.app import create_app
from graph.server.sockets import SocketHandler

CLIENTS = int(os.environ.get("ATELIER_TEST_VANISHING_CLIENTS", "1000"))
SUBSCRIPTIONS = 10  # each, all live when the client vanishes: 10,000 in all
AT_ONCE = 100
CREATE = 'mutation { createFolder(input: {name: "Vanishing"}) { folder { id } userErrors { code } } }'
FIRST = 'query { events(first: 1, types: ["folder.created"]) { edges { cursor } } }'


def websocket_scope() -> dict:
    return {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "http_version": "1.1",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"atelier.test"), (b"sec-websocket-protocol", b"graphql-transport-ws")],
        "subprotocols": ["graphql-transport-ws"],
        "client": ("127.0.0.1", 50000),
        "server": ("atelier.test", 80),
        "state": {},
    }


class Vanishing:
    """A client that connects, inits and subscribes, then drops the connection without a word."""

    def __init__(self, app) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    def say(self, message: dict) -> None:
        self.inbox.put_nowait({"type": "websocket.receive", "text": orjson.dumps(message).decode()})

    async def subscribe(self, token: str) -> None:
        self.inbox.put_nowait({"type": "websocket.connect"})
        self.task = asyncio.create_task(self.app(websocket_scope(), self.inbox.get, self.outbox.put))
        assert (await self.outbox.get())["type"] == "websocket.accept"
        self.say({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        assert orjson.loads((await self.outbox.get())["text"])["type"] == "connection_ack"
        for i in range(SUBSCRIPTIONS):
            self.say(
                {
                    "id": str(i),
                    "type": "subscribe",
                    "payload": {"query": "subscription { events { cursor } }"},
                }
            )

    async def vanish(self) -> None:
        self.inbox.put_nowait({"type": "websocket.disconnect", "code": 1006})
        assert self.task is not None
        await self.task


@pytest.mark.timeout(300)
async def test_ten_thousand_subscriptions_of_vanishing_clients_leak_nothing(
    client, settings, adapters, tenant
):
    app = create_app(settings, adapters=adapters)  # the session app's lifespan runs the shared relay
    listeners, tasks = adapters.relay.listener_count, len(asyncio.all_tasks())

    for _ in range(CLIENTS // AT_ONCE):
        clients = [Vanishing(app) for _ in range(AT_ONCE)]
        await asyncio.gather(*(c.subscribe(tenant.token) for c in clients))
        # every subscription is live before the clients vanish (the relay offers no event to wait on)
        while adapters.relay.listener_count < listeners + AT_ONCE * SUBSCRIPTIONS:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        await asyncio.gather(*(c.vanish() for c in clients))

    # cancelled tasks finish their finally blocks (a connection's close among them) within a few
    # turns of the loop, more on a loaded machine; a leaked task never finishes
    deadline = time.monotonic() + 5
    while len(asyncio.all_tasks()) > tasks and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    assert adapters.relay.listener_count == listeners
    assert len(asyncio.all_tasks()) <= tasks, sorted(t.get_name() for t in asyncio.all_tasks())
    gc.collect()
    assert sum(isinstance(o, SocketHandler) for o in gc.get_objects()) == 0
