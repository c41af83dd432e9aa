"""A webhook receiver on loopback for tests: a plain asyncio HTTP/1.1 server that verifies every
request with the standardwebhooks library, as a partner's receiver would.

`mode` decides the answer: "ok" (204), a status such as 500, or "refuse" (the port is closed).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from standardwebhooks import Webhook

MAX_BODY = 1_000_000


@dataclass
class Received:
    """One request as it arrived, and whether each of the receiver's secrets verified it."""

    headers: dict[str, str]
    body: bytes
    verified_with: list[int]
    """Indexes of the receiver's secrets that verified it."""

    @property
    def envelope(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    mode: str | int = "ok"
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/atelier"

    @property
    def delivered(self) -> list[Received]:
        """Requests answered 2xx: what the partner accepted."""
        return [r for r in self.requests if r.headers.get("x-answered") == "ok"]

    async def start(self) -> None:
        """Listen (again) on the same port; the first start picks a free one."""
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close the port: connections are refused until `start`."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                length = min(int(headers.get("content-length", "0")), MAX_BODY)
                body = await reader.readexactly(length)
                verified = []
                for i, secret in enumerate(self.secrets):
                    try:
                        Webhook(secret).verify(body, headers)
                        verified.append(i)
                    except Exception:
                        pass
                status = 204 if self.mode == "ok" else int(self.mode)
                headers["x-answered"] = "ok" if status == 204 else str(status)
                self.requests.append(Received(headers, body, verified))
                writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\n\r\n".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
