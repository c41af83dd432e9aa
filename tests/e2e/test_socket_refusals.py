"""What an outside look found on the socket, each refused with a code through a real uvicorn: the
persisted-query allow-list, a `complete` without a usable id, an unknown operation name."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql.database import create_engine
from tests.builders import Tenant, make_tenant
from tests.e2e.sockets import Server, running_server, socket

pytestmark = pytest.mark.e2e

LISTED = "subscription Listed { events { cursor type } }"
CREATE = 'mutation Create { createFolder(input: {name: "Listed"}) { folder { id } userErrors { code } } }'


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@pytest.fixture(scope="module")
def server(server_env: dict[str, str], server_log: Path, tmp_path_factory) -> Iterator[Server]:
    manifest = tmp_path_factory.mktemp("manifest") / "persisted.json"
    manifest.write_text(json.dumps({sha(LISTED): LISTED, sha(CREATE): CREATE}))
    with running_server(server_env, server_log, persisted_queries_file=str(manifest)) as server:
        yield server


@pytest.fixture(scope="module")
async def db(server: Server, server_env: dict[str, str]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(server_env["ATELIER_DATABASE_URL"])
    yield engine
    await engine.dispose()


@pytest.fixture
async def org(db: AsyncEngine) -> Tenant:
    return await make_tenant(db)


async def test_the_allow_list_holds_on_the_socket_and_a_listed_hash_runs(server, org):
    async with socket(server.ws, token=org.token) as client:
        await client.subscribe("free", "subscription { events { cursor payload } }")
        refused = await client.recv()
        assert refused["type"] == "error" and refused["id"] == "free"
        assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        await client.send(
            {
                "id": "listed",
                "type": "subscribe",
                "payload": {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(LISTED)}}},
            }
        )
        created = await server.post(org.token, CREATE)
        assert created["createFolder"]["userErrors"] == []
        message = await client.recv()
        assert message["type"] == "next" and message["id"] == "listed"
        assert message["payload"]["data"]["events"]["type"] == "folder.created"


async def test_a_subscription_over_http_is_refused_even_when_listed(server, org):
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.base}/graphql", json={"query": LISTED}, headers={"authorization": f"Bearer {org.token}"}
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


async def test_a_complete_without_a_string_id_closes_with_4400(server, org):
    async with socket(server.ws, token=org.token) as client:
        await client.send({"type": "complete", "id": {"a": 1}})
        assert (await client.closed())[0] == 4400


async def test_an_unknown_operation_name_is_a_coded_error_and_no_traceback(server, org, server_log):
    forged = "x\nERROR:    FORGED admin token atl_fake leaked"
    async with socket(server.ws, token=org.token) as client:
        await client.send(
            {"id": "s", "type": "subscribe", "payload": {"query": LISTED, "operationName": forged}}
        )
        message = await client.recv()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "FORGED" not in json.dumps(message)
        await client.subscribe("t", LISTED)  # the socket goes on
    log = server_log.read_text()
    assert "FORGED" not in log
    assert "Traceback" not in log
