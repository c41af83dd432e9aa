"""The plain-field executor answers exactly what graphql-core's executor answers, and runs.

Random documents over the whole schema (tests/graph/relay/random_documents.py) are sent
over HTTP to one app twice, once on each executor, on one seeded library; the two
responses must be the same bytes: data, errors with their codes, paths and locations,
and the HTTP status.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from hypothesis import HealthCheck, given, seed, settings
from starlette.routing import Route
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from domain.kernel.access import Role
from graph.relay.executor import Counters, PlainFieldExecutor
from graph.relay.ids import parse_global_id, to_global_id
from graph.server.app import create_app
from tests.builders import make_tenant
from tests.graph.relay.random_documents import documents, documents_on

LIBRARY_PAGE = """query LibraryPage {
  assets(first: 50) {
    totalCount
    edges { cursor node { id name altText width height folder { id name } tags { id name }
      projects { id name } generation { id prompt } sha256 } }
    pageInfo { hasNextPage endCursor }
  }
}"""
"""The library page, with a field no projected page carries (`sha256`): graphql-core's road."""


def graphql_schema(app: Any) -> Any:
    """The strawberry schema behind the app's /graphql route."""
    for route in app.routes:
        if isinstance(route, Route) and route.path == "/graphql":
            return route.endpoint.schema
    raise LookupError("no /graphql route")


class Library:
    """A seeded organisation, the app over it, and the ids a document may ask for."""

    def __init__(self, client: httpx.AsyncClient, schema: Any, tokens: list[str], ids: list[str]) -> None:
        self.client = client
        self.schema = schema
        self.tokens = tokens
        self.ids = ids

    async def post(
        self, executor: type, token: str, query: str, variables: dict[str, Any]
    ) -> tuple[int, bytes]:
        self.schema.execution_context_class = executor
        try:
            response = await self.client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                # both executors must run: an answer from the response cache would compare equal anyway
                headers={"authorization": f"Bearer {token}", "cache-control": "no-cache"},
            )
        finally:
            self.schema.execution_context_class = PlainFieldExecutor
        return response.status_code, response.content


@pytest.fixture(scope="module")
async def library(settings, adapters, engine) -> AsyncIterator[Library]:
    tenant = await make_tenant(engine)
    stranger = await make_tenant(engine)
    _, viewer = await tenant.member(Role.VIEWER)
    folders = [await tenant.folder(f"Folder {i}") for i in range(2)]
    tags = [await tenant.tag(f"tag-{i}") for i in range(3)]
    projects = [await tenant.project(f"Project {i}") for i in range(2)]
    session = await tenant.session("Shoot")
    generations = []
    assets = []
    for i in range(6):
        generation = await tenant.generation(session, f"a red fox, take {i}")
        generations.append(generation)
        if i % 2:
            await tenant.like(generation)
        assets.append(
            await tenant.asset(
                f"Asset {i}",
                folder_id=folders[i % 2] if i < 5 else None,
                tags=tuple(tags[: i % 4]),
                projects=(projects[i % 2],),
                ai_generated=i % 3 != 0,
                generation_id=generation if i % 3 else None,
                session_id=session if i % 3 else None,
                prompt=f"a red fox, take {i}",
            )
        )
    await tenant.placement(assets[0])
    foreign = await stranger.folder("Theirs")
    ids = [
        *(to_global_id("Asset", a) for a in assets[:3]),
        to_global_id("Folder", folders[0]),
        to_global_id("Tag", tags[1]),
        to_global_id("Project", projects[0]),
        to_global_id("Session", session),
        to_global_id("Generation", generations[1]),
        to_global_id("Tag", assets[0]),  # an id of the wrong type
        to_global_id("Folder", foreign),  # another organisation's
        "not-an-id",
    ]
    app = create_app(settings, adapters=adapters)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
            yield Library(client, graphql_schema(app), [tenant.token, viewer], ids)


async def answer_alike(library: Library, strategy: Any, seed_value: int, examples: int) -> None:
    """Each document hypothesis draws from `strategy`, sent once per executor as an admin or a viewer:
    the same status and bytes."""
    loop = asyncio.get_running_loop()

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=strategy, viewer=...)
    def check(document: tuple[str, dict[str, Any]], viewer: bool) -> None:
        query, variables = document
        token = library.tokens[1 if viewer else 0]

        def run(executor: type) -> tuple[int, bytes]:
            call = library.post(executor, token, query, variables)
            return asyncio.run_coroutine_threadsafe(call, loop).result(timeout=60)

        stock = run(StrawberryGraphQLCoreExecutionContext)
        plain = run(PlainFieldExecutor)
        assert plain == stock, query

    # hypothesis drives the loop from a thread, so that each example awaits on the test's loop
    await asyncio.to_thread(check)


class TestSameAnswers:
    @pytest.mark.timeout(180)
    async def test_random_documents_answer_the_same_bytes_on_both_executors(self, library):
        words = ["fox", "red", "Asset 1", "nothing-like-this"]
        planned = Counters.planned
        await answer_alike(library, documents(library.schema._schema, library.ids, words), 20261130, 150)
        # lists completed from a plan were among them (their abandoning: test_planned_lists.py)
        assert Counters.planned > planned

    @pytest.mark.timeout(180)
    @pytest.mark.parametrize("type_name", ["Session", "Folder", "Tag"])
    async def test_random_selections_on_one_node_answer_the_same_bytes_on_both_executors(
        self, library, type_name
    ):
        """Deep into one session's generations or one folder's or tag's assets: connections answered
        from a projected page (graph/relay/projected_pages/; its giving way: test_projected_pages.py)
        among them."""
        node = next(i for i in library.ids if (parse_global_id(i) or ("",))[0] == type_name)
        strategy = documents_on(library.schema._schema, library.ids, ["fox"], node, type_name)
        projected = Counters.projected
        await answer_alike(library, strategy, 20261201, 80)
        assert Counters.projected - projected >= 5, Counters.projected - projected


class TestTheShortRoadRuns:
    async def test_the_library_page_is_one_projected_page(self, library):
        before = Counters.projected
        query = LIBRARY_PAGE.replace(" sha256", "")
        assert await library.post(PlainFieldExecutor, library.tokens[0], query, {}) == await library.post(
            StrawberryGraphQLCoreExecutionContext, library.tokens[0], query, {}
        )
        assert Counters.projected == before + 1

    async def test_the_library_page_reads_its_leaves_directly(self, library):
        before, fallback = Counters.direct, Counters.fallback
        status, body = await library.post(PlainFieldExecutor, library.tokens[0], LIBRARY_PAGE, {})
        assert status == 200 and b'"errors"' not in body
        # 6 assets: per asset id, name, altText, width, height, cursor, and the leaves of its relations
        assert Counters.direct - before >= 6 * 6
        assert Counters.fallback == fallback

    async def test_the_library_page_calls_its_relation_resolvers_directly(self, library):
        before = Counters.called
        status, body = await library.post(PlainFieldExecutor, library.tokens[0], LIBRARY_PAGE, {})
        assert status == 200 and b'"errors"' not in body
        # 6 assets: per asset its cursor, folder, tags, projects and generation
        assert Counters.called - before >= 6 * 5

    async def test_graphql_cores_executor_reads_none_directly(self, library):
        before, called = Counters.direct, Counters.called
        status, _ = await library.post(
            StrawberryGraphQLCoreExecutionContext, library.tokens[0], LIBRARY_PAGE, {}
        )
        assert status == 200
        assert Counters.direct == before
        assert Counters.called == called
