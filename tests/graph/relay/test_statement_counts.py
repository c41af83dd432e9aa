"""A page of assets with its relations costs a fixed handful of statements, whatever its size."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.sql import tables as t
from tests.builders import gql
from tests.graph.processing.rows import processed
from tests.graph.statements import count_statements

LIBRARY_PAGE = """
query LibraryPage($first: Int) {
  assets(first: $first) {
    totalCount
    edges { cursor node {
      id name altText
      folder { id name }
      tags { id name }
      projects { id name }
      generation { id prompt session { title } }
      provenance { prompt seed brandKit { name } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture
async def library(tenant):
    folders = [await tenant.folder(f"Folder {i}") for i in range(3)]
    tags = [await tenant.tag(f"tag-{i}") for i in range(4)]
    projects = [await tenant.project(f"Project {i}") for i in range(3)]
    kit = await tenant.brand_kit("Kit")
    session = await tenant.session("Shoot")
    for i in range(60):
        generation = await tenant.generation(session, f"prompt {i}")
        await tenant.asset(
            f"Asset {i}",
            folder_id=folders[i % 3],
            tags=(tags[i % 4], tags[(i + 1) % 4]),
            projects=(projects[i % 3],),
            ai_generated=True,
            generation_id=generation,
            session_id=session,
            prompt=f"prompt {i}",
            brand_kit_id=kit,
            seed=2**40 + i,
        )
    return tenant


class TestLibraryPageStatements:
    async def test_fifty_assets_cost_the_same_statements_as_five(self, client, engine, library):
        counts = {}
        for first in (50, 5):
            with count_statements(engine) as statements:
                status, body = await gql(client, library.token, LIBRARY_PAGE, {"first": first})
            assert status == 200 and "errors" not in body, body
            edges = body["data"]["assets"]["edges"]
            assert len(edges) == first
            assert all(e["node"]["folder"] and len(e["node"]["tags"]) == 2 for e in edges)
            assert all(e["node"]["generation"]["session"]["title"] == "Shoot" for e in edges)
            counts[first] = len(statements)
        # auth, page, count, folders, tags, projects, generations, sessions, brand kits
        assert counts[50] == counts[5] == 9, counts

    async def test_nested_connections_batch_across_parents(self, client, engine, library):
        query = """{ folders(first: 10) { edges { node {
            name children { name } path { name }
            assets(first: 3) { totalCount edges { node { name tags { name } } } }
        } } } }"""
        with count_statements(engine) as statements:
            status, body = await gql(client, library.token, query)
        assert status == 200 and "errors" not in body, body
        folders = body["data"]["folders"]["edges"]
        assert len(folders) == 3
        assert all(
            f["node"]["assets"]["totalCount"] == 20 and len(f["node"]["assets"]["edges"]) == 3
            for f in folders
        )
        # auth, folders, children, paths, asset pages, asset counts, tags
        assert len(statements) == 7, statements


USAGE_PAGE = """
query UsagePage($first: Int) {
  assets(first: $first) {
    edges { node { id name usageCount placements { kind targetRef state project { name } } } }
  }
}
"""


PROCESSED_PAGE = """
query ProcessedPage($first: Int) {
  assets(first: $first) { edges { node {
    processingStatus facts { format dominantColours perceptualHash } renditions { size width height }
    generation { processingStatus facts { format } renditions { size } }
  } } }
}
"""


class TestUsageStatements:
    async def test_placements_and_usage_counts_of_fifty_assets_cost_the_same_as_of_five(
        self, client, engine, library
    ):
        project = await library.project("Placed")
        async with engine.connect() as conn:
            ids = (
                (
                    await conn.execute(
                        sa.select(t.assets.c.id)
                        .where(t.assets.c.org_id == library.org_id)
                        .order_by(t.assets.c.id)
                    )
                )
                .scalars()
                .all()
            )
        for i, asset in enumerate(ids):
            await library.placement(asset, f"https://cms.example.com/posts/{i}", project_id=project)
            if i % 2:
                await library.placement(
                    asset, f"https://cms.example.com/pages/{i}", kind="inline", project_id=project
                )
        counts = {}
        for first in (50, 5):
            with count_statements(engine) as statements:
                status, body = await gql(client, library.token, USAGE_PAGE, {"first": first})
            assert status == 200 and "errors" not in body, body
            edges = body["data"]["assets"]["edges"]
            assert len(edges) == first
            assert all(e["node"]["usageCount"] == len(e["node"]["placements"]) >= 1 for e in edges), edges[:2]
            assert all(p["project"] == {"name": "Placed"} for e in edges for p in e["node"]["placements"]), (
                edges[:2]
            )
            counts[first] = len(statements)
        # auth, page, placements, usage counts, projects
        assert counts[50] == counts[5] == 5, counts


class TestProcessingStatements:
    async def test_status_facts_and_renditions_cost_one_statement_each_per_kind_whatever_the_page_size(
        self, client, engine, library
    ):
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(t.assets.c.id, t.assets.c.generation_id).where(
                        t.assets.c.org_id == library.org_id
                    )
                )
            ).all()
        for i, (asset_id, generation_id) in enumerate(rows):
            if i % 2:
                await processed(engine, library.org_id, "asset", asset_id)
                await processed(engine, library.org_id, "generation", generation_id)
        counts = {}
        for first in (50, 5):
            with count_statements(engine) as statements:
                status, body = await gql(client, library.token, PROCESSED_PAGE, {"first": first})
            assert status == 200 and "errors" not in body, body
            nodes = [e["node"] for e in body["data"]["assets"]["edges"]]
            assert len(nodes) == first
            assert {n["processingStatus"] for n in nodes} == {"READY", "PENDING"}
            assert {len(n["generation"]["renditions"]) for n in nodes} == {0, 2}
            counts[first] = len(statements)
        # auth, page, generations; then status, facts, renditions for assets and again for generations
        assert counts[50] == counts[5] == 9, counts
