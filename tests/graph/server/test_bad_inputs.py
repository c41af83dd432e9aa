"""Hostile and broken requests (BAD_INPUTS.md): a clear code, never a 500, the server still serving."""

from __future__ import annotations

import base64

import orjson
import pytest

from graph.relay.ids import Cursors, to_global_id
from tests.builders import codes, gql

PAGE = "query($first: Int, $after: String) { assets(first: $first, after: $after) { edges { cursor } } }"


class TestPageSizes:  # row 10
    @pytest.mark.parametrize(
        ("first", "code"), [(101, "LIMIT_EXCEEDED"), (1_000_000_000, "LIMIT_EXCEEDED"), (-1, "INVALID_INPUT")]
    )
    async def test_out_of_range_first_is_refused_with_a_code(self, client, tenant, first, code):
        status, body = await gql(client, tenant.token, PAGE, {"first": first})
        assert codes(body) == [code]
        assert body["errors"][0]["extensions"]["field"] == "first"
        assert body["data"] is None and status == 200

    @pytest.mark.parametrize(
        "field", ["assets", "folders", "projects", "tags", "brandKits", "sessions", "generations"]
    )
    async def test_every_list_caps_first(self, client, tenant, field):
        _, body = await gql(client, tenant.token, f"{{ {field}(first: 101) {{ totalCount }} }}")
        assert codes(body) == ["LIMIT_EXCEEDED"]

    async def test_nested_lists_cap_first_too(self, client, tenant):
        await tenant.folder("F")
        _, body = await gql(
            client, tenant.token, "{ folders { edges { node { assets(first: 500) { totalCount } } } } }"
        )
        assert codes(body) == ["LIMIT_EXCEEDED"]

    async def test_a_first_above_32_bits_is_a_request_error(self, client, tenant):
        status, body = await gql(client, tenant.token, PAGE, {"first": 2**53 + 1})
        assert status == 400 and codes(body) == ["BAD_USER_INPUT"]


class TestMalformedIdsAndCursors:  # row 12
    @pytest.mark.parametrize(
        "bad_id",
        [
            "\x00",
            "' OR 1=1; --",
            base64.b64encode(b"Asset:1 OR 1=1").decode(),
            base64.b64encode(b"Asset:99999999999999999999999").decode(),
            base64.b64encode(b"Asset:-1").decode(),
            base64.b64encode("Asset:١".encode()).decode(),  # a non-ASCII digit
            base64.b64encode(b"\xff\xfe").decode(),
            "x" * 10_000,
            "",
        ],
    )
    async def test_a_malformed_id_is_not_found(self, client, tenant, bad_id):
        status, body = await gql(
            client, tenant.token, "query($id: ID!) { node(id: $id) { id } }", {"id": bad_id}
        )
        assert status == 200 and "errors" not in body and body["data"] == {"node": None}
        status, body = await gql(
            client,
            tenant.token,
            "query($f: AssetFilter) { assets(filter: $f) { totalCount } }",
            {"f": {"folderId": bad_id}},
        )
        assert codes(body) == ["NOT_FOUND"] and body["errors"][0]["extensions"]["field"] == "filter.folderId"

    async def test_an_id_of_another_type_is_not_found(self, client, tenant):
        tag = await tenant.tag("t")
        _, body = await gql(
            client,
            tenant.token,
            "query($f: AssetFilter) { assets(filter: $f) { totalCount } }",
            {"f": {"folderId": to_global_id("Tag", tag)}},
        )
        assert codes(body) == ["NOT_FOUND"]

    @pytest.mark.parametrize(
        "cursor",
        [
            "garbage!",
            base64.urlsafe_b64encode(b"[1]").decode(),
            base64.urlsafe_b64encode(b"[1180591620717411303424]").decode(),
            base64.urlsafe_b64encode(orjson.dumps({"id": 1})).decode(),
            "A" * 600,
            "A" * 5000,
            "\u00e9t\u00e9",
        ],
    )
    async def test_a_cursor_the_api_did_not_sign_is_invalid_input(self, client, tenant, cursor):
        _, body = await gql(client, tenant.token, PAGE, {"after": cursor})
        assert codes(body) == ["INVALID_INPUT"] and body["errors"][0]["extensions"]["field"] == "after"

    async def test_a_cursor_signed_with_another_key_is_invalid_input(self, client, tenant):
        asset = await tenant.asset("A")
        forged = Cursors(b"not the server's key").of("Query.assets").encode((asset + 1,))
        _, body = await gql(client, tenant.token, PAGE, {"after": forged})
        assert codes(body) == ["INVALID_INPUT"]

    @pytest.mark.parametrize("key", [("name", 1), (True,), (2**63,), (1, 2)])
    async def test_a_signed_cursor_of_the_wrong_shape_is_invalid_input(self, client, tenant, cursors, key):
        _, body = await gql(client, tenant.token, PAGE, {"after": cursors.of("Query.assets").encode(key)})
        assert codes(body) == ["INVALID_INPUT"] and body["errors"][0]["extensions"]["field"] == "after"

    @pytest.mark.parametrize("name", ["a\x00", "x" * 3000])
    async def test_a_name_cursor_no_name_could_make_is_invalid_input(self, client, tenant, cursors, name):
        _, body = await gql(
            client,
            tenant.token,
            "query($a: String) { tags(after: $a) { totalCount } }",
            {"a": cursors.of("Query.tags").encode((name, 1))},
        )
        assert codes(body) == ["INVALID_INPUT"]

    async def test_a_cursor_of_a_list_by_name_does_not_fit_a_newest_first_list(self, client, tenant):
        await tenant.tag("a")
        await tenant.tag("b")
        _, body = await gql(client, tenant.token, "{ tags(first: 1) { pageInfo { endCursor } } }")
        _, body = await gql(
            client, tenant.token, PAGE, {"after": body["data"]["tags"]["pageInfo"]["endCursor"]}
        )
        assert codes(body) == ["INVALID_INPUT"]

    async def test_too_many_ids_at_once_is_refused(self, client, tenant):
        _, body = await gql(
            client, tenant.token, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["x"] * 101}
        )
        assert codes(body) == ["LIMIT_EXCEEDED"]


class TestMalformedRequests:
    async def test_malformed_json_is_400(self, client, tenant):
        for body, code in (
            (b"{not json", "BAD_REQUEST"),  # not JSON at all: the request is malformed
            (  # JSON, but the variable's value is out of Int's range
                b'{"query": "query($n: Int) { assets(first: $n) { totalCount } }", "variables": {"n": 1'
                + b"0" * 30
                + b"}}",
                "BAD_USER_INPUT",
            ),
        ):
            response = await client.post(
                "/graphql",
                content=body,
                headers={"authorization": f"Bearer {tenant.token}", "content-type": "application/json"},
            )
            assert response.status_code == 400, response.text
            assert codes(response.json()) == [code], body[:20]

    async def test_a_batch_of_operations_is_400(self, client, tenant):  # row 9
        response = await client.post(
            "/graphql",
            json=[{"query": "{ viewer { role } }"}] * 100,
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 400

    async def test_text_plain_and_mutations_over_get_are_refused(self, client, tenant):  # row 11
        auth = {"authorization": f"Bearer {tenant.token}"}
        response = await client.post(
            "/graphql", content="{ viewer { role } }", headers={**auth, "content-type": "text/plain"}
        )
        assert response.status_code == 400
        # GET is a method /graphql takes (for queries), so a mutation sent by it is a bad request, not 405
        response = await client.get(
            "/graphql",
            params={"query": 'mutation { closeSession(input: {id: "x"}) { userErrors { code } } }'},
            headers=auth,
        )
        assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]
        assert response.json()["errors"][0]["message"] == "mutations are not allowed when using GET"

    async def test_a_body_over_the_cap_is_413(self, client, tenant):  # row 4
        query = "{ viewer { role } }" + " " * 1_100_000
        response = await client.post(
            "/graphql", json={"query": query}, headers={"authorization": f"Bearer {tenant.token}"}
        )
        assert response.status_code == 413 and codes(response.json()) == ["PAYLOAD_TOO_LARGE"]

    async def test_a_chunked_body_over_the_cap_is_413(self, client, tenant):
        async def chunks():
            yield b'{"query": "{ viewer { role } }", "pad": "'
            for _ in range(200):
                yield b"x" * 10_000
            yield b'"}'

        response = await client.post(
            "/graphql",
            content=chunks(),
            headers={"authorization": f"Bearer {tenant.token}", "content-type": "application/json"},
        )
        assert response.status_code == 413

    async def test_syntax_errors_are_400_with_a_code(self, client, tenant):
        status, body = await gql(client, tenant.token, "{ viewer { role ")
        assert status == 400 and codes(body) == ["GRAPHQL_PARSE_FAILED"]


class TestDocumentLimits:
    async def test_a_deeply_nested_query_is_rejected_before_any_resolver(
        self, client, engine, tenant
    ):  # row 1
        from tests.graph.statements import count_statements

        inner = "id"
        for _ in range(25):
            inner = f"generation {{ contextAssets {{ {inner} }} }}"
        with count_statements(engine) as statements:
            status, body = await gql(
                client, tenant.token, f"{{ assets {{ edges {{ node {{ {inner} }} }} }} }}"
            )
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert len(statements) == 1  # authentication only

    async def test_too_many_aliases_are_rejected(self, client, tenant):  # row 2
        for count, code, message in (
            (31, "GRAPHQL_VALIDATION_FAILED", "31 aliases found. Allowed: 30"),
            # 1000 aliases are 6,000 tokens: the token limit stops the parser before any rule runs
            (1000, "GRAPHQL_PARSE_FAILED", "Syntax Error: Document contains more than 2000 tokens."),
        ):
            query = "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(count)) + " }"
            status, body = await gql(client, tenant.token, query)
            assert status == 400 and codes(body) == [code], count
            assert body["errors"][0]["message"].startswith(message)

    async def test_cyclic_fragments_are_rejected(self, client, tenant):  # row 6
        # well typed apart from the cycle, so the cycle is what refuses it
        query = (
            "query { viewer { ...A } } fragment A on Viewer { role ...B } fragment B on Viewer { role ...A }"
        )
        status, body = await gql(client, tenant.token, query)
        assert status == 400 and codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert body["errors"][0]["message"] == "Cannot spread fragment 'A' within itself via 'B'."

    async def test_an_unexpected_error_is_masked(self, client, tenant, monkeypatch):
        from graph.library import types as library

        def boom(*_args, **_kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(library, "group_page", boom)
        await tenant.folder("F")
        _, body = await gql(client, tenant.token, "{ folders { edges { node { assets { totalCount } } } } }")
        assert codes(body) == ["INTERNAL_SERVER_ERROR"]
        assert "secret" not in str(body)
