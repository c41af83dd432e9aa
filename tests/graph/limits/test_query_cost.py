"""Every request's work is bounded: a cost limit before execution, cheap bounds before validation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from domain.kernel.access import Role
from graph.limits.cost import DEFAULT_MAX_QUERY_COST
from graph.relay.ids import to_global_id
from graph.server.app import create_app
from graph.server.settings import Settings
from tests.builders import codes, gql
from tests.graph.statements import count_statements

LIBRARY_PAGE = """
query LibraryPage($after: String) {
  assets(first: 50, after: $after) {
    totalCount
    edges {
      cursor
      node {
        id name altText width height aiGenerated
        folder { name path { name } }
        tags { name }
        projects { name }
        provenance {
          prompt seed provider model creditsUsed rightsNotes intendedPlacement
          brandKit { name } session { title } reviewedBy { name } contextAssets { name }
        }
        generation { id likeCount }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
LIBRARY_PAGE_COST = 11_656
"""1 + 1 (totalCount) + 4 (pageInfo) + edges: 1 + 50 x (1 + 1 + node 231); `path` counts as a full page,
the prompt 51 (50,000 characters) and the rights notes 3 (2,000)."""

STUDIO = """{
  viewer { role member { name email } organisation { slug name } }
  heroes: assets(filter: { aiGenerated: true, favourite: false }) { totalCount }
  folders { edges { node { name children { name } assets(first: 5) { totalCount edges { node { name } } } } } }
  projects(filter: { archived: false }) { edges { node { name assets { totalCount } } } }
  sessions(filter: { state: OPEN }) {
    edges { node { title platform aspectRatio brandKit { name }
      generations(first: 10) { edges { node { prompt reviewState likeCount likedByViewer savedAsset { name } } } } } }
  }
  liked: generations(filter: { likedByViewer: true }) { edges { node { prompt session { title state } } } }
  toReview: generations(filter: { reviewState: PENDING }) { totalCount }
}"""

_LEVEL = "tags { assets(first: 100) { edges { node { id name %s } } } }"
ATTACK = (
    "query($ids: [ID!]!) { "
    + " ".join(f"n{i}: nodes(ids: $ids) {{ ... on Asset {{ {_LEVEL % (_LEVEL % '')} }} }}" for i in range(5))
    + " }"
)
"""Issue 9's document: five aliases of `nodes`, each nesting tags/assets(first: 100) twice."""
ATTACK_COST = 6_044_020_505
"""The README's "about 6 billion": inner `tags`: 1 + 20 x (assets 1 + edges (1 + 100 x node (1 + id + name)))
= 6,041; outer `tags`: 1 + 20 x (1 + 1 + 100 x (1 + 2 + 6,041)) = 12,088,041; each alias 1 + 100 x that."""


def _cost(body: dict) -> int:
    return body["extensions"]["cost"]


@pytest.fixture
async def viewer_token(tenant) -> str:
    return (await tenant.member(Role.VIEWER))[1]


@pytest.fixture
async def asset_ids(tenant) -> list[str]:
    tag = await tenant.tag("hero")
    return [to_global_id("Asset", await tenant.asset(f"Asset {i}", tags=(tag,))) for i in range(3)]


async def _client_with(settings: Settings, adapters) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, adapters=adapters)  # no lifespan: the session's app already migrated
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://atelier.test") as c:
        yield c


@pytest.fixture
async def strict_client(settings, adapters, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose limit came from ATELIER_MAX_QUERY_COST, as the server reads it."""
    monkeypatch.setenv("ATELIER_MAX_QUERY_COST", "100")
    strict = Settings(data_dir=settings.data_dir, database_url=settings.database_url)
    assert strict.max_query_cost == 100
    async for c in _client_with(strict, adapters):
        yield c


class TestTheCostLimit:
    async def test_the_nested_lists_attack_is_refused_before_any_sql(
        self, client, engine, viewer_token, asset_ids
    ):
        ids = (asset_ids * 34)[:100]
        with count_statements(engine) as baseline:
            status, _ = await gql(client, viewer_token, "{ __typename }")
        assert status == 200
        with count_statements(engine) as statements:
            status, body = await gql(client, viewer_token, ATTACK, {"ids": ids})
        assert status == 400 and body["data"] is None and codes(body) == ["QUERY_TOO_COMPLEX"]
        extensions = body["errors"][0]["extensions"]
        assert extensions["limit"] == DEFAULT_MAX_QUERY_COST
        assert extensions["cost"] == ATTACK_COST
        assert "cost" not in body.get("extensions", {})
        assert len(statements) == len(baseline), statements  # the token lookup, nothing else

    async def test_the_attack_written_out_in_full_is_refused_too(self, client, engine, viewer_token):
        ids = ", ".join(f'"{to_global_id("Asset", i)}"' for i in range(100))
        document = ATTACK.replace("query($ids: [ID!]!) ", "").replace("$ids", f"[{ids}]")
        assert len(document) > 8_000
        status, body = await gql(client, viewer_token, document)
        assert status == 400 and codes(body) == ["QUERY_TOO_COMPLEX"]
        assert body["errors"][0]["extensions"]["cost"] == ATTACK_COST  # inline ids priced as the variable's

    async def test_the_readme_library_page_is_accepted_and_its_cost_reported(self, client, tenant):
        status, body = await gql(client, tenant.token, LIBRARY_PAGE)
        assert status == 200 and "errors" not in body, body
        assert _cost(body) == LIBRARY_PAGE_COST < DEFAULT_MAX_QUERY_COST / 4

    async def test_the_readme_studio_query_is_accepted(self, client, tenant):
        status, body = await gql(client, tenant.token, STUDIO)
        assert status == 200 and "errors" not in body, body
        assert _cost(body) == 15_080  # 220 prompts of up to 50,000 characters: 11,220

    async def test_the_limit_is_a_setting(self, strict_client, client, tenant):
        status, body = await gql(strict_client, tenant.token, LIBRARY_PAGE)
        assert status == 400 and codes(body) == ["QUERY_TOO_COMPLEX"]
        assert body["errors"][0]["extensions"] == {
            "code": "QUERY_TOO_COMPLEX",
            "cost": LIBRARY_PAGE_COST,
            "limit": 100,
        }
        status, body = await gql(client, tenant.token, LIBRARY_PAGE)
        assert status == 200 and _cost(body) == LIBRARY_PAGE_COST

    async def test_a_document_with_several_operations_counts_the_chosen_one(self, client, tenant):
        document = (
            "query Small { viewer { role } } query Big { assets(first: 100) { edges { node { id } } } }"
        )
        response = await client.post(
            "/graphql",
            json={"query": document, "operationName": "Small"},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert _cost(response.json()) == 2


class TestWhatTheCostCounts:
    PAGE = "query($n: Int) { assets(first: $n) { edges { node { id } } } }"

    @pytest.mark.parametrize(("n", "cost"), [(10, 22), (100, 202), (None, 42), (0, 2)])
    async def test_a_page_size_given_as_a_variable_counts(self, client, tenant, n, cost):
        _, body = await gql(client, tenant.token, self.PAGE, {} if n is None else {"n": n})
        assert _cost(body) == cost  # assets 1 + edges (1 + n x (node 1 + id 1))

    async def test_a_variable_decides_refusal_against_the_limit(self, strict_client, tenant):
        status, body = await gql(strict_client, tenant.token, self.PAGE, {"n": 40})
        assert status == 200 and _cost(body) == 82
        status, body = await gql(strict_client, tenant.token, self.PAGE, {"n": 50})
        assert status == 400 and body["errors"][0]["extensions"]["cost"] == 102

    async def test_an_out_of_range_first_keeps_its_own_error(self, client, tenant):
        _, body = await gql(client, tenant.token, self.PAGE, {"n": 1_000_000_000})
        assert codes(body) == ["LIMIT_EXCEEDED"]

    async def test_nodes_counts_its_ids(self, client, tenant, asset_ids):
        query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Asset { tags { name } } } }"
        _, one = await gql(client, tenant.token, query, {"ids": asset_ids[:1]})
        _, three = await gql(client, tenant.token, query, {"ids": asset_ids})
        assert (_cost(one), _cost(three)) == (1 + 1 * 21, 1 + 3 * 21)  # tags: at most 20 per asset

    async def test_fragments_count_like_the_fields_they_hold(self, client, tenant, asset_ids):
        inline = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Asset { name tags { name } } } }"
        spread = (
            "query($ids: [ID!]!) { nodes(ids: $ids) { ...A } } "
            "fragment A on Asset { name ...T } fragment T on Asset { tags { name } }"
        )
        _, a = await gql(client, tenant.token, inline, {"ids": asset_ids})
        _, b = await gql(client, tenant.token, spread, {"ids": asset_ids})
        assert _cost(a) == _cost(b) == 1 + 3 * (1 + 21)

    async def test_an_interface_counts_its_costliest_type(self, client, tenant, asset_ids):
        query = (
            "query($ids: [ID!]!) { nodes(ids: $ids) { id "
            "... on Asset { tags { name } } ... on Folder { children { name } } } }"
        )
        _, body = await gql(client, tenant.token, query, {"ids": asset_ids})
        assert _cost(body) == 1 + 3 * (1 + 1 + 100)  # a folder's children have no declared maximum

    async def test_same_named_selections_merge_as_execution_merges_them(self, client, tenant):
        _, once = await gql(client, tenant.token, "{ assets { edges { node { id name } } } }")
        _, twice = await gql(
            client, tenant.token, "{ assets { edges { node { id } } } assets { edges { node { name } } } }"
        )
        _, aliased = await gql(
            client,
            tenant.token,
            "{ a: assets { edges { node { id } } } b: assets { edges { node { name } } } }",
        )
        assert _cost(once) == _cost(twice) == 62 and _cost(aliased) == 84

    async def test_skip_and_include_are_honoured(self, client, tenant):
        query = (
            "query($big: Boolean!) { viewer { role } "
            "assets(first: 100) @include(if: $big) { edges { node { id } } } }"
        )
        _, without = await gql(client, tenant.token, query, {"big": False})
        _, with_ = await gql(client, tenant.token, query, {"big": True})
        assert (_cost(without), _cost(with_)) == (2, 204)

    async def test_mutations_are_costed_too(self, client, tenant):
        _, body = await gql(
            client,
            tenant.token,
            'mutation { createProject(input: {name: "P"}) { project { id } userErrors { code } } }',
        )
        assert "errors" not in body and _cost(body) == 1 + 2 + (1 + 100)  # userErrors: no declared maximum


class TestDocumentBounds:
    """Bounds checked before graphql-core validates: every document here is valid GraphQL."""

    async def test_repeated_identical_fields_are_refused_before_validation(self, client, tenant):
        status, body = await gql(client, tenant.token, "{" + " viewer { role }" * 15 + " }")
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "repeats fields too often" in body["errors"][0]["message"]

    async def test_fourteen_repeats_still_pass(self, client, tenant):
        # 91 pairs of `viewer` and 91 of `role` once merged; 15 repeats make 210
        status, body = await gql(client, tenant.token, "{" + " viewer { role }" * 14 + " }")
        assert status == 200 and body["data"] == {"viewer": {"role": "ADMIN"}}

    async def test_a_field_repeated_through_fragments_counts(self, client, tenant):
        fragments = " ".join(f"fragment F{i} on Viewer {{ role }}" for i in range(21))
        spreads = " ".join(f"...F{i}" for i in range(21))
        status, body = await gql(client, tenant.token, f"{{ viewer {{ {spreads} }} }} {fragments}")
        assert status == 400 and "repeats fields too often" in body["errors"][0]["message"]

    async def test_nested_duplicates_are_counted_after_merging(self, client, tenant):
        inner = "name"
        for _ in range(4):  # 2 x 2 x 2 x 2 identical selections: 270 pairs once merged
            inner = f"parent {{ {inner} }} parent {{ {inner} }}"
        status, body = await gql(
            client, tenant.token, f'{{ node(id: "x") {{ ... on Folder {{ {inner} }} }} }}'
        )
        assert status == 400 and "repeats fields too often" in body["errors"][0]["message"]

    async def test_too_many_fragment_spreads_are_refused(self, client, tenant):
        fragments = " ".join(f"fragment F{i} on Viewer {{ a{i}: role }}" for i in range(41))
        spreads = " ".join(f"...F{i}" for i in range(41))
        status, body = await gql(client, tenant.token, f"{{ viewer {{ {spreads} }} }} {fragments}")
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "fragment spreads" in body["errors"][0]["message"]

    async def test_a_fragment_bomb_is_refused_by_its_expanded_size(self, client, tenant):
        # row 3 of BAD_INPUTS: limits count expanded fragments; 2^10 copies of F9 from 10 small fragments
        fragments = [
            f"fragment F{i} on Folder {{ id x: parent {{ ...F{i + 1} }} y: parent {{ ...F{i + 1} }} }}"
            for i in range(10)
        ]
        fragments.append("fragment F10 on Folder { name }")
        status, body = await gql(client, tenant.token, '{ node(id: "x") { ...F0 } } ' + " ".join(fragments))
        assert status == 400 and "selects more than" in body["errors"][0]["message"]

    async def test_cyclic_fragments_still_get_graphql_cores_error(self, client, tenant):
        query = "query { viewer { ...A } } fragment A on Viewer { member { ...B } } fragment B on Member { id ...A }"
        status, body = await gql(client, tenant.token, query)
        assert status == 400 and "Cannot spread fragment" in body["errors"][0]["message"]

    async def test_introspection_passes(self, client, tenant):
        from graphql import get_introspection_query

        status, body = await gql(client, tenant.token, get_introspection_query(descriptions=True))
        assert status == 200 and "errors" not in body and body["data"]["__schema"]["queryType"]
