"""The response cache through the app: hits, misses, what moves the key, ETag and 304."""

from __future__ import annotations

import json

import httpx
import pytest

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from graph.server.cached_answers import CACHE_HEADER
from tests.builders import Tenant, gql
from tests.graph.statements import count_statements

FOLDERS = "query Folders { folders(first: 20) { edges { node { id name } } totalCount } }"
RENAME = """
mutation Rename($id: ID!, $name: String!) {
  renameFolder(input: {id: $id, name: $name}) { folder { name } userErrors { code } }
}"""


async def post(client: httpx.AsyncClient, token: str, query: str = FOLDERS, **variables: object):
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.headers.get(CACHE_HEADER), response.json()


async def get(client: httpx.AsyncClient, token: str, query: str = FOLDERS, **headers: str) -> httpx.Response:
    return await client.get(
        "/graphql", params={"query": query}, headers={"authorization": f"Bearer {token}", **headers}
    )


def names(body: dict) -> list[str]:
    return sorted(e["node"]["name"] for e in body["data"]["folders"]["edges"])


async def rename(client, tenant: Tenant, folder: int, name: str) -> None:
    status, body = await gql(
        client, tenant.token, RENAME, {"id": to_global_id("Folder", folder), "name": name}
    )
    assert status == 200 and body["data"]["renameFolder"]["userErrors"] == [], body


class TestHitsAndMisses:
    async def test_a_repeated_query_is_answered_from_the_cache_with_the_same_bytes(self, client, tenant):
        await tenant.folder("Alpha")
        first = await client.post(
            "/graphql", json={"query": FOLDERS}, headers={"authorization": f"Bearer {tenant.token}"}
        )
        states = [first.headers.get(CACHE_HEADER)]
        bodies = [first.content]
        for _ in range(3):
            again = await client.post(
                "/graphql", json={"query": FOLDERS}, headers={"authorization": f"Bearer {tenant.token}"}
            )
            states.append(again.headers.get(CACHE_HEADER))
            bodies.append(again.content)
        # the first run teaches the process the document is valid; the second is kept; then hits
        assert states == [None, "miss", "hit", "hit"]
        assert len(set(bodies)) == 1 and json.loads(bodies[0])["data"]["folders"]["totalCount"] == 1

    async def test_a_hit_costs_authentication_and_the_version_read_only(self, client, engine, tenant):
        await tenant.folder("Alpha")
        for _ in range(2):
            await post(client, tenant.token)
        with count_statements(engine) as statements:
            state, _ = await post(client, tenant.token)
        assert state == "hit"
        assert [s.split()[0] for s in statements] == ["SELECT"]  # the token; the version read is tagged

    async def test_every_change_moves_the_key(self, client, tenant):
        folder = await tenant.folder("Alpha")
        for _ in range(3):
            state, body = await post(client, tenant.token)
        assert state == "hit" and names(body) == ["Alpha"]
        await rename(client, tenant, folder, "Beta")
        state, body = await post(client, tenant.token)
        assert (state, names(body)) == ("miss", ["Beta"])
        state, body = await post(client, tenant.token)
        assert (state, names(body)) == ("hit", ["Beta"])

    async def test_another_organisations_change_leaves_the_answer_cached(self, client, tenant, engine):
        from tests.builders import make_tenant

        await tenant.folder("Alpha")
        other = await make_tenant(engine)
        theirs = await other.folder("Theirs")
        for _ in range(3):
            await post(client, tenant.token)
        await rename(client, other, theirs, "Renamed")
        state, body = await post(client, tenant.token)
        assert (state, names(body)) == ("hit", ["Alpha"])

    async def test_variables_are_part_of_the_key(self, client, tenant):
        query = "query F($first: Int) { folders(first: $first) { edges { node { name } } } }"
        for name in ("A", "B", "C"):
            await tenant.folder(name)
        for _ in range(3):
            _, one = await post(client, tenant.token, query, first=1)
        state, two = await post(client, tenant.token, query, first=2)
        assert state == "miss"
        assert len(one["data"]["folders"]["edges"]) == 1 and len(two["data"]["folders"]["edges"]) == 2

    async def test_answers_are_not_shared_between_members_even_of_one_role(self, client, tenant):
        await tenant.folder("Alpha")
        _, other = await tenant.member(Role.ADMIN)
        for _ in range(3):
            await post(client, tenant.token)
        state, body = await post(client, other)
        assert state == "miss" and names(body) == ["Alpha"]

    async def test_a_client_can_ask_past_the_cache(self, client, tenant):
        await tenant.folder("Alpha")
        for _ in range(3):
            await post(client, tenant.token)
        response = await client.post(
            "/graphql",
            json={"query": FOLDERS},
            headers={"authorization": f"Bearer {tenant.token}", "cache-control": "no-cache"},
        )
        assert response.headers[CACHE_HEADER] == "miss"


class TestWhatIsNeverCached:
    @pytest.mark.parametrize(
        "query",
        [
            "{ assets(first: 5) { edges { node { name processingStatus } } } }",
            "{ assets(first: 5, filter: {processingStatuses: [READY]}) { totalCount } }",
            "{ webhooks { url } }",
            '{ node(id: "QXNzZXQ6MQ==") { ... on Asset { processingStatus } } }',
            "fragment F on Asset { processingStatus } { assets(first: 1) { edges { node { ...F } } } }",
        ],
    )
    async def test_documents_reading_state_that_changes_without_an_event(self, client, tenant, query):
        for _ in range(3):
            state, body = await post(client, tenant.token, query)
        assert state is None and "data" in body

    async def test_a_volatile_filter_in_the_variables(self, client, tenant):
        query = "query A($f: AssetFilter) { assets(first: 5, filter: $f) { totalCount } }"
        for _ in range(3):
            state, _ = await post(client, tenant.token, query, f={"processingStatuses": ["READY"]})
        assert state is None
        for _ in range(3):
            state, _ = await post(client, tenant.token, query, f={"favourite": True})
        assert state == "hit"

    async def test_mutations_and_answers_with_errors(self, client, tenant):
        folder = await tenant.folder("Alpha")
        for n in range(3):
            response = await client.post(
                "/graphql",
                json={"query": RENAME, "variables": {"id": to_global_id("Folder", folder), "name": f"N{n}"}},
                headers={"authorization": f"Bearer {tenant.token}"},
            )
            assert CACHE_HEADER not in response.headers
        broken = '{ assetBySha256(sha256: "xyz") { id } folders { totalCount } }'
        for _ in range(3):
            state, body = await post(client, tenant.token, broken)
        assert state is None and body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"

    async def test_an_invalid_document_costs_no_version_read(self, client, engine, tenant):
        with count_statements(engine) as statements:
            for _ in range(3):
                response = await client.post(
                    "/graphql",
                    json={"query": "{ folders { nope } }"},
                    headers={"authorization": f"Bearer {tenant.token}"},
                )
                assert response.status_code == 400
        assert len(statements) == 3  # the token, each time


class TestConditionalGets:
    async def test_an_unchanged_answer_is_304_and_a_change_gives_a_new_etag(self, client, tenant):
        folder = await tenant.folder("Alpha")
        first = await get(client, tenant.token)
        etag = first.headers["etag"]
        assert first.status_code == 200 and etag.startswith('"')
        assert first.headers["cache-control"] == "private, no-cache"
        assert "authorization" in first.headers["vary"].lower()

        same = await get(client, tenant.token, **{"if-none-match": etag})
        assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", etag)

        await rename(client, tenant, folder, "Beta")
        changed = await get(client, tenant.token, **{"if-none-match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert names(changed.json()) == ["Beta"]

    async def test_another_members_etag_is_not_this_members(self, client, tenant):
        await tenant.folder("Alpha")
        _, other = await tenant.member(Role.ADMIN)
        for _ in range(2):
            mine = await get(client, tenant.token)
        theirs = await get(client, other, **{"if-none-match": mine.headers["etag"]})
        assert theirs.status_code == 200 and theirs.headers["etag"] != mine.headers["etag"]

    async def test_a_304_still_needs_a_token(self, client, tenant):
        for _ in range(2):
            mine = await get(client, tenant.token)
        response = await client.get(
            "/graphql", params={"query": FOLDERS}, headers={"if-none-match": mine.headers["etag"]}
        )
        assert response.status_code == 401
