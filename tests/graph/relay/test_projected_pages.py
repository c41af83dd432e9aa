"""Connections answered from one projected page answer what graphql-core answers, or give way.

Each document is sent twice over one app, once on graphql-core's executor and once on ours;
the two responses must be the same bytes, and the counters say which road ours took.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from asgi_lifespan import LifespanManager
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from domain.kernel.access import Role
from domain.kernel.projection import ProjectedPage
from graph.relay.executor import Counters, PlainFieldExecutor
from graph.relay.ids import to_global_id
from graph.server.app import create_app
from storage.demo.seeding import now as seeding_now
from storage.sql import tables as t
from storage.studio.reads import SqlStudioReads
from tests.builders import make_tenant
from tests.graph.relay.test_plain_field_executor import Library, graphql_schema
from tests.graph.statements import count_statements

STUDIO_PAGE = """query StudioPage($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Session {
      id title
      generations(first: $first, after: $after) {
        totalCount
        edges { cursor node { id prompt width height reviewState likeCount likedByViewer } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""

EVERY_KEY = """query Every($id: ID!, $first: Int, $after: String, $likes: Boolean!) {
  node(id: $id) {
    __typename
    ... on Session {
      shots: generations(first: $first, after: $after) {
        __typename
        count: totalCount
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
        edges {
          __typename
          at: cursor
          node {
            __typename id prompt negativePrompt platform aspectRatio width height provider model
            creditsUsed reviewState mimeType byteSize createdAt expiresAt
            likeCount @include(if: $likes)
            ...Liked
          }
        }
      }
    }
  }
}
fragment Liked on Generation { likedByViewer again: likedByViewer }"""


class Studio(Library):
    session: str
    empty_session: str


@pytest.fixture(scope="module")
async def studio(settings, adapters, engine) -> AsyncIterator[Studio]:
    tenant = await make_tenant(engine)
    viewer_id, viewer = await tenant.member(Role.VIEWER)
    session = await tenant.session("Shoot")
    empty = await tenant.session("Nothing yet")
    for i in range(7):
        generation = await tenant.generation(
            session, f"a red fox, take {i}", review_state="approved" if i % 3 == 0 else "pending"
        )
        if i % 2:
            await tenant.like(generation)
        if i % 3:
            await tenant.like(generation, viewer_id)
    app = create_app(settings, adapters=adapters)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
            library = Studio(client, graphql_schema(app), [tenant.token, viewer], [])
            library.session = to_global_id("Session", session)
            library.empty_session = to_global_id("Session", empty)
            yield library


async def both(studio: Studio, query: str, variables: dict[str, Any], token: int = 0) -> tuple[int, bytes]:
    """Our executor's answer, after checking graphql-core's is the same bytes."""
    stock = await studio.post(StrawberryGraphQLCoreExecutionContext, studio.tokens[token], query, variables)
    ours = await studio.post(PlainFieldExecutor, studio.tokens[token], query, variables)
    assert ours == stock
    return ours


async def projected(studio: Studio, query: str, variables: dict[str, Any], token: int = 0) -> tuple[int, int]:
    """(projected, given up) while answering the document."""
    before = Counters.projected, Counters.unprojected
    await both(studio, query, variables, token)
    return Counters.projected - before[0], Counters.unprojected - before[1]


class TestAnsweredFromAProjectedPage:
    async def test_the_studio_page(self, studio):
        for token in (0, 1):
            assert await projected(studio, STUDIO_PAGE, {"id": studio.session, "first": 50}, token) == (1, 0)

    async def test_every_key_it_covers_with_aliases_fragments_and_directives(self, studio):
        for likes in (True, False):
            variables = {"id": studio.session, "first": 3, "likes": likes}
            assert await projected(studio, EVERY_KEY, variables, 1) == (1, 0)

    async def test_the_next_page_the_last_and_past_the_end(self, studio):
        variables = {"id": studio.session, "first": 3, "likes": True}
        pages = 0
        while True:
            status, body = await both(studio, EVERY_KEY, variables)
            assert status == 200
            info = httpx.Response(200, content=body).json()["data"]["node"]["shots"]["pageInfo"]
            pages += 1
            if not info["hasNextPage"]:
                break
            variables["after"] = info["endCursor"]
        assert pages == 3  # 3 + 3 + 1
        assert await projected(studio, EVERY_KEY, variables, 0) == (1, 0)

    async def test_an_empty_session_and_no_rows_asked_for(self, studio):
        assert await projected(studio, STUDIO_PAGE, {"id": studio.empty_session}) == (1, 0)
        assert await projected(studio, STUDIO_PAGE, {"id": studio.session, "first": 0}) == (1, 0)

    async def test_costs_three_statements_whatever_its_size(self, studio, engine):
        counts = {}
        for first in (7, 2):
            with count_statements(engine) as statements:
                await studio.post(
                    PlainFieldExecutor, studio.tokens[0], STUDIO_PAGE, {"id": studio.session, "first": first}
                )
            counts[first] = len(statements)
        # the token, the session, the page with its like tallies and count
        assert counts == {7: 3, 2: 3}, counts


class TestPlansKeptForADocument:
    async def test_follow_its_boolean_variables(self, studio):
        # plans are kept across requests of one parsed document (graph/relay/selection_plans.py):
        # a projected page's, and a planned list's (`seed` keeps this one off the projected road)
        projected_page = """query($id: ID!, $x: Boolean!) { node(id: $id) { ... on Session {
            generations(first: 3) { edges { node { id prompt @include(if: $x) likeCount @skip(if: $x) } } } } } }"""
        planned_list = """query($id: ID!, $x: Boolean!) { node(id: $id) { ... on Session {
            generations(first: 3) { edges { node { seed prompt @include(if: $x) width @skip(if: $x) } } } } } }"""
        for x in (True, False, True, False):
            assert await projected(studio, projected_page, {"id": studio.session, "x": x}) == (1, 0)
            planned = Counters.planned
            await both(studio, planned_list, {"id": studio.session, "x": x})
            assert Counters.planned > planned


class TestGivesWay:
    @pytest.mark.parametrize(
        "node",
        [
            "id seed",  # computed by the GraphQL type
            "id imageUrl",  # a resolver
            "id thumbnailUrl(size: 64)",  # an argument
            "review { altText }",  # an object
            "session { title }",
        ],
    )
    async def test_a_selection_it_does_not_cover(self, studio, node):
        query = f"""query($id: ID!) {{ node(id: $id) {{ ... on Session {{
            generations(first: 5) {{ edges {{ node {{ {node} }} }} }} }} }} }}"""
        assert await projected(studio, query, {"id": studio.session}) == (0, 0)

    async def test_pages_of_a_list_of_sessions_are_batched_instead(self, studio):
        query = "{ sessions(first: 5) { edges { node { generations(first: 2) { totalCount edges { node { id prompt } } } } } } }"
        assert await projected(studio, query, {}) == (0, 0)

    @pytest.mark.parametrize(
        "variables", [{"first": 101}, {"first": -1}, {"after": "not-a-cursor"}, {"after": ""}]
    )
    async def test_bad_arguments_are_graphql_cores_to_report(self, studio, variables):
        _, body = await both(studio, STUDIO_PAGE, {"id": studio.session, **variables})
        assert b'"errors"' in body
        assert await projected(studio, STUDIO_PAGE, {"id": studio.session, **variables}) == (0, 0)

    async def test_a_null_in_a_non_null_place_is_given_up(self, studio, monkeypatch):
        read = SqlStudioReads.session_generation_rows

        async def with_a_null(self: Any, *args: Any) -> ProjectedPage:
            page = await read(self, *args)
            rows = [(row[0], *(None for _ in row[1:])) for row in page.rows]
            return ProjectedPage(rows, page.keys, page.has_next, page.total)

        monkeypatch.setattr(SqlStudioReads, "session_generation_rows", with_a_null)
        assert await projected(studio, STUDIO_PAGE, {"id": studio.session}) == (0, 1)

    async def test_a_value_its_type_cannot_serialise_is_given_up(self, studio, monkeypatch):
        read = SqlStudioReads.session_generation_rows

        async def too_wide(self: Any, *args: Any) -> ProjectedPage:
            page = await read(self, *args)
            rows = [tuple(2**40 if type(v) is int else v for v in row) for row in page.rows]
            return ProjectedPage(rows, page.keys, page.has_next, page.total)

        monkeypatch.setattr(SqlStudioReads, "session_generation_rows", too_wide)
        assert await projected(studio, STUDIO_PAGE, {"id": studio.session}) == (0, 1)

    async def test_a_failed_read_is_given_up(self, studio, monkeypatch):
        async def failing(self: Any, *args: Any) -> ProjectedPage:
            raise RuntimeError("the database went away")

        monkeypatch.setattr(SqlStudioReads, "session_generation_rows", failing)
        assert await projected(studio, STUDIO_PAGE, {"id": studio.session}) == (0, 1)


FOLDER_PAGE = """query FolderPage($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Folder {
      id name
      assets(first: $first, after: $after) {
        totalCount
        edges { cursor node { id name altText width height tags { id name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""

EVERY_RELATION = """query Related($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on %s {
      assets(first: $first, after: $after) {
        totalCount
        edges { cursor node {
          __typename id name description altText mimeType byteSize width height aiGenerated rating
          createdAt updatedAt trashedAt
          folder { __typename id name }
          generation { id prompt negativePrompt model provider }
          labels: tags { __typename id name }
          projects { id name description }
          ... on Asset { tags { name } }
        } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
}"""


class Groups(Library):
    folder: str
    other_folder: str
    tag: str
    project: str


@pytest.fixture(scope="module")
async def groups(settings, adapters, engine) -> AsyncIterator[Groups]:
    tenant = await make_tenant(engine)
    folder, other = await tenant.folder("Shoot"), await tenant.folder("Other")
    # names whose order by name key differs from their order by id
    tags = [await tenant.tag(name) for name in ("zebra", "Apple", "mango", "apple pie")]
    projects = [await tenant.project(name) for name in ("Spring", "autumn")]
    session = await tenant.session("Shoot")
    kept = await tenant.generation(session, "a red fox")
    gone = await tenant.generation(session, "a blue fox")
    for i in range(7):
        await tenant.asset(
            f"Asset {i}",
            folder_id=folder if i != 3 else other,
            tags=tuple(tags[: i % 5]),
            projects=tuple(projects[: i % 3]),
            ai_generated=i % 2 == 0,
            # an upload's row holding a generation id anyway shows none, as its resolver does
            generation_id=(kept if i % 4 == 0 else gone) if i % 2 == 0 else (kept if i == 1 else None),
            prompt="a red fox",
            trashed_at=seeding_now() if i == 5 else None,
        )
    await tenant.run(lambda c: c.execute(sa.delete(t.generations).where(t.generations.c.id == gone)))
    app = create_app(settings, adapters=adapters)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
            library = Groups(client, graphql_schema(app), [tenant.token], [])
            library.folder = to_global_id("Folder", folder)
            library.other_folder = to_global_id("Folder", other)
            library.tag = to_global_id("Tag", tags[1])
            library.project = to_global_id("Project", projects[0])
            yield library


class TestAssetListsAnsweredFromAProjectedPage:
    async def test_the_folder_page(self, groups):
        for folder in (groups.folder, groups.other_folder):
            assert await projected(groups, FOLDER_PAGE, {"id": folder, "first": 50}) == (1, 0)

    @pytest.mark.parametrize("kind", ["Folder", "Tag", "Project"])
    async def test_every_relation_page_by_page(self, groups, kind):
        group = {"Folder": groups.folder, "Tag": groups.tag, "Project": groups.project}[kind]
        variables: dict[str, Any] = {"id": group, "first": 2}
        query = EVERY_RELATION % kind
        while True:
            assert await projected(groups, query, variables) == (1, 0)
            _, body = await both(groups, query, variables)
            info = httpx.Response(200, content=body).json()["data"]["node"]["assets"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            variables["after"] = info["endCursor"]
        assert await projected(groups, query, variables) == (1, 0)  # past the end

    async def test_a_relations_field_it_cannot_carry_gives_way(self, groups):
        for node in (
            "folder { createdAt }",
            "generation { seed }",
            "tags { assets { totalCount } }",
            "sha256",
        ):
            query = f"""query($id: ID!) {{ node(id: $id) {{ ... on Folder {{
                assets {{ edges {{ node {{ id {node} }} }} }} }} }} }}"""
            assert await projected(groups, query, {"id": groups.folder}) == (0, 0), node

    async def test_costs_three_statements_whatever_its_size(self, groups, engine):
        counts = {}
        for first in (6, 2):
            with count_statements(engine) as statements:
                query = EVERY_RELATION % "Folder"
                await groups.post(
                    PlainFieldExecutor, groups.tokens[0], query, {"id": groups.folder, "first": first}
                )
            counts[first] = len(statements)
        # the token, the folder, the page with its relations and count
        assert counts == {6: 3, 2: 3}, counts


LIBRARY = """query Library($first: Int, $after: String, $sort: AssetSort, $search: String) {
  assets(first: $first, after: $after, sort: $sort, search: $search) {
    __typename totalCount
    edges { cursor node { id name altText width height folder { id name } tags { id name }
      projects { id name } generation { id prompt } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


class TestTheWholeLibraryAnsweredFromAProjectedPage:
    async def test_page_by_page(self, groups):
        variables: dict[str, Any] = {"first": 4, "sort": None}
        while True:
            assert await projected(groups, LIBRARY, variables) == (1, 0)
            _, body = await both(groups, LIBRARY, variables)
            info = httpx.Response(200, content=body).json()["data"]["assets"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            variables["after"] = info["endCursor"]
        assert await projected(groups, LIBRARY, variables) == (1, 0)  # past the end

    @pytest.mark.parametrize(
        "variables",
        [{"search": "fox"}, {"search": ""}, {"sort": {"field": "NAME", "direction": "ASC"}}],
    )
    async def test_words_or_an_order_are_the_resolvers_to_apply(self, groups, variables):
        assert await projected(groups, LIBRARY, variables) == (0, 0)

    async def test_a_filter_is_the_resolvers_to_apply(self, groups):
        query = "{ assets(filter: {trashed: true}) { totalCount edges { node { id name } } } }"
        assert await projected(groups, query, {}) == (0, 0)

    async def test_facets_are_the_resolvers_to_answer(self, groups):
        query = "{ assets { totalCount facets { tags { count } } } }"
        assert await projected(groups, query, {}) == (0, 0)

    async def test_costs_two_statements_whatever_its_size(self, groups, engine):
        counts = {}
        for first in (6, 2):
            with count_statements(engine) as statements:
                await groups.post(PlainFieldExecutor, groups.tokens[0], LIBRARY, {"first": first})
            counts[first] = len(statements)
        # the token, the page with its relations and count
        assert counts == {6: 2, 2: 2}, counts
