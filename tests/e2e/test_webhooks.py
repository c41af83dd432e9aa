"""Webhooks end to end: `atelier serve` in a subprocess delivers to a receiver on loopback that verifies
every request with the standardwebhooks library. The receiver first refuses connections, then answers
500, and the server is restarted during the outage; once the receiver recovers every event arrives,
in order per subject."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from tests.conftest import create_database, drop_database
from tests.e2e.conftest import ATELIER, free_port
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.e2e

CREATE = """mutation($url: String!) { createWebhook(input: {url: $url, eventTypes: ["folder.created", "folder.renamed"]}) {
    webhook { id } secret userErrors { code message } } }"""
FOLDER = """mutation($n: String!) { createFolder(input: {name: $n}) { folder { id } userErrors { code } } }"""
RENAME = (
    """mutation($id: ID!, $n: String!) { renameFolder(input: {id: $id, name: $n}) { userErrors { code } } }"""
)
DELIVERIES = (
    """{ webhooks { enabled deliveries(first: 100) { edges { node { status attempts lastError } } } } }"""
)


class Server:
    """`atelier serve --demo` on a port, started and stopped at will over one database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, free_port()
        self.process: asyncio.subprocess.Process | None = None
        self.token = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        with self.log.open("w") as out:
            self.process = await asyncio.create_subprocess_exec(
                ATELIER,
                "serve",
                "--demo",
                "--port",
                str(self.port),
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                lines = self.log.read_text().splitlines()
                token = next((ln.split()[-1] for ln in lines if ln.startswith("Admin token:")), None)
                try:
                    if token and (await client.get(f"{self.base}/readyz", timeout=1)).status_code == 200:
                        self.token = token
                        return
                except httpx.TransportError:
                    pass
                assert self.process.returncode is None, self.log.read_text()
                await asyncio.sleep(0.1)  # the receiver shares this loop: never block it
        raise AssertionError(self.log.read_text())

    async def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()  # graceful: the lifespan hands back deliveries in flight
        await self.process.wait()

    async def gql(self, query: str, variables: dict | None = None) -> dict:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{self.base}/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"authorization": f"Bearer {self.token}"},
                timeout=10,
            )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]


async def until(condition, what: str, seconds: float = 120, state=None) -> None:
    """Wait for a condition (a bound on the wait, not a timing assertion); `state` says what was seen."""
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {await state() if state else ''}")
        await asyncio.sleep(0.05)


@pytest.fixture
async def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e-webhooks")
    url = await create_database(data)
    env = {
        **os.environ,
        "ATELIER_DATA_DIR": str(data),
        "ATELIER_DATABASE_URL": url,
        "ATELIER_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",  # the receiver is on loopback
        "ATELIER_WEBHOOK_BACKOFF_SECONDS": "0.05",
        "ATELIER_WEBHOOK_MAX_BACKOFF_SECONDS": "0.4",
        "ATELIER_WEBHOOK_POLL_SECONDS": "0.05",
        "ATELIER_WEBHOOK_TIMEOUT_SECONDS": "2",  # a lease of 14 s: what a crashed sender held waits no longer
    }
    server = Server(env, tmp_path_factory.mktemp("log") / "serve.log")
    await server.start()
    yield server
    if server.process is not None and server.process.returncode is None:
        await server.stop()
    await drop_database(url)


async def folder_events(server: Server, name: str, expected: dict[str, list[str]]) -> None:
    """A folder created and renamed twice: three events about one subject, in this order."""
    folder = (await server.gql(FOLDER, {"n": name}))["createFolder"]["folder"]["id"]
    expected[folder].append(name)
    for i in (1, 2):
        await server.gql(RENAME, {"id": folder, "n": f"{name} v{i}"})
        expected[folder].append(f"{name} v{i}")


async def test_every_event_arrives_signed_and_in_order_per_subject_after_an_outage_and_a_restart(server):
    receiver = Receiver()
    await receiver.start()
    await receiver.stop()  # the receiver's port is closed: connections are refused
    made = (await server.gql(CREATE, {"url": receiver.url}))["createWebhook"]
    assert made["userErrors"] == []
    receiver.secrets = [made["secret"]]
    expected: dict[str, list[str]] = defaultdict(list)
    for name in ("Alpha", "Beta"):
        await folder_events(server, name, expected)

    async def refused_twice() -> bool:
        edges = (await server.gql(DELIVERIES))["webhooks"][0]["deliveries"]["edges"]
        return any(
            e["node"]["attempts"] >= 2 and e["node"]["lastError"] == "CONNECTION_FAILED" for e in edges
        )

    await until(refused_twice, "refused attempts")
    receiver.mode = 500
    await receiver.start()
    await until(lambda: _at_least(receiver, 3), "attempts answered 500")
    assert {r.headers["x-answered"] for r in receiver.requests} == {"500"}

    await server.stop()  # a restart in the middle of the outage: the outbox is in the database
    await server.start()
    await folder_events(server, "Gamma", expected)
    receiver.mode = "ok"  # the outage ends

    async def all_arrived() -> bool:
        return sum(len(v) for v in _delivered(receiver).values()) >= sum(len(v) for v in expected.values())

    async def state() -> object:
        return _delivered(receiver), (await server.gql(DELIVERIES))["webhooks"]

    await until(all_arrived, "every event delivered", state=state)
    assert all(r.verified_with == [0] for r in receiver.requests), "a request failed verification"
    got = _delivered(receiver)
    assert got == dict(expected)  # every event, each once, in order per subject
    edges = (await server.gql(DELIVERIES))["webhooks"][0]["deliveries"]["edges"]
    assert {e["node"]["status"] for e in edges} == {"DELIVERED"} and len(edges) == 9
    assert max(e["node"]["attempts"] for e in edges) > 2
    await receiver.stop()


async def _at_least(receiver: Receiver, n: int) -> bool:
    return len(receiver.requests) >= n


def _delivered(receiver: Receiver) -> dict[str, list[str]]:
    """Per subject, the folder names of the accepted deliveries in arrival order, repeats dropped (a
    delivery is at least once: a receiver drops a repeated `webhook-id`)."""
    seen: set[str] = set()
    out: dict[str, list[str]] = defaultdict(list)
    for request in receiver.delivered:
        if request.headers["webhook-id"] in seen:
            continue
        seen.add(request.headers["webhook-id"])
        body = request.envelope
        out[body["subject"]["id"]].append(body["payload"]["name"])
    return dict(out)
