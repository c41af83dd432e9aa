"""Persisted queries as Apollo clients send them, and the production allow-list."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from graph.server.app import create_app
from graph.server.persisted_queries import PersistedQueries, PersistedQueryRefused, load_allow_list
from tests.builders import codes

QUERY = "query Me { viewer { role } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(digest: str = HASH, version: int = 1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(client, token, **body):
    response = await client.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})
    return response.status_code, response.json()


class TestAutomaticPersistedQueries:
    async def test_a_miss_then_the_document_once_then_the_hash_alone(self, client, tenant):
        digest = hashlib.sha256(f"{QUERY} # {tenant.slug}".encode()).hexdigest()
        query = f"{QUERY} # {tenant.slug}"  # a document no other test registered
        status, body = await post(client, tenant.token, extensions=persisted(digest))
        assert (status, codes(body)) == (200, ["PERSISTED_QUERY_NOT_FOUND"])
        assert body["errors"][0]["message"] == "PersistedQueryNotFound"  # what Apollo's link looks for
        status, body = await post(client, tenant.token, query=query, extensions=persisted(digest))
        assert (status, body) == (
            200,
            {"data": {"viewer": {"role": "ADMIN"}}, "extensions": body["extensions"]},
        )
        status, body = await post(client, tenant.token, extensions=persisted(digest))
        assert status == 200 and body["data"] == {"viewer": {"role": "ADMIN"}}

    async def test_the_hash_alone_works_over_get(self, client, tenant):
        await post(client, tenant.token, query=QUERY, extensions=persisted())
        response = await client.get(
            "/graphql",
            params={"extensions": json.dumps(persisted())},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["data"] == {"viewer": {"role": "ADMIN"}}, (
            response.headers,
            response.text[:300],
        )

    async def test_a_known_hash_still_needs_a_token(self, client, tenant):
        await post(client, tenant.token, query=QUERY, extensions=persisted())
        response = await client.post("/graphql", json={"extensions": persisted()})
        assert codes(response.json()) == ["UNAUTHENTICATED"]

    @pytest.mark.parametrize(
        "extensions",
        [
            persisted("0" * 64),  # not the document's hash
            persisted(HASH.upper()),
            persisted("abc"),
            persisted(version=2),
            {"persistedQuery": "x"},
            {"persistedQuery": {"version": 1, "sha256Hash": 5}},
        ],
    )
    async def test_a_wrong_hash_or_version_with_the_document_is_a_bad_request(
        self, client, tenant, extensions
    ):
        status, body = await post(client, tenant.token, query=QUERY, extensions=extensions)
        assert (status, codes(body)) == (400, ["BAD_REQUEST"])

    async def test_a_mismatched_hash_keeps_nothing(self, client, tenant):
        other = "query Other { viewer { role } }"
        fake = hashlib.sha256(b"something else").hexdigest()
        await post(client, tenant.token, query=other, extensions=persisted(fake))
        _, body = await post(client, tenant.token, extensions=persisted(fake))
        assert codes(body) == ["PERSISTED_QUERY_NOT_FOUND"]


class TestTheStore:
    def test_it_keeps_the_most_recently_used_within_its_bounds(self):
        store = PersistedQueries(capacity=2)
        docs = [f"{{ a{i}: __typename }}" for i in range(3)]
        hashes = [hashlib.sha256(d.encode()).hexdigest() for d in docs]
        for d, h in zip(docs[:2], hashes[:2], strict=True):
            store.resolve({"query": d, "extensions": persisted(h)})
        store.resolve({"extensions": persisted(hashes[0])})  # used: the other is older now
        store.resolve({"query": docs[2], "extensions": persisted(hashes[2])})
        assert len(store) == 2
        with pytest.raises(PersistedQueryRefused):
            store.resolve({"extensions": persisted(hashes[1])})
        request = {"extensions": persisted(hashes[0])}
        store.resolve(request)
        assert request["query"] == docs[0]

    def test_it_is_bounded_by_bytes_too(self):
        store = PersistedQueries(capacity=100, max_bytes=50)
        for i in range(5):
            doc = f"{{ a{i}: __typename b: __typename }}"
            store.resolve({"query": doc, "extensions": persisted(hashlib.sha256(doc.encode()).hexdigest())})
        assert len(store) == 1


class TestTheAllowList:
    @pytest.fixture
    async def listed_client(self, settings, adapters, tmp_path):
        manifest = tmp_path / "manifest.json"
        manifest.write_text(
            json.dumps(
                {
                    "format": "apollo-persisted-query-manifest",
                    "version": 1,
                    "operations": [{"id": HASH, "name": "Me", "type": "query", "body": QUERY}],
                }
            )
        )
        app = create_app(settings.model_copy(update={"persisted_queries_file": manifest}), adapters=adapters)
        # no lifespan: the session's app migrated the database and runs the shared relay
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as c:
            yield c

    async def test_only_listed_documents_run_by_hash_or_in_full(self, listed_client, tenant):
        status, body = await post(listed_client, tenant.token, extensions=persisted())
        assert status == 200 and body["data"] == {"viewer": {"role": "ADMIN"}}
        status, body = await post(listed_client, tenant.token, query=QUERY)
        assert status == 200 and body["data"] == {"viewer": {"role": "ADMIN"}}
        other = "{ viewer { role } }"
        status, body = await post(listed_client, tenant.token, query=other)
        assert (status, codes(body)) == (400, ["PERSISTED_QUERY_NOT_ALLOWED"])
        digest = hashlib.sha256(other.encode()).hexdigest()
        status, body = await post(listed_client, tenant.token, query=other, extensions=persisted(digest))
        assert (status, codes(body)) == (400, ["PERSISTED_QUERY_NOT_ALLOWED"])
        status, body = await post(listed_client, tenant.token, extensions=persisted(digest))
        assert codes(body) == ["PERSISTED_QUERY_NOT_FOUND"]

    def test_a_manifest_entry_whose_hash_is_not_its_documents_is_refused(self, tmp_path):
        manifest = tmp_path / "m.json"
        manifest.write_text(json.dumps({"0" * 64: QUERY}))
        with pytest.raises(ValueError, match="not the sha256"):
            load_allow_list(manifest)
        manifest.write_text(json.dumps({HASH: QUERY}))
        assert load_allow_list(manifest) == {HASH: QUERY}
        manifest.write_text("[1, 2]")
        with pytest.raises(ValueError, match="expected a manifest"):
            load_allow_list(manifest)
