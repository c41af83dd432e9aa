"""Real servers and real websocket clients for the subscription tests."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from graph.events.types import event_list
from graph.relay.ids import Cursors
from graph.server.settings import Settings
from storage.sql import tables as t
from tests.e2e.conftest import ATELIER, free_port

PROTOCOL = "graphql-transport-ws"


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def ws(self) -> str:
        return self.base.replace("http://", "ws://") + "/graphql"

    async def post(self, token: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(
                f"{self.base}/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"authorization": f"Bearer {token}"},
            )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]


@contextlib.contextmanager
def running_server(env: dict[str, str], log: Path, **settings: str) -> Iterator[Server]:
    """`atelier serve` in a subprocess with extra ATELIER_* settings; stopped on exit."""
    port = free_port()
    full = {**env, **{f"ATELIER_{k.upper()}": v for k, v in settings.items()}}
    with log.open("w") as out:
        process = subprocess.Popen(
            [ATELIER, "serve", "--port", str(port)], env=full, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield Server(base, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        finally:
            if process.poll() is None:  # a hung shutdown fails its test, and leaves no process behind
                process.kill()
                process.wait()


class Client:
    """One graphql-transport-ws connection."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(orjson.dumps(message).decode())

    async def recv(self, wait: float = 20) -> dict[str, Any]:
        return orjson.loads(await asyncio.wait_for(self.ws.recv(), wait))

    async def init(self, token: str | None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        return await self.recv()

    async def subscribe(self, id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        await self.send({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}})

    async def take(self, n: int, wait: float = 60) -> list[dict[str, Any]]:
        """The next n messages."""
        return [await self.recv(wait) for _ in range(n)]

    async def closed(self, wait: float = 20) -> tuple[int | None, str | None]:
        """Wait for the server to close; its close code and reason (messages before are dropped)."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), wait)
        except ConnectionClosed as e:
            return (e.rcvd.code, e.rcvd.reason) if e.rcvd else (None, None)


@contextlib.asynccontextmanager
async def socket(url: str, *, token: str | None = None, protocol: str = PROTOCOL) -> AsyncIterator[Client]:
    """A connection; with a token, initialised (the ack is checked)."""
    async with connect(url, subprotocols=[protocol], open_timeout=20) as ws:  # type: ignore[list-item]
        client = Client(ws)
        if token is not None:
            ack = await client.init(token)
            assert ack["type"] == "connection_ack", ack
        yield client


def encode_cursor(seq: int, data_dir: str, org_id: int) -> str:
    """An organisation's event cursor as the server signs it (the same data folder, so the same key)."""
    return Cursors(Settings(data_dir=data_dir).signing_key()).of(event_list(org_id)).encode((seq,))


async def head_cursor(db: AsyncEngine, data_dir: str, org_id: int) -> str:
    """The cursor of the log's last sequenced event: subscribing after it misses nothing that follows,
    however long the subscription takes to start."""
    async with db.connect() as conn:
        head = await conn.scalar(sa.select(t.event_log.c.last_seq).where(t.event_log.c.id == 1))
    return encode_cursor(int(head or 0), data_dir, org_id)


async def saved_assets(server: Server, token: str, count: int) -> list[str]:
    """Generate `count` images in a new session, approve them, save them in one call; the asset ids."""
    session = (
        await server.post(
            token,
            'mutation { createSession(input: {title: "Subs", platform: INSTAGRAM, aspectRatio: SQUARE}) '
            "{ session { id } } }",
        )
    )["createSession"]["session"]["id"]
    ids: list[str] = []
    while len(ids) < count:
        made = await server.post(
            token,
            'mutation($s: ID!, $n: Int!) { generate(input: {sessionId: $s, prompt: "a red kite", count: $n}) '
            "{ generations { id } userErrors { code message } } }",
            {"s": session, "n": min(8, count - len(ids))},
        )
        assert not made["generate"]["userErrors"], made
        ids += [g["id"] for g in made["generate"]["generations"]]
    approved = await server.post(
        token,
        'mutation($ids: [ID!]!) { approve(input: {generationIds: $ids, altText: "A red diamond kite high over green hills"}) '
        "{ userErrors { code message } } }",
        {"ids": ids},
    )
    assert not approved["approve"]["userErrors"], approved
    saved = await server.post(
        token,
        "mutation($ids: [ID!]!) { saveToLibrary(input: {generationIds: $ids}) "
        "{ assets { id } userErrors { code message } } }",
        {"ids": ids},
    )
    assert not saved["saveToLibrary"]["userErrors"], saved
    return [a["id"] for a in saved["saveToLibrary"]["assets"]]
