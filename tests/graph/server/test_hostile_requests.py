"""The outside review of issue 9, GraphQL side: answer size, introspection, fragments, echoed secrets, cursors."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from domain.kernel.access import Role
from domain.studio.generating import MAX_PROMPT
from graph.limits.cost import DEFAULT_MAX_QUERY_COST
from graph.relay.ids import to_global_id
from graph.server.app import create_app
from graph.server.settings import Settings
from tests.builders import codes, gql
from tests.graph.statements import count_statements

GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
OPENAI = "sk-proj-" + "abcDEF123456ghiJKL789012mnoPQR345678stuVWX"
LONG_PROMPT = "a red fox in the snow, " * (MAX_PROMPT // 23)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
async def viewer_token(tenant) -> str:
    return (await tenant.member(Role.VIEWER))[1]


@pytest.fixture
async def capped_client(settings, adapters, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose response cap came from ATELIER_MAX_RESPONSE_BYTES, as the server reads it."""
    monkeypatch.setenv("ATELIER_MAX_RESPONSE_BYTES", "100000")
    capped = Settings(data_dir=settings.data_dir, database_url=settings.database_url)
    assert capped.max_response_bytes == 100_000
    app = create_app(capped, adapters=adapters)  # no lifespan: the session's app already migrated
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://atelier.test") as c:
        yield c


def _aliases(count: int, selection: str) -> str:
    return "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"


class TestLongTextsCountInTheCost:
    async def test_thirty_aliases_of_long_prompts_are_refused_before_any_sql(
        self, client, engine, tenant, viewer_token
    ):
        session = await tenant.session()
        for _ in range(3):
            await tenant.generation(session, LONG_PROMPT, negative_prompt=LONG_PROMPT)
        document = _aliases(30, "generations(first: 100) { edges { node { prompt negativePrompt } } }")
        with count_statements(engine) as baseline:
            await gql(client, viewer_token, "{ __typename }")
        with count_statements(engine) as statements:
            status, body = await gql(client, viewer_token, document)
        assert status == 400 and codes(body) == ["QUERY_TOO_COMPLEX"], body
        # 30 x (1 + 1 + 100 x (1 + 51 + 51)): each text may hold 50,000 characters
        assert body["errors"][0]["extensions"]["cost"] == 309_060 > DEFAULT_MAX_QUERY_COST
        assert len(statements) == len(baseline)

    async def test_a_text_field_costs_one_more_per_thousand_characters_it_may_hold(self, client, tenant):
        _, short = await gql(
            client, tenant.token, "{ generations(first: 10) { edges { node { id model } } } }"
        )
        _, long = await gql(
            client, tenant.token, "{ generations(first: 10) { edges { node { id prompt } } } }"
        )
        assert short["extensions"]["cost"] == 1 + 1 + 10 * (1 + 1 + 1)
        assert long["extensions"]["cost"] == 1 + 1 + 10 * (1 + 1 + 51)

    async def test_generate_is_priced_by_the_images_it_asks_for_not_a_bulk_of_500(self, client, tenant):
        session = to_global_id("Session", await tenant.session())
        status, body = await gql(
            client,
            tenant.token,
            f'mutation {{ generate(input: {{sessionId: "{session}", prompt: "a fox", count: 2}}) '
            "{ generations { prompt negativePrompt } userErrors { code } } }",
        )
        assert status == 200 and "errors" not in body, body
        # 1 + payload (1 + 2 x (51 + 51) + userErrors 1 + 100 x 1)
        assert body["extensions"]["cost"] == 1 + 1 + 2 * 102 + 1 + 100


class TestTheResponseCap:
    async def test_an_answer_over_the_cap_is_a_json_error_never_a_cut_body(self, capped_client, tenant, logs):
        session = await tenant.session()
        for _ in range(3):
            await tenant.generation(session, LONG_PROMPT)
        response = await capped_client.post(
            "/graphql",
            json={"query": "{ generations { edges { node { prompt } } } }"},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        body = orjson.loads(response.content)  # whole JSON, not a truncated body
        assert response.status_code == 200 and body["data"] is None
        assert codes(body) == ["RESPONSE_TOO_LARGE"] and body["errors"][0]["extensions"]["limit"] == 100_000
        assert len(response.content) < 1_000
        assert not [r for r in logs.records if r.exc_info]
        (line,) = [r.getMessage() for r in logs.records if "response too large" in r.getMessage()]
        assert re.fullmatch(r"response too large: \d+ bytes, over the cap of 100000", line), line

    async def test_an_answer_under_the_cap_is_sent_whole(self, capped_client, tenant):
        session = await tenant.session()
        await tenant.generation(session, LONG_PROMPT)
        status, body = await gql(capped_client, tenant.token, "{ generations { edges { node { prompt } } } }")
        assert status == 200 and body["data"]["generations"]["edges"][0]["node"]["prompt"] == LONG_PROMPT

    async def test_a_mutation_whose_answer_is_too_large_keeps_its_change(self, capped_client, client, tenant):
        session = await tenant.session()
        ids = [to_global_id("Generation", await tenant.generation(session, LONG_PROMPT)) for _ in range(3)]
        status, body = await gql(
            capped_client,
            tenant.token,
            "mutation($ids: [ID!]!) { like(input: {generationIds: $ids}) { generations { prompt } } }",
            {"ids": ids},
        )
        assert status == 200 and codes(body) == ["RESPONSE_TOO_LARGE"]
        assert "kept" in body["errors"][0]["message"]
        _, body = await gql(client, tenant.token, "{ likedGenerations { totalCount } }")
        assert body["data"]["likedGenerations"]["totalCount"] == 3


class TestIntrospectionIsPriced:
    # graphql-core's MaxIntrospectionDepthRule refuses a third nesting of `fields`; two pass it
    DEEP = "__schema { types { fields { type { fields { name type { name } } } } } }"

    async def test_aliases_of_a_deep_introspection_are_refused(self, client, tenant):
        status, body = await gql(client, tenant.token, _aliases(17, self.DEEP))
        assert status == 400 and codes(body) == ["QUERY_TOO_COMPLEX"], body

    async def test_one_nesting_of_type_fields_is_priced_by_the_schemas_real_sizes(self, client, tenant):
        status, body = await gql(
            client, tenant.token, "{ __schema { types { fields { type { fields { name } } } } } }"
        )
        # priced by what the schema holds (it grows with the API), yet well within the limit
        assert status == 200 and 1_000 < body["extensions"]["cost"] < DEFAULT_MAX_QUERY_COST / 2

    async def test_graphiqls_introspection_query_is_accepted(self, client, tenant):
        from graphql import get_introspection_query

        query = get_introspection_query(
            descriptions=True, specified_by_url=True, directive_is_repeatable=True, schema_description=True
        )
        status, body = await gql(client, tenant.token, query)
        assert status == 200 and "errors" not in body
        # the schema grows with the API (the subscriptions took it past half): well within the limit still
        assert body["extensions"]["cost"] < DEFAULT_MAX_QUERY_COST * 0.6


class TestUnknownFragments:
    async def test_an_unknown_fragment_is_a_validation_error_in_one_line(self, client, tenant, logs):
        status, body = await gql(client, tenant.token, "{ ...Foo }")
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"], body
        assert body["errors"][0]["message"] == "Unknown fragment 'Foo'."
        assert body["errors"][0]["locations"] == [{"line": 1, "column": 3}]
        assert not [r for r in logs.records if r.exc_info or r.levelno >= logging.ERROR]
        assert [r.getMessage() for r in logs.records if r.name == "atelier.graphql"] == [
            "graphql GRAPHQL_VALIDATION_FAILED operation=- path=-"
        ]

    async def test_an_unknown_fragment_inside_a_fragment_is_refused_too(self, client, tenant):
        status, body = await gql(client, tenant.token, "{ viewer { ...A } } fragment A on Viewer { ...B }")
        assert status == 400 and body["errors"][0]["message"] == "Unknown fragment 'B'."

    async def test_a_credential_named_as_a_fragment_is_neither_echoed_nor_logged(self, client, tenant, logs):
        status, body = await gql(client, tenant.token, f"{{ ...{GITHUB} }}")
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert GITHUB not in str(body) and body["errors"][0]["message"] == "Unknown fragment '<redacted>'."
        assert not [r for r in logs.records if GITHUB in r.getMessage() or r.exc_info]


class TestNoSecretEchoedInMessages:
    async def test_a_field_named_like_a_credential_is_redacted(self, client, tenant):
        status, body = await gql(client, tenant.token, f"{{ {GITHUB} }}")
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert GITHUB not in str(body) and "'<redacted>'" in body["errors"][0]["message"]

    async def test_an_ordinary_unknown_field_is_still_named(self, client, tenant):
        _, body = await gql(client, tenant.token, "{ nope }")
        assert "'nope'" in body["errors"][0]["message"]

    @pytest.mark.parametrize("name", [OPENAI, f"not a name {OPENAI}"])
    async def test_an_unknown_operation_name_holding_a_credential_is_redacted(self, client, tenant, name):
        response = await client.post(
            "/graphql",
            json={"query": "query A { viewer { role } }", "operationName": name},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]
        assert OPENAI not in response.text and "operationName" in response.text  # said, never quoted

    async def test_a_credential_met_by_the_parser_is_redacted(self, client, tenant):
        status, body = await gql(client, tenant.token, f'{{ viewer "{OPENAI}" }}')
        assert status == 400 and codes(body) == ["GRAPHQL_PARSE_FAILED"]
        assert OPENAI not in str(body)


class TestCursorsBelongToTheirList:
    async def _end_cursor(self, client, token, query: str, *path: str) -> str:
        _, body = await gql(client, token, query)
        node = body["data"]
        for key in path:
            node = node[key]
        return node["pageInfo"]["endCursor"]

    async def test_an_assets_cursor_pages_no_studio_list_and_a_generations_cursor_no_assets(
        self, client, tenant
    ):
        session = await tenant.session()
        await tenant.asset("A")
        await tenant.generation(session)
        assets = await self._end_cursor(
            client, tenant.token, "{ assets { pageInfo { endCursor } } }", "assets"
        )
        generations = await self._end_cursor(
            client, tenant.token, "{ generations { pageInfo { endCursor } } }", "generations"
        )
        for field, cursor in (
            ("sessions", assets),
            ("generations", assets),
            ("likedGenerations", assets),
            ("assets", generations),
            ("likedGenerations", generations),
        ):
            _, body = await gql(
                client,
                tenant.token,
                f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}",
                {"a": cursor},
            )
            assert codes(body) == ["INVALID_INPUT"], (field, body)
            assert body["errors"][0]["extensions"]["field"] == "after"
        for field, cursor in (("assets", assets), ("generations", generations)):
            _, body = await gql(
                client,
                tenant.token,
                f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}",
                {"a": cursor},
            )
            assert "errors" not in body, body

    async def test_nested_lists_keep_their_cursors_to_themselves(self, client, tenant):
        folder = await tenant.folder("F")
        project = await tenant.project("P")
        session = await tenant.session()
        await tenant.asset("A", folder_id=folder)
        await tenant.generation(session)
        folder_id, project_id, session_id = (
            to_global_id("Folder", folder),
            to_global_id("Project", project),
            to_global_id("Session", session),
        )
        folder_assets = await self._end_cursor(
            client,
            tenant.token,
            f'{{ node(id: "{folder_id}") {{ ... on Folder {{ assets {{ pageInfo {{ endCursor }} }} }} }} }}',
            "node",
            "assets",
        )
        session_generations = await self._end_cursor(
            client,
            tenant.token,
            f'{{ node(id: "{session_id}") {{ ... on Session {{ generations {{ pageInfo {{ endCursor }} }} }} }} }}',
            "node",
            "generations",
        )
        refused = (
            ("query($a: String) { assets(after: $a) { totalCount } }", folder_assets),
            (
                f'query($a: String) {{ node(id: "{project_id}") {{ ... on Project {{ assets(after: $a) {{ totalCount }} }} }} }}',
                folder_assets,
            ),
            ("query($a: String) { generations(after: $a) { totalCount } }", session_generations),
            (
                f'query($a: String) {{ node(id: "{folder_id}") {{ ... on Folder {{ assets(after: $a) {{ totalCount }} }} }} }}',
                session_generations,
            ),
        )
        for query, cursor in refused:
            _, body = await gql(client, tenant.token, query, {"a": cursor})
            assert codes(body) == ["INVALID_INPUT"], (query, body)
        _, body = await gql(
            client,
            tenant.token,
            f'query($a: String) {{ node(id: "{folder_id}") {{ ... on Folder {{ assets(after: $a) {{ totalCount }} }} }} }}',
            {"a": folder_assets},
        )
        assert "errors" not in body, body


class TestGetParametersAndLiteralErrors:
    async def test_an_empty_operation_name_is_no_operation_name(self, client, tenant):
        response = await client.get(
            "/graphql",
            params={"query": "{ viewer { role } }", "operationName": ""},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 200 and response.json()["data"]["viewer"]["role"] == "ADMIN"

    async def test_variables_that_are_not_json_are_named_as_the_parameter(self, client, tenant):
        response = await client.get(
            "/graphql",
            params={"query": "{ viewer { role } }", "variables": "notjson"},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]
        assert response.json()["errors"][0]["message"] == "the `variables` parameter is not JSON"

    async def test_a_bigint_written_inline_has_its_location(self, client, tenant):
        session = to_global_id("Session", await tenant.session())
        document = (
            f'mutation {{ generate(input: {{sessionId: "{session}", prompt: "a fox", seed: "abc"}}) '
            "{ userErrors { code } } }"
        )
        status, body = await gql(client, tenant.token, document)
        assert status == 400 and codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["locations"] == [{"line": 1, "column": document.index('"abc"') + 1}]
        assert "abc" not in body["errors"][0]["message"]

    async def test_strawberrys_own_refusals_still_answer_json_with_a_code(self, client, tenant):
        response = await client.post(
            "/graphql",
            json=[{"query": "{ viewer { role } }"}],
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]
        assert response.headers["content-type"] == "application/json"
