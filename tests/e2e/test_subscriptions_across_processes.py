"""Two uvicorn processes on one database and one Redis: a save handled by one reaches a subscriber of the other."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.events.redis_stream import seq_of
from storage.sql.database import create_engine
from tests.builders import make_tenant
from tests.e2e.sockets import Server, head_cursor, running_server, saved_assets, socket
from tests.e2e.test_subscriptions import SAVED, ids_of

pytestmark = pytest.mark.e2e

REDIS_URL = "redis://127.0.0.1:6379/0"
STREAM = f"atelier-test:{secrets.token_hex(6)}"


@pytest.fixture(scope="module")
def servers(
    server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    logs = tmp_path_factory.mktemp("logs")
    # a poll far longer than the test: what crosses from one process to the other crosses through Redis
    settings = {"redis_url": REDIS_URL, "redis_stream": STREAM, "event_poll_seconds": "600"}
    with (
        running_server(server_env, logs / "a.log", **settings) as a,
        running_server(server_env, logs / "b.log", **settings) as b,
    ):
        yield a, b


@pytest.fixture(scope="module")
async def db(servers, server_env: dict[str, str]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(server_env["ATELIER_DATABASE_URL"])
    yield engine
    await engine.dispose()
    redis = Redis.from_url(REDIS_URL)
    await redis.delete(STREAM)
    await redis.aclose()


async def test_a_save_on_one_process_reaches_a_subscriber_on_the_other(servers, db, server_env):
    a, b = servers
    org = await make_tenant(db)
    async with socket(b.ws, token=org.token) as client:
        await client.subscribe(
            "s", SAVED, {"after": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)}
        )
        saved = await saved_assets(a, org.token, 20)
        messages = await client.take(20)
    assert sorted(ids_of(messages)) == sorted(saved)

    redis = Redis.from_url(REDIS_URL)
    try:
        ids = [seq_of(entry_id) for entry_id, _ in await redis.xrange(STREAM)]
    finally:
        await redis.aclose()
    assert ids == list(range(ids[0], ids[-1] + 1))  # both processes publish; each event is there once


async def test_a_subscriber_resuming_on_the_other_process_gets_what_it_missed(servers, db, server_env):
    a, b = servers
    org = await make_tenant(db)
    async with socket(a.ws, token=org.token) as client:
        await client.subscribe(
            "s", SAVED, {"after": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)}
        )
        await saved_assets(a, org.token, 1)
        last = (await client.recv())["payload"]["data"]["assetSaved"]["cursor"]
    missed = await saved_assets(a, org.token, 3)
    async with socket(b.ws, token=org.token) as client:
        await client.subscribe("s", SAVED, {"after": last})
        assert sorted(ids_of(await client.take(3))) == sorted(missed)
