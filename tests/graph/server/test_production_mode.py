"""Production mode: no GraphiQL, no introspection, no schema hints in errors (BAD_INPUTS rows 7 and 8)."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graph.server.app import create_app
from tests.builders import codes, gql


@pytest.fixture(scope="module")
async def production(settings, adapters):
    app = create_app(settings.model_copy(update={"env": "production"}), adapters=adapters)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://prod") as c,
    ):
        yield c


class TestProductionMode:
    async def test_introspection_is_refused_even_inside_a_fragment(self, production, tenant):
        for query in (
            "{ __schema { types { name } } }",
            "query { ...F } fragment F on Query { __schema { queryType { name } } }",
            '{ __type(name: "Asset") { fields { name } } }',
        ):
            status, body = await gql(production, tenant.token, query)
            assert status == 400 and set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}, (query, body)

    async def test_misspelled_fields_get_no_did_you_mean_hints(self, production, client, tenant):
        _, body = await gql(production, tenant.token, "{ asets { totalCount } }")
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "Did you mean" not in body["errors"][0]["message"]
        _, dev = await gql(client, tenant.token, "{ asets { totalCount } }")
        assert "Did you mean" in dev["errors"][0]["message"]  # development keeps the hint

    async def test_graphiql_is_not_served(self, production, client, tenant):
        # with a valid token, so that the 404 is GraphiQL's absence and not the missing token's 401
        headers = {"accept": "text/html", "authorization": f"Bearer {tenant.token}"}
        response = await production.get("/graphql", headers=headers)
        assert response.status_code == 404 and codes(response.json()) == ["NOT_FOUND"]
        response = await client.get("/graphql", headers=headers)  # development serves it
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")

    async def test_typename_and_normal_queries_still_work(self, production, tenant):
        status, body = await gql(production, tenant.token, "{ __typename viewer { role } }")
        assert status == 200 and body["data"] == {"__typename": "Query", "viewer": {"role": "ADMIN"}}

    async def test_no_hint_in_any_message_variable_errors_included(self, production, tenant):
        for query, variables in (
            ("query($f: AssetFilter) { assets(filter: $f) { totalCount } }", {"f": {"aiGenerate": True}}),
            ("query($f: AssetFilter) { assets(filter: $f) { totalCount } }", {"f": {"folderid": "x"}}),
            ("{ assets(filter: {aiGenerate: true}) { totalCount } }", None),
            ("{ assets(firts: 1) { totalCount } }", None),
        ):
            _, body = await gql(production, tenant.token, query, variables)
            assert body["errors"] and all("Did you mean" not in e["message"] for e in body["errors"]), body
