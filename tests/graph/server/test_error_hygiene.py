"""Failures answer one code, repeat no input value, log one line without the document, and never 500."""

from __future__ import annotations

import logging

import orjson
import pytest

from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import codes, gql
from tests.graph.org_state import count_rows

SECRET = "sk-proj-" + "Q7x" * 16  # looks like an OpenAI key: must never reach a log or an answer
GENERATE = "mutation($i: GenerateInput!) { generate(input: $i) { userErrors { code } } }"


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def logged(caplog) -> str:
    """Everything logged, tracebacks included, as the log file would hold it."""
    handler = logging.StreamHandler()
    return "\n".join(handler.format(r) for r in caplog.records)


class TestNoValueInMessagesOrLogs:
    async def test_a_failing_request_logs_neither_the_document_nor_a_variable(self, client, tenant, logs):
        session = to_global_id("Session", await tenant.session())
        # (document, variables, HTTP status, codes): a malformed single id executes and is a top-level
        # NOT_FOUND (200); a value that does not fit its type never executes (400, BAD_USER_INPUT)
        failing = [
            # a malformed id beside a prompt holding a secret
            (
                f'mutation {{ generate(input: {{sessionId: "x{SECRET}", prompt: "{SECRET}"}}) {{ userErrors {{ code }} }} }}',
                None,
                200,
                ["NOT_FOUND"],
            ),
            # a seed that does not parse, inline and as a variable
            (
                f'mutation {{ generate(input: {{sessionId: "{session}", prompt: "{SECRET}", seed: "x"}}) {{ userErrors {{ code }} }} }}',
                None,
                400,
                ["BAD_USER_INPUT"],
            ),
            (
                GENERATE,
                {"i": {"sessionId": session, "prompt": "a fox", "seed": SECRET}},
                400,
                ["BAD_USER_INPUT"],
            ),
            # a variable of the wrong type, and an unknown field whose name is the secret
            (
                GENERATE,
                {"i": {"sessionId": session, "prompt": SECRET, "count": SECRET}},
                400,
                ["BAD_USER_INPUT"],
            ),
            (GENERATE, {"i": {"sessionId": session, "prompt": SECRET, SECRET: 1}}, 400, ["BAD_USER_INPUT"]),
            (
                GENERATE,
                {"i": {"sessionId": session, "prompt": SECRET, "platform": SECRET}},
                400,
                ["BAD_USER_INPUT"],
            ),
            (GENERATE, {"i": [SECRET]}, 400, ["BAD_USER_INPUT"]),
        ]
        for query, variables, expected_status, expected_codes in failing:
            logs.clear()
            status, body = await gql(client, tenant.token, query, variables)
            assert (status, codes(body), body["data"]) == (expected_status, expected_codes, None), body
            assert SECRET not in orjson.dumps(body).decode(), body
            text = logged(logs)
            assert SECRET not in text and "GraphQL request" not in text, text
            graphql_lines = [r for r in logs.records if r.name == "atelier.graphql"]
            assert graphql_lines and all(r.exc_info is None for r in graphql_lines), text
            assert all("\n" not in r.getMessage() for r in graphql_lines)

    async def test_coercion_messages_name_the_place_and_the_type(self, client, tenant):
        session = to_global_id("Session", await tenant.session())
        _, body = await gql(
            client, tenant.token, GENERATE, {"i": {"sessionId": session, "prompt": "a", "count": "many"}}
        )
        assert codes(body) == ["BAD_USER_INPUT"]
        assert (
            body["errors"][0]["message"]
            == "Variable '$i' has invalid value at .count: expected a value of type 'Int'."
        )

    async def test_a_bug_is_logged_with_its_traceback_once(self, client, tenant, logs, monkeypatch):
        from graph.library import types as library

        def boom(*_args, **_kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(library, "group_page", boom)
        await tenant.folder("F")
        await gql(
            client, tenant.token, "query Sidebar { folders { edges { node { assets { totalCount } } } } }"
        )
        bugs = [r for r in logs.records if r.exc_info]
        assert len(bugs) == 1 and bugs[0].getMessage().startswith(
            "graphql INTERNAL_SERVER_ERROR operation=Sidebar"
        )

    async def test_an_operation_name_holding_a_credential_is_not_logged(self, client, tenant, logs):
        name = "ghp_" + "a1B2" * 10
        await gql(client, tenant.token, f"query {name} {{ assets(first: -1) {{ totalCount }} }}")
        assert name not in logged(logs) and "operation=<redacted>" in logged(logs)


class TestInlineScalars:
    @pytest.mark.parametrize("seed", ['"x"', '"1e5"', '"' + "9" * 400 + '"', '"١٢٣"', '"1_000"', "true"])
    async def test_an_invalid_inline_seed_is_the_same_client_error_as_a_variable(
        self, client, tenant, logs, seed
    ):
        session = to_global_id("Session", await tenant.session())
        status, body = await gql(
            client,
            tenant.token,
            f'mutation {{ generate(input: {{sessionId: "{session}", prompt: "a fox", seed: {seed}}}) {{ userErrors {{ code }} }} }}',
        )
        assert status == 400 and codes(body) == ["BAD_USER_INPUT"], body
        status, body = await gql(
            client,
            tenant.token,
            GENERATE,
            {"i": {"sessionId": session, "prompt": "a fox", "seed": orjson.loads(seed)}},
        )
        assert status == 400 and codes(body) == ["BAD_USER_INPUT"], body
        assert not [r for r in logs.records if r.exc_info]
        assert await count_rows(tenant, t.generations) == 0


class TestMalformedBodies:
    @pytest.mark.parametrize(
        "body", [b'"abc"', b"5", b"true", b"null", b'{"query": "{ viewer { role } }", "operationName": 5}']
    )
    async def test_json_that_is_not_an_object_is_400_as_json(self, client, tenant, body):
        response = await client.post(
            "/graphql",
            content=body,
            headers={"authorization": f"Bearer {tenant.token}", "content-type": "application/json"},
        )
        assert response.status_code == 400 and codes(response.json()) == ["BAD_REQUEST"]

    async def test_unknown_paths_and_methods_answer_json_with_a_code(self, client, tenant):
        response = await client.get("/nope")
        assert response.status_code == 404 and codes(response.json()) == ["NOT_FOUND"]
        for method, path in (("DELETE", "/graphql"), ("PUT", "/uploads"), ("POST", "/healthz")):
            response = await client.request(method, path)
            assert response.status_code == 405 and codes(response.json()) == ["METHOD_NOT_ALLOWED"], path
            assert response.headers["allow"]

    async def test_a_client_that_disconnects_mid_body_is_one_line(self, client, tenant, logs):
        app = client._transport.app  # the app itself: httpx cannot drop a body halfway
        for path in ("/graphql", "/uploads"):
            messages = iter(
                [
                    {"type": "http.request", "body": b'{"query": "{ vie', "more_body": True},
                    {"type": "http.disconnect"},
                ]
            )
            sent = []

            async def receive(messages=messages):
                return next(messages)

            async def send(message, sent=sent):
                sent.append(message)

            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "POST",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": [
                    (b"authorization", f"Bearer {tenant.token}".encode()),
                    (b"content-type", b"application/json"),
                ],
                "client": ("127.0.0.1", 1),
                "server": ("atelier.test", 80),
                "state": {},
            }
            logs.clear()
            await app(scope, receive, send)
            assert not [r for r in logs.records if r.exc_info], logged(logs)
            assert [r.getMessage() for r in logs.records if r.name == "atelier.http"] == [
                f"client disconnected mid-body: POST {path}"
            ]


class TestMalformedSingleIds:
    async def test_escalate_and_import_report_a_malformed_id_at_the_top_level(self, client, tenant):
        session = to_global_id("Session", await tenant.session())
        for query, field in (
            (
                'mutation { escalate(input: {generationId: "junk", reason: "r"}) { userErrors { code } } }',
                "generationId",
            ),
            (
                f'mutation {{ importGeneration(input: {{sessionId: "{session}", uploadId: "junk"}}) {{ userErrors {{ code }} }} }}',
                "uploadId",
            ),
        ):
            _, body = await gql(client, tenant.token, query)
            assert codes(body) == ["NOT_FOUND"], body
            assert body["errors"][0]["extensions"]["field"] == field
