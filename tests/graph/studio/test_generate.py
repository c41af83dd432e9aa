"""Generating images: real PNGs from the procedural provider, credits, guards and failures."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.mutations import GENERATE
from tests.graph.org_state import count_rows, org_row, set_org


def sid(pk: int) -> str:
    return to_global_id("Session", pk)


def codes_of(body):
    return [(e["code"], e["field"]) for e in body["data"]["generate"]["userErrors"]]


class TestGenerate:
    async def test_images_are_drawn_stored_and_recorded_with_their_provenance(self, client, adapters, tenant):
        kit = await tenant.brand_kit("Sunny")
        reference = await tenant.asset("reference")
        session = await tenant.session("Shoot", brand_kit_id=kit, platform="instagram", aspect_ratio="4:5")
        _, token = await tenant.member(Role.CREATOR)
        _, body = await gql(
            client,
            token,
            GENERATE,
            {
                "input": {
                    "sessionId": sid(session),
                    "prompt": "a lighthouse at dusk",
                    "negativePrompt": "text",
                    "count": 3,
                    "seed": "9007199254740993",
                    "contextAssetIds": [to_global_id("Asset", reference)],
                }
            },
        )
        payload = body["data"]["generate"]
        assert payload["userErrors"] == []
        generations = payload["generations"]
        assert [g["seed"] for g in generations] == [
            "9007199254740993",
            "9007199254740994",
            "9007199254740995",
        ]
        first = generations[0]
        assert (first["prompt"], first["negativePrompt"], first["provider"], first["model"]) == (
            "a lighthouse at dusk",
            "text",
            "procedural",
            "procedural-v1",
        )
        assert (first["aspectRatio"], first["platform"], first["reviewState"]) == (
            "PORTRAIT",
            "INSTAGRAM",
            "PENDING",
        )
        assert first["session"] == {"title": "Shoot"} and first["brandKit"] == {"name": "Sunny"}
        assert first["contextAssets"] == [{"name": "reference"}]
        assert abs(first["width"] / first["height"] - 4 / 5) < 0.01 and first["creditsUsed"] == 1
        expires = datetime.fromisoformat(first["expiresAt"])
        assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
        assert (await org_row(tenant)).credits_spent == 3
        assert await events_of(tenant, "generation.created") == 3

        async with tenant.engine.connect() as conn:
            import sqlalchemy as sa

            key = (
                await conn.execute(
                    sa.select(t.generations.c.blob_key)
                    .where(t.generations.c.org_id == tenant.org_id)
                    .order_by(t.generations.c.id)
                    .limit(1)
                )
            ).scalar_one()
        with Image.open(io.BytesIO(await adapters.blobs.read("scratch", key))) as image:
            assert image.format == "PNG" and image.size == (first["width"], first["height"])

    async def test_the_same_prompt_and_seed_draw_the_same_image(self, client, tenant):
        session = sid(await tenant.session("S"))
        sizes = set()
        for _ in range(2):
            _, body = await gql(
                client,
                tenant.token,
                GENERATE,
                {"input": {"sessionId": session, "prompt": "dunes", "seed": "7"}},
            )
            sizes.add(body["data"]["generate"]["generations"][0]["byteSize"])
        assert len(sizes) == 1

    async def test_closed_foreign_and_unknown_sessions_are_refused(self, client, engine, tenant):
        closed = sid(await tenant.session("closed", state="closed"))
        foreign = sid(await (await make_tenant(engine)).session("theirs"))
        for session, code in ((closed, "INVALID_STATE"), (foreign, "NOT_FOUND")):
            _, body = await gql(
                client, tenant.token, GENERATE, {"input": {"sessionId": session, "prompt": "x"}}
            )
            assert codes_of(body) == [(code, "sessionId")]
        assert (await org_row(tenant)).credits_spent == 0

    async def test_viewers_cannot_generate(self, client, tenant):
        _, token = await tenant.member(Role.VIEWER)
        _, body = await gql(
            client, token, GENERATE, {"input": {"sessionId": sid(await tenant.session()), "prompt": "x"}}
        )
        assert codes_of(body) == [("FORBIDDEN", None)]

    @pytest.mark.parametrize(
        ("given", "code", "field"),
        [
            ({"prompt": ""}, "INVALID_INPUT", "prompt"),
            ({"prompt": "x" * 50_001}, "INVALID_INPUT", "prompt"),
            ({"prompt": "fox", "negativePrompt": "x" * 50_001}, "INVALID_INPUT", "negativePrompt"),
            ({"prompt": "fox\x00"}, "INVALID_INPUT", "prompt"),
            ({"prompt": "fox", "count": 9}, "LIMIT_EXCEEDED", "count"),
            ({"prompt": "fox", "count": 0}, "LIMIT_EXCEEDED", "count"),
            ({"prompt": "fox", "provider": "nope"}, "INVALID_INPUT", "provider"),
            ({"prompt": "fox", "seed": "-1"}, "INVALID_INPUT", "seed"),
            ({"prompt": "fox", "seed": "9223372036854775807", "count": 2}, "INVALID_INPUT", "seed"),
            ({"prompt": "fox", "contextAssetIds": ["bogus"]}, "NOT_FOUND", "contextAssetIds[0]"),
        ],
    )
    async def test_bad_input_is_refused_and_spends_nothing(
        self, client, tenant, given, code, field
    ):  # row 13
        _, body = await gql(
            client, tenant.token, GENERATE, {"input": {"sessionId": sid(await tenant.session()), **given}}
        )
        assert codes_of(body) == [(code, field)]
        assert (await org_row(tenant)).credits_spent == 0
        assert await count_rows(tenant, t.generations) == 0

    async def test_prompts_of_fifty_thousand_characters_fit_the_body_cap_and_are_kept_whole(
        self, client, tenant
    ):
        # the worst case below the astral planes: every character \u-escaped, as Python's json.dumps does
        prompt, negative = ("東京の夜景、" * 9000)[:50_000], ("ぼやけた、" * 11_000)[:50_000]
        document = {
            "query": GENERATE,
            "variables": {
                "input": {
                    "sessionId": sid(await tenant.session()),
                    "prompt": prompt,
                    "negativePrompt": negative,
                }
            },
        }
        body = json.dumps(document).encode()  # ensure_ascii: six bytes a character
        assert 600_000 < len(body) < 1_000_000
        response = await client.post(
            "/graphql",
            content=body,
            headers={"authorization": f"Bearer {tenant.token}", "content-type": "application/json"},
        )
        payload = response.json()["data"]["generate"]
        assert payload["userErrors"] == []
        assert (payload["generations"][0]["prompt"], payload["generations"][0]["negativePrompt"]) == (
            prompt,
            negative,
        )
        async with tenant.engine.connect() as conn:
            g = t.generations
            stmt = sa.select(g.c.prompt, g.c.negative_prompt).where(g.c.org_id == tenant.org_id)
            stored = (await conn.execute(stmt)).all()
        assert [tuple(row) for row in stored] == [(prompt, negative)]

    async def test_a_ten_megabyte_prompt_is_refused_at_the_door(self, client, tenant):  # row 13
        status, _ = await gql(
            client, tenant.token, GENERATE, {"input": {"sessionId": sid(1), "prompt": "x" * 10_000_000}}
        )
        assert status == 413

    @pytest.mark.parametrize(
        "secret",
        [
            "sk-proj-" + "a1B2" * 12,
            "AKIAIOSFODNN7EXAMPLE",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
            "ghp_" + "x" * 36,
            "AIza" + "B" * 35,
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ],
    )
    async def test_a_prompt_with_a_credential_is_refused_and_the_secret_goes_nowhere(
        self, client, tenant, caplog, secret
    ):  # row 37
        caplog.set_level(logging.DEBUG)
        _, body = await gql(
            client,
            tenant.token,
            GENERATE,
            {
                "input": {
                    "sessionId": sid(await tenant.session()),
                    "prompt": f"a poster of our office, key {secret}",
                }
            },
        )
        assert codes_of(body) == [("INVALID_INPUT", "prompt")]
        assert secret not in str(body) and secret not in caplog.text
        assert (
            await count_rows(tenant, t.generations) == 0
            and await events_of(tenant, "generation.created") == 0
        )

    async def test_a_request_over_the_budget_spends_nothing(self, client, tenant):  # row 36
        await set_org(tenant, credit_budget=5, credits_spent=3)
        _, body = await gql(
            client,
            tenant.token,
            GENERATE,
            {"input": {"sessionId": sid(await tenant.session()), "prompt": "x", "count": 3}},
        )
        assert codes_of(body) == [("BUDGET_EXCEEDED", "count")]
        assert (await org_row(tenant)).credits_spent == 3 and await count_rows(tenant, t.generations) == 0
        _, body = await gql(
            client,
            tenant.token,
            GENERATE,
            {"input": {"sessionId": sid(await tenant.session()), "prompt": "x", "count": 2}},
        )
        assert codes_of(body) == [] and (await org_row(tenant)).credits_spent == 5

    async def test_a_failing_provider_refunds_the_credits(self, client, adapters, tenant, monkeypatch):
        class Broken:
            name, model = "broken", "v0"

            def cost(self, request):
                return 4

            async def generate(self, request):
                raise TimeoutError("upstream timed out")

        monkeypatch.setitem(adapters.providers, "broken", Broken())
        _, body = await gql(
            client,
            tenant.token,
            GENERATE,
            {"input": {"sessionId": sid(await tenant.session()), "prompt": "x", "provider": "broken"}},
        )
        errors = body["data"]["generate"]["userErrors"]
        assert [e["code"] for e in errors] == ["PROVIDER_FAILED"] and "no credits were spent" in errors[0][
            "message"
        ]
        assert (await org_row(tenant)).credits_spent == 0 and await count_rows(tenant, t.generations) == 0
