"""Subscriptions over a real uvicorn process, with real websocket clients (graphql-transport-ws)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect

from domain.kernel.access import Role
from graph.limits.cost import DEFAULT_MAX_QUERY_COST, operation_cost
from graph.schema import schema as dev_schema
from storage.sql import tables as t
from storage.sql.database import create_engine
from tests.builders import Tenant, make_tenant
from tests.e2e.sockets import Server, encode_cursor, head_cursor, running_server, saved_assets, socket

pytestmark = pytest.mark.e2e

SAVED = "subscription($after: String) { assetSaved(after: $after) { cursor type occurredAt asset { id } } }"
MAX_SUBSCRIPTIONS = 10


@pytest.fixture(scope="module")
def server(server_env: dict[str, str], server_log: Path) -> Iterator[Server]:
    with running_server(
        server_env,
        server_log,
        ws_init_timeout_seconds="1",
        ws_auth_recheck_seconds="0.5",
        ws_max_subscriptions=str(MAX_SUBSCRIPTIONS),
    ) as server:
        yield server


@pytest.fixture(scope="module")
async def db(server: Server, server_env: dict[str, str]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(server_env["ATELIER_DATABASE_URL"])
    yield engine
    await engine.dispose()


@pytest.fixture
async def org(db: AsyncEngine) -> Tenant:
    return await make_tenant(db)


def ids_of(messages: list[dict]) -> list[str]:
    return [m["payload"]["data"]["assetSaved"]["asset"]["id"] for m in messages]


class TestDelivery:
    async def test_a_subscriber_sees_each_save_of_a_200_item_bulk_save_exactly_once(
        self, server, org, db, server_env
    ):
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "s", SAVED, {"after": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)}
            )
            assets = await saved_assets(server, org.token, 200)
            messages = await client.take(200)
        assert {m["type"] for m in messages} == {"next"}
        assert sorted(ids_of(messages)) == sorted(assets)
        cursors = [m["payload"]["data"]["assetSaved"]["cursor"] for m in messages]
        assert len(set(cursors)) == 200
        assert {m["payload"]["data"]["assetSaved"]["type"] for m in messages} == {"asset.saved"}

    async def test_a_client_reconnecting_with_its_last_cursor_gets_exactly_what_it_missed(
        self, server, org, db, server_env
    ):
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "s", SAVED, {"after": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)}
            )
            first = await saved_assets(server, org.token, 3)
            seen = await client.take(3)
        assert sorted(ids_of(seen)) == sorted(first)
        last = seen[-1]["payload"]["data"]["assetSaved"]["cursor"]

        missed = await saved_assets(server, org.token, 4)  # while disconnected
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe("s", SAVED, {"after": last})
            replayed = await client.take(4)
            assert sorted(ids_of(replayed)) == sorted(missed)
            live = await saved_assets(server, org.token, 2)
            after_seam = await client.take(2)
            assert sorted(ids_of(after_seam)) == sorted(live)
            # nothing else comes: a ping is answered before any stray event would be
            await client.send({"type": "ping"})
            assert (await client.recv())["type"] == "pong"

    async def test_events_never_cross_organisations(self, server, org, db, server_env):
        other = await make_tenant(db)
        async with socket(server.ws, token=other.token) as client:
            await client.subscribe(
                "s", SAVED, {"after": await head_cursor(db, server_env["ATELIER_DATA_DIR"], other.org_id)}
            )
            await saved_assets(server, org.token, 2)  # another organisation's saves come first
            mine = await saved_assets(server, other.token, 1)
            message = await client.recv()
        assert ids_of([message]) == mine

    async def test_another_organisations_project_in_a_filter_is_not_found(self, server, org, db):
        other = await make_tenant(db)
        project = await other.project("Theirs")
        from graph.relay.ids import to_global_id

        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "s",
                "subscription($p: ID!) { assetSaved(filter: {projectId: $p}) { cursor } }",
                {"p": to_global_id("Project", project)},
            )
            error = await client.recv()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "NOT_FOUND"

    async def test_the_filter_keeps_only_assets_in_the_folder(self, server, org, db, server_env):
        folder = await org.folder("Kites")
        from graph.relay.ids import to_global_id

        folder_id = to_global_id("Folder", folder)
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "s",
                "subscription($f: ID!, $a: String) { assetSaved(filter: {folderId: $f}, after: $a) "
                "{ asset { id folder { id } } } }",
                {"f": folder_id, "a": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)},
            )
            await saved_assets(server, org.token, 2)  # saved at the root: not reported
            kept = await _save_into(server, org.token, folder_id)
            message = await client.recv()
        assert message["payload"]["data"]["assetSaved"]["asset"] == {"id": kept, "folder": {"id": folder_id}}


class TestTypedSubscriptions:
    async def test_generation_created_keeps_one_session_and_generation_reviewed_each_decision(
        self, server, org, db, server_env
    ):
        head = await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)
        one, other = await _session(server, org.token), await _session(server, org.token)
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "created",
                "subscription($s: ID!, $a: String) { generationCreated(sessionId: $s, after: $a) "
                "{ type generation { id } } }",
                {"s": one, "a": head},
            )
            await client.subscribe(
                "reviewed",
                "subscription($a: String) { generationReviewed(after: $a) { type subjectId } }",
                {"a": head},
            )
            mine = await _generate(server, org.token, one, 2)
            await _generate(server, org.token, other, 1)  # another session: not reported
            await server.post(
                org.token,
                'mutation($i: [ID!]!) { reject(input: {generationIds: $i, reason: "off-brand"}) { userErrors { code } } }',
                {"i": mine[:1]},
            )
            messages = await client.take(3)
            await client.send({"type": "ping"})
            assert (await client.recv())["type"] == "pong"  # and nothing more
        created = [m["payload"]["data"]["generationCreated"] for m in messages if m["id"] == "created"]
        reviewed = [m["payload"]["data"]["generationReviewed"] for m in messages if m["id"] == "reviewed"]
        assert sorted(c["generation"]["id"] for c in created) == sorted(mine)
        assert {c["type"] for c in created} == {"generation.created"}
        assert reviewed == [{"type": "generation.rejected", "subjectId": mine[0]}]

    async def test_placement_changed_reports_a_proposal(self, server, org, db, server_env):
        [asset] = await saved_assets(server, org.token, 1)
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe(
                "p",
                "subscription($a: String) { placementChanged(after: $a) { type payload } }",
                {"a": await head_cursor(db, server_env["ATELIER_DATA_DIR"], org.org_id)},
            )
            await server.post(
                org.token,
                "mutation($a: ID!) { proposePlacement(input: {assetId: $a, kind: FEATURED_IMAGE, "
                'targetRef: "https://cms.example/post/1"}) { userErrors { code } } }',
                {"a": asset},
            )
            message = await client.recv()
        event = message["payload"]["data"]["placementChanged"]
        assert event["type"] == "placement.proposed"
        assert event["payload"]["assetId"] == asset


async def _session(server: Server, token: str) -> str:
    made = await server.post(
        token,
        'mutation { createSession(input: {title: "G", platform: INSTAGRAM, aspectRatio: SQUARE}) { session { id } } }',
    )
    return made["createSession"]["session"]["id"]


async def _generate(server: Server, token: str, session: str, count: int) -> list[str]:
    made = await server.post(
        token,
        'mutation($s: ID!, $n: Int!) { generate(input: {sessionId: $s, prompt: "kite", count: $n}) '
        "{ generations { id } } }",
        {"s": session, "n": count},
    )
    return [g["id"] for g in made["generate"]["generations"]]


async def _save_into(server: Server, token: str, folder: str) -> str:
    session = (
        await server.post(
            token,
            'mutation { createSession(input: {title: "F", platform: INSTAGRAM, aspectRatio: SQUARE}) '
            "{ session { id } } }",
        )
    )["createSession"]["session"]["id"]
    made = await server.post(
        token,
        'mutation($s: ID!) { generate(input: {sessionId: $s, prompt: "kite", count: 1}) { generations { id } } }',
        {"s": session},
    )
    gid = made["generate"]["generations"][0]["id"]
    await server.post(
        token,
        'mutation($i: ID!) { approve(input: {generationIds: [$i], altText: "A bird-shaped kite over a beach"}) { userErrors { code } } }',
        {"i": gid},
    )
    saved = await server.post(
        token,
        "mutation($i: ID!, $f: ID!) { saveToLibrary(input: {generationIds: [$i], folderId: $f}) "
        "{ assets { id } userErrors { code } } }",
        {"i": gid, "f": folder},
    )
    return saved["saveToLibrary"]["assets"][0]["id"]


class TestRefusals:
    async def test_no_connection_init_closes_with_4408(self, server):
        async with socket(server.ws) as client:
            assert (await client.closed())[0] == 4408

    @pytest.mark.parametrize("token", [None, "atl_not-a-real-token", "Bearer-less"])
    async def test_a_missing_or_unknown_token_closes_with_4403(self, server, token):
        async with socket(server.ws) as client:
            await client.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            code, reason = await client.closed()
        assert code == 4403
        assert token is None or token not in (reason or "")

    async def test_revoked_and_expired_tokens_close_with_4403(self, server, org):
        _, revoked = await org.member(Role.VIEWER, revoked_at=sa.func.now())
        _, expired = await org.member(Role.VIEWER, expires_at=sa.func.now())
        for token in (revoked, expired):
            async with socket(server.ws) as client:
                await client.send(
                    {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
                )
                assert (await client.closed())[0] == 4403

    async def test_a_token_revoked_while_subscribed_closes_the_socket_with_4403(self, server, org, db):
        member, token = await org.member(Role.VIEWER)
        async with socket(server.ws, token=token) as client:
            await client.subscribe("s", SAVED)
            async with db.begin() as conn:
                await conn.execute(
                    sa.update(t.api_tokens)
                    .where(t.api_tokens.c.member_id == member)
                    .values(revoked_at=sa.func.now())
                )
            assert (await client.closed())[0] == 4403

    async def test_subscribe_before_ack_closes_with_4401(self, server):
        async with socket(server.ws) as client:
            await client.subscribe("s", SAVED)
            assert (await client.closed())[0] == 4401

    async def test_a_repeated_subscription_id_closes_with_4409(self, server, org):
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe("same", SAVED)
            await client.subscribe("same", SAVED)
            assert (await client.closed())[0] == 4409

    async def test_a_second_connection_init_closes_with_4429(self, server, org):
        async with socket(server.ws, token=org.token) as client:
            await client.send({"type": "connection_init", "payload": {}})
            assert (await client.closed())[0] == 4429

    @pytest.mark.parametrize(
        "message",
        [
            [],
            7,
            "text",
            {"id": "x"},
            {"type": "subscribe", "id": 5, "payload": {"query": "x"}},
            {"type": "subscribe", "id": "x", "payload": []},
            {"type": "subscribe", "id": "x", "payload": {"query": 1}},
        ],
    )
    async def test_a_malformed_message_closes_with_4400(self, server, org, message):
        async with socket(server.ws, token=org.token) as client:
            await client.send(message)  # type: ignore[arg-type]
            assert (await client.closed())[0] == 4400

    async def test_a_syntax_error_is_an_error_message_with_its_code(self, server, org):
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe("x", "subscription {")
            error = await client.recv()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"

    async def test_the_legacy_graphql_ws_protocol_is_refused(self, server, org):
        async with socket(server.ws, protocol="graphql-ws") as client:
            assert client.ws.subprotocol is None
            assert (await client.closed())[0] == 4406

    async def test_a_thousand_subscriptions_on_one_socket_are_refused_past_the_limit(self, server, org):
        async with socket(server.ws, token=org.token) as client:
            for i in range(1000):
                await client.subscribe(str(i), SAVED)
            errors = await client.take(1000 - MAX_SUBSCRIPTIONS)
            assert {e["type"] for e in errors} == {"error"}
            assert {e["payload"][0]["extensions"]["code"] for e in errors} == {"LIMIT_EXCEEDED"}
            await client.send({"type": "ping"})
            assert (await client.recv())["type"] == "pong"  # the socket stays open

    async def test_queries_and_mutations_are_refused_on_the_socket(self, server, org):
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe("q", "{ viewer { id } }")
            await client.subscribe("m", 'mutation { createFolder(input: {name: "x"}) { folder { id } } }')
            answers = await client.take(2)
        assert {a["type"] for a in answers} == {"error"}
        assert {a["payload"][0]["extensions"]["code"] for a in answers} == {"OPERATION_NOT_ALLOWED"}

    async def test_a_subscription_over_the_cost_limit_is_refused(self, server, org):
        document = (
            "subscription { events { asset { tags { assets(first: 100) { edges { node { "
            "tags { assets(first: 100) { edges { node { id name } } } } } } } } } } }"
        )
        from graphql import parse

        assert operation_cost(dev_schema._schema, parse(document), None, None) > DEFAULT_MAX_QUERY_COST
        async with socket(server.ws, token=org.token) as client:
            await client.subscribe("c", document)
            error = await client.recv()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"

    async def test_an_expired_cursor_is_cursor_expired(self, server, org, db, server_env):
        async with db.begin() as conn:
            await conn.execute(sa.update(t.event_log).values(pruned_through=10))
        try:
            async with socket(server.ws, token=org.token) as client:
                await client.subscribe(
                    "s", SAVED, {"after": encode_cursor(5, server_env["ATELIER_DATA_DIR"], org.org_id)}
                )
                error = await client.recv()
        finally:
            async with db.begin() as conn:
                await conn.execute(sa.update(t.event_log).values(pruned_through=0))
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "CURSOR_EXPIRED"


async def test_a_cross_origin_browser_handshake_is_refused(server):
    with pytest.raises(Exception, match="403"):
        async with connect(server.ws, subprotocols=["graphql-transport-ws"], origin="https://evil.example"):  # type: ignore[list-item,arg-type]
            pass
