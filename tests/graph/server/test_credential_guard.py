"""Credentials typed into any field, or sent as an upload's file name, are refused and never stored (row 37).

Each case sends a credential in one field of one mutation and checks the answer:
INVALID_INPUT naming the field, the credential nowhere in the response, and nothing
written (no row, no event, nothing changed, no file).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests import images
from tests.builders import Tenant, gql
from tests.graph.mutations import APPROVE, CREATE_SESSION, ESCALATE, GENERATE, REJECT, SAVE, UPDATE_SESSION
from tests.graph.org_state import count_rows, org_row

_RNG = random.Random(37)
_URLSAFE = string.ascii_letters + string.digits + "_-"
# assembled at run time, so that no scanner takes this file for a leak
OPENAI = "sk" + "-proj-" + "".join(_RNG.choice(_URLSAFE) for _ in range(48))  # fits a 64-character field
GITHUB = "gh" + "p_" + "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(36))
ENV = "AWS_SECRET_ACCESS_KEY=" + "".join(
    _RNG.choice(string.ascii_letters + string.digits + "/+") for _ in range(40)
)
SPLIT = "\u200b".join(OPENAI[i : i + 8] for i in range(0, len(OPENAI), 8))  # zero-width spaces inside

CREATE_FOLDER = """mutation($input: CreateFolderInput!) { createFolder(input: $input) {
    folder { id name } userErrors { code message field } } }"""
CREATE_PROJECT = """mutation($input: CreateProjectInput!) { createProject(input: $input) {
    project { id name description } userErrors { code message field } } }"""
IMPORT = """mutation($input: ImportGenerationInput!) { importGeneration(input: $input) {
    generation { id prompt provider model } userErrors { code message field } } }"""

WATCHED = (t.sessions, t.generations, t.folders, t.projects, t.tags, t.assets, t.idempotency_keys, t.events)


async def snapshot(tenant: Tenant) -> dict[str, Any]:
    """What a refused mutation must leave as it was: row counts, review states, titles, credits."""
    state: dict[str, Any] = {table.name: await count_rows(tenant, table) for table in WATCHED}
    async with tenant.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(t.generations.c.id, t.generations.c.review_state, t.generations.c.escalation_reason)
            .where(t.generations.c.org_id == tenant.org_id)
            .order_by(t.generations.c.id)
        )
        state["generations.review"] = [tuple(r) for r in rows]
        titles = await conn.execute(sa.select(t.sessions.c.title).where(t.sessions.c.org_id == tenant.org_id))
        state["sessions.title"] = sorted(titles.scalars())
        uploads = await conn.execute(
            sa.select(t.uploads.c.id, t.uploads.c.consumed_at).where(t.uploads.c.org_id == tenant.org_id)
        )
        state["uploads"] = sorted(tuple(r) for r in uploads)
    state["credits_spent"] = (await org_row(tenant)).credits_spent
    return state


@dataclass
class Case:
    """One field of one mutation, with the request that puts the credential in it."""

    mutation: str
    field: str
    document: str
    variables: Callable[[Tenant, Any, str], Awaitable[dict[str, Any]]]


async def _session(tenant: Tenant) -> str:
    return to_global_id("Session", await tenant.session("Shoot"))


async def _generation(tenant: Tenant, **values: Any) -> str:
    return to_global_id("Generation", await tenant.generation(await tenant.session("Review"), **values))


async def _upload(client: Any, tenant: Tenant) -> str:
    response = await client.post(
        "/uploads",
        content=images.png(),
        headers={"authorization": f"Bearer {tenant.token}", "content-type": "image/png"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _import(tenant: Tenant, client: Any, given: dict[str, str]) -> dict[str, Any]:
    return {
        "input": {"sessionId": await _session(tenant), "uploadId": await _upload(client, tenant), **given}
    }


CASES = [
    Case(
        "createSession", "title", CREATE_SESSION, lambda tn, c, s: _value({"input": {"title": f"shoot {s}"}})
    ),
    Case(
        "updateSession",
        "title",
        UPDATE_SESSION,
        lambda tn, c, s: _then(_session(tn), lambda sid: {"input": {"id": sid, "title": s}}),
    ),
    Case(
        "generate",
        "prompt",
        GENERATE,
        lambda tn, c, s: _then(
            _session(tn), lambda sid: {"input": {"sessionId": sid, "prompt": f"a fox, {s}"}}
        ),
    ),
    Case(
        "generate",
        "negativePrompt",
        GENERATE,
        lambda tn, c, s: _then(
            _session(tn), lambda sid: {"input": {"sessionId": sid, "prompt": "a fox", "negativePrompt": s}}
        ),
    ),
    Case(
        "generate",
        "provider",
        GENERATE,
        lambda tn, c, s: _then(
            _session(tn), lambda sid: {"input": {"sessionId": sid, "prompt": "a fox", "provider": s}}
        ),
    ),
    Case("importGeneration", "model", IMPORT, lambda tn, c, s: _import(tn, c, {"model": f"flux {s}"})),
    Case("importGeneration", "provider", IMPORT, lambda tn, c, s: _import(tn, c, {"provider": s})),
    Case("createFolder", "name", CREATE_FOLDER, lambda tn, c, s: _value({"input": {"name": s}})),
    Case(
        "createProject",
        "description",
        CREATE_PROJECT,
        lambda tn, c, s: _value({"input": {"name": "Summer", "description": f"keys: {s}"}}),
    ),
    Case(
        "approve",
        "altText",
        APPROVE,
        lambda tn, c, s: _then(_generation(tn), lambda g: {"input": {"generationIds": [g], "altText": s}}),
    ),
    Case(
        "approve",
        "rightsNotes",
        APPROVE,
        lambda tn, c, s: _then(
            _generation(tn), lambda g: {"input": {"generationIds": [g], "rightsNotes": s}}
        ),
    ),
    Case(
        "reject",
        "reason",
        REJECT,
        lambda tn, c, s: _then(_generation(tn), lambda g: {"ids": [g], "reason": s}),
    ),
    Case(
        "escalate",
        "reason",
        ESCALATE,
        lambda tn, c, s: _then(_generation(tn), lambda g: {"input": {"generationId": g, "reason": s}}),
    ),
    Case(
        "saveToLibrary",
        "name",
        SAVE,
        lambda tn, c, s: _then(
            _generation(tn, review_state="approved"), lambda g: {"input": {"generationIds": [g], "name": s}}
        ),
    ),
    Case(
        "saveToLibrary",
        "tags[1]",
        SAVE,
        lambda tn, c, s: _then(
            _generation(tn, review_state="approved"),
            lambda g: {"input": {"generationIds": [g], "tags": ["summer", s]}},
        ),
    ),
    Case(
        "saveToLibrary",
        "altText",
        SAVE,
        lambda tn, c, s: _then(
            _generation(tn, review_state="approved"),
            lambda g: {"input": {"generationIds": [g], "altText": s}},
        ),
    ),
    Case(
        "saveToLibrary",
        "idempotencyKey",
        SAVE,
        lambda tn, c, s: _then(
            _generation(tn, review_state="approved"),
            lambda g: {"input": {"generationIds": [g], "idempotencyKey": s}},
        ),
    ),
]


async def _value(value: dict[str, Any]) -> dict[str, Any]:
    return value


async def _then(first: Awaitable[str], build: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    return build(await first)


class TestEveryTypedFieldIsGuarded:
    @pytest.mark.parametrize(
        ("case", "secret"),
        [
            pytest.param(case, secret, id=f"{case.mutation}.{case.field}-{name}")
            for case in CASES
            for name, secret in [("openai", OPENAI), ("github", GITHUB), ("zero-width-split", SPLIT)]
            # an idempotency key refuses invisible characters by its own rule, before the guard
            if not (case.field == "idempotencyKey" and secret is SPLIT)
        ],
    )
    async def test_a_credential_is_refused_naming_the_field_and_nothing_is_written(
        self, client, tenant, case, secret
    ):
        variables = await case.variables(tenant, client, secret)
        before = await snapshot(tenant)
        status, body = await gql(client, tenant.token, case.document, variables)
        assert status == 200, body
        payload = body["data"][case.mutation]
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID_INPUT", case.field)]
        assert "nothing was stored" in payload["userErrors"][0]["message"]
        answer = json.dumps(body, ensure_ascii=False)
        assert secret not in answer and secret[-12:] not in answer
        assert await snapshot(tenant) == before

    async def test_an_environment_assignment_in_a_session_title_is_refused(self, client, tenant):
        _, body = await gql(client, tenant.token, CREATE_SESSION, {"input": {"title": f"deploy {ENV}"}})
        errors = body["data"]["createSession"]["userErrors"]
        assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", "title")]
        assert "a password or secret assignment" in errors[0]["message"]
        assert await count_rows(tenant, t.sessions) == 0

    async def test_ordinary_text_in_the_same_fields_is_kept(self, client, tenant):
        title = "The Secret: Unlocking Happiness ✨ (masterpiece:1.2) <lora:sk-style:0.8>"
        _, body = await gql(client, tenant.token, CREATE_SESSION, {"input": {"title": title}})
        assert body["data"]["createSession"]["userErrors"] == []
        assert body["data"]["createSession"]["session"]["title"] == title


def stored_files(adapters) -> list[str]:
    return sorted(
        str(p.relative_to(adapters.blobs.root)) for p in adapters.blobs.root.rglob("*") if p.is_file()
    )


class TestTheUploadsFileName:
    @pytest.mark.parametrize(
        "filename",
        [f"{OPENAI}.png", f"shots/{GITHUB}/x.png", f"{SPLIT}.png", f"{ENV}.png"],
        ids=["openai", "github-in-the-path", "zero-width-split", "environment-assignment"],
    )
    async def test_a_credential_in_the_file_name_is_refused_and_nothing_is_kept(
        self, client, adapters, tenant, filename
    ):
        before = stored_files(adapters)
        response = await client.post(
            "/uploads",
            content=images.png(color=(9, 9, 9)),  # bytes no other test stores
            params={"filename": filename},
            headers={"authorization": f"Bearer {tenant.token}", "content-type": "image/png"},
        )
        assert response.status_code == 400, response.text
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_INPUT"
        assert "nothing was stored" in error["message"]
        assert OPENAI not in response.text and GITHUB not in response.text and ENV not in response.text
        assert await count_rows(tenant, t.uploads) == 0
        assert await count_rows(tenant, t.events) == 0
        assert stored_files(adapters) == before  # no blob, and no spooled body left behind

    async def test_an_ordinary_file_name_is_kept(self, client, tenant):
        response = await client.post(
            "/uploads",
            content=images.png(),
            params={"filename": "ComfyUI_00042_.png"},
            headers={"authorization": f"Bearer {tenant.token}", "content-type": "image/png"},
        )
        assert response.status_code == 201 and response.json()["filename"] == "ComfyUI_00042_.png"
