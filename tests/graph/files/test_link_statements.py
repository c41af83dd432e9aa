"""Signed links are made from what the page already loaded: no statement per asset or generation."""

from __future__ import annotations

from tests.builders import gql
from tests.graph.statements import count_statements

ASSETS = "query($first: Int) { assets(first: $first) { edges { node { id downloadUrl } } } }"
GENERATIONS = "query($first: Int) { generations(first: $first) { edges { node { id imageUrl } } } }"


class TestLinkStatements:
    async def test_fifty_download_urls_cost_the_same_statements_as_five(self, client, engine, tenant):
        session = await tenant.session()
        for i in range(50):
            await tenant.asset(f"Asset {i}")
            await tenant.generation(session, f"prompt {i}")
        for query, field in ((ASSETS, "assets"), (GENERATIONS, "generations")):
            counts = {}
            for first in (50, 5):
                with count_statements(engine) as statements:
                    status, body = await gql(client, tenant.token, query, {"first": first})
                assert status == 200 and "errors" not in body, body
                edges = body["data"][field]["edges"]
                assert len(edges) == first
                urls = [next(v for k, v in e["node"].items() if k != "id") for e in edges]
                assert len(set(urls)) == first and all(
                    u.startswith("http://atelier.test/files/") for u in urls
                )
                counts[first] = len(statements)
            assert counts[50] == counts[5] == 2, (field, counts)  # auth, page
