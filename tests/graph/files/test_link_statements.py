"""Signed links are made from what the page already loaded: no statement per asset or generation."""

from __future__ import annotations

from tests.builders import gql
from tests.graph.processing.rows import processed
from tests.graph.statements import count_statements

ASSETS = "query($first: Int) { assets(first: $first) { edges { node { id downloadUrl } } } }"
GENERATIONS = "query($first: Int) { generations(first: $first) { edges { node { id imageUrl } } } }"
THUMBNAILS = """query($first: Int) { assets(first: $first) { edges { node {
  thumbnailUrl large: thumbnailUrl(size: 1024) generation { thumbnailUrl } } } } }"""


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

    async def test_fifty_thumbnail_urls_with_their_generations_cost_the_same_statements_as_five(
        self, client, engine, tenant
    ):
        session = await tenant.session()
        for i in range(50):
            generation = await tenant.generation(session, f"prompt {i}")
            asset = await tenant.asset(f"Asset {i}", ai_generated=True, generation_id=generation)
            await processed(engine, tenant.org_id, "asset", asset)
            await processed(engine, tenant.org_id, "generation", generation)
        counts = {}
        for first in (50, 5):
            with count_statements(engine) as statements:
                status, body = await gql(client, tenant.token, THUMBNAILS, {"first": first})
            assert status == 200 and "errors" not in body, body
            nodes = [e["node"] for e in body["data"]["assets"]["edges"]]
            urls = {n["thumbnailUrl"] for n in nodes} | {n["generation"]["thumbnailUrl"] for n in nodes}
            assert len(nodes) == first and len(urls) == 2 * first and None not in urls
            counts[first] = len(statements)
        assert counts[50] == counts[5] == 5, counts  # auth, page, generations, and each's renditions
