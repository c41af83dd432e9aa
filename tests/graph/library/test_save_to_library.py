"""saveToLibrary: only what passed review, all or none, once, with provenance, within the quota."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.mutations import APPROVE, GENERATE, SAVE
from tests.graph.org_state import count_rows, org_row, set_org

ALT = "A lighthouse on a cliff at dusk, its beam sweeping over calm sea."


def gid(pk: int) -> str:
    return to_global_id("Generation", pk)


def errors_of(body):
    return [(e["code"], e["field"], e["index"], e["id"]) for e in body["data"]["saveToLibrary"]["userErrors"]]


async def generated(
    client, tenant, *, count=1, prompt="a lighthouse at dusk", approve=True, **session
) -> list[str]:
    sid = to_global_id("Session", await tenant.session("Shoot", **session))
    _, body = await gql(
        client, tenant.token, GENERATE, {"input": {"sessionId": sid, "prompt": prompt, "count": count}}
    )
    ids = [g["id"] for g in body["data"]["generate"]["generations"]]
    if approve:
        review = {
            "generationIds": ids,
            "altText": ALT,
            "rightsNotes": "Made in-house",
            "source": "procedural",
            "intendedPlacement": "blog hero",
        }
        _, body = await gql(client, tenant.token, APPROVE, {"input": review})
        assert body["data"]["approve"]["userErrors"] == []
    return ids


class TestSaving:
    async def test_approved_generations_become_assets_with_frozen_provenance(self, client, adapters, tenant):
        kit = await tenant.brand_kit("Sunny")
        folder = to_global_id("Folder", await tenant.folder("Campaigns"))
        project = to_global_id("Project", await tenant.project("Summer sale"))
        await tenant.tag("Hero")
        ids = await generated(client, tenant, count=2, brand_kit_id=kit, platform="linkedin")
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(
            client,
            editor,
            SAVE,
            {
                "input": {
                    "generationIds": ids,
                    "folderId": folder,
                    "projectIds": [project],
                    "tags": ["hero", "summer-sale-2026", "SUMMER-sale-2026"],
                    "description": "June campaign",
                }
            },
        )
        payload = body["data"]["saveToLibrary"]
        assert payload["userErrors"] == []
        first = payload["assets"][0]
        assert first["name"] == "A lighthouse at dusk" and first["altText"] == ALT and first["aiGenerated"]
        assert first["folder"] == {"name": "Campaigns"} and first["projects"] == [{"name": "Summer sale"}]
        assert first["tags"] == [
            {"name": "Hero"},
            {"name": "summer-sale-2026"},
        ]  # existing tag reused, case-insensitively
        p = first["provenance"]
        assert (p["prompt"], p["provider"], p["model"], p["platform"], p["creditsUsed"]) == (
            "a lighthouse at dusk",
            "procedural",
            "procedural-v1",
            "LINKEDIN",
            1,
        )
        assert (p["rightsNotes"], p["source"], p["intendedPlacement"]) == (
            "Made in-house",
            "procedural",
            "blog hero",
        )
        _, review = await gql(
            client,
            tenant.token,
            f'{{ node(id: "{ids[0]}") {{ ... on Generation {{ review {{ reviewedAt }} }} }} }}',
        )
        assert (
            p["reviewedAt"] == review["data"]["node"]["review"]["reviewedAt"] is not None
        )  # frozen from the review
        assert p["reviewedBy"] == {"role": "ADMIN"} and p["createdBy"] == {"role": "ADMIN"}
        assert p["session"] == {"title": "Shoot"} and p["brandKit"] == {"name": "Sunny"}
        assert p["generation"] == {"id": ids[0], "savedAsset": {"id": first["id"]}, "expiresAt": None}
        assert await events_of(tenant, "asset.saved") == 2
        async with tenant.engine.connect() as conn:
            key = (
                await conn.execute(
                    sa.select(t.assets.c.blob_key).where(t.assets.c.org_id == tenant.org_id).limit(1)
                )
            ).scalar_one()
        assert await adapters.blobs.read("library", key) == await adapters.blobs.read("scratch", key)
        assert (await org_row(tenant)).storage_used_bytes == sum(a["byteSize"] for a in payload["assets"])

    async def test_saving_again_returns_the_same_asset_and_records_nothing(self, client, tenant):  # row 29
        ids = await generated(client, tenant)
        _, first = await gql(client, tenant.token, SAVE, {"input": {"generationIds": ids}})
        _, again = await gql(client, tenant.token, SAVE, {"input": {"generationIds": ids, "tags": ["other"]}})
        assert (
            again["data"]["saveToLibrary"]["assets"][0]["id"]
            == first["data"]["saveToLibrary"]["assets"][0]["id"]
        )
        assert await count_rows(tenant, t.assets) == 1 and await events_of(tenant, "asset.saved") == 1

    async def test_two_clients_saving_at_once_make_one_asset(self, client, tenant):  # row 29
        ids = await generated(client, tenant, count=3)
        results = await asyncio.gather(
            *(gql(client, tenant.token, SAVE, {"input": {"generationIds": ids}}) for _ in range(4))
        )
        assert all(body["data"]["saveToLibrary"]["userErrors"] == [] for _, body in results), results
        asset_ids = {tuple(a["id"] for a in body["data"]["saveToLibrary"]["assets"]) for _, body in results}
        assert len(asset_ids) == 1
        assert await count_rows(tenant, t.assets) == 3 and await events_of(tenant, "asset.saved") == 3
        # counted once: three racing saves that each added the bytes would pass a `> 0`
        saved = results[0][1]["data"]["saveToLibrary"]["assets"]
        assert (await org_row(tenant)).storage_used_bytes == sum(a["byteSize"] for a in saved) > 0


class TestGuardrails:
    async def test_a_rejected_generation_is_never_saved(self, client, tenant):  # row 27
        (g,) = await generated(client, tenant, approve=False)
        await gql(
            client,
            tenant.token,
            'mutation($id: ID!) { reject(input: {generationIds: [$id], reason: "no"}) { userErrors { code } } }',
            {"id": g},
        )
        for policy in (True, False):
            await set_org(tenant, require_approval=policy, require_alt_text=policy)
            _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [g], "altText": ALT}})
            assert errors_of(body) == [("INVALID_STATE", "generationIds[0]", 0, g)]
        assert await count_rows(tenant, t.assets) == 0

    async def test_the_policy_decides_whether_pending_generations_may_be_saved(
        self, client, tenant
    ):  # row 28
        (g,) = await generated(client, tenant, approve=False)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [g], "altText": ALT}})
        assert errors_of(body) == [("APPROVAL_REQUIRED", "generationIds[0]", 0, g)]
        await set_org(tenant, require_approval=False)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [g]}})
        assert errors_of(body) == [("ALT_TEXT_REQUIRED", "generationIds[0]", 0, g)]
        _, body = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [g], "altText": "image of a tower"}}
        )
        assert [e[0] for e in errors_of(body)] == ["INVALID_INPUT"]
        await set_org(tenant, require_alt_text=False)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [g]}})
        assert errors_of(body) == [] and await count_rows(tenant, t.assets) == 1

    async def test_a_bulk_save_with_bad_items_saves_nothing_and_names_each(
        self, client, engine, tenant
    ):  # row 30
        ok, pending = await generated(client, tenant, count=2, approve=False)
        await gql(client, tenant.token, APPROVE, {"input": {"generationIds": [ok], "altText": ALT}})
        foreign = gid(
            await (await make_tenant(engine)).generation(await (await make_tenant(engine)).session())
        )
        ids = [ok, pending, foreign, "junk", ok]
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": ids}})
        assert body["data"]["saveToLibrary"]["assets"] == []
        assert errors_of(body) == [
            ("APPROVAL_REQUIRED", "generationIds[1]", 1, pending),
            ("NOT_FOUND", "generationIds[2]", 2, foreign),
            ("NOT_FOUND", "generationIds[3]", 3, "junk"),
            ("INVALID_INPUT", "generationIds[4]", 4, ok),
        ]
        assert await count_rows(tenant, t.assets) == 0 and await events_of(tenant, "asset.saved") == 0
        assert (await org_row(tenant)).storage_used_bytes == 0

    async def test_a_save_over_the_quota_saves_nothing(self, client, tenant):  # row 35
        ids = await generated(client, tenant, count=2)
        await set_org(tenant, storage_quota_bytes=100)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": ids}})
        assert [e[0] for e in errors_of(body)] == ["QUOTA_EXCEEDED"]
        assert await count_rows(tenant, t.assets) == 0 and (await org_row(tenant)).storage_used_bytes == 0

    async def test_an_idempotency_key_replays_and_refuses_a_different_input(self, client, tenant):  # row 40
        a, b = await generated(client, tenant, count=2)
        _, first = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [a], "idempotencyKey": "k-1"}}
        )
        _, replay = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [a], "idempotencyKey": "k-1"}}
        )
        assert replay["data"]["saveToLibrary"]["assets"] == first["data"]["saveToLibrary"]["assets"]
        _, body = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [b], "idempotencyKey": "k-1"}}
        )
        assert errors_of(body) == [("CONFLICT", "idempotencyKey", None, None)]
        assert await count_rows(tenant, t.assets) == 1

    async def test_one_key_used_by_two_different_requests_at_once_saves_once(self, client, tenant):
        a, b = await generated(client, tenant, count=2)
        results = await asyncio.gather(
            gql(client, tenant.token, SAVE, {"input": {"generationIds": [a], "idempotencyKey": "race"}}),
            gql(client, tenant.token, SAVE, {"input": {"generationIds": [b], "idempotencyKey": "race"}}),
        )
        outcomes = sorted(tuple(e[0] for e in errors_of(body)) for _, body in results)
        assert outcomes == [(), ("CONFLICT",)]
        (winner,) = [(g, body) for g, (_, body) in zip((a, b), results, strict=True) if not errors_of(body)]
        (loser,) = [body for _, body in results if errors_of(body)]
        saved = winner[1]["data"]["saveToLibrary"]["assets"]
        assert [asset["provenance"]["generation"]["id"] for asset in saved] == [winner[0]]
        assert loser["data"]["saveToLibrary"]["assets"] == []
        assert errors_of(loser) == [("CONFLICT", "idempotencyKey", None, None)]
        assert await count_rows(tenant, t.assets) == 1 and await events_of(tenant, "asset.saved") == 1

    async def test_filing_must_exist_be_ours_and_be_well_formed(self, client, engine, tenant):
        (g,) = await generated(client, tenant)
        other = await make_tenant(engine)
        archived = to_global_id("Project", await tenant.project("Old", archived=True))
        theirs = to_global_id("Project", await other.project("theirs"))
        theirs_folder = to_global_id("Folder", await other.folder("theirs"))
        cases = [
            ({"folderId": theirs_folder}, [("NOT_FOUND", "folderId", None, None)]),
            ({"projectIds": [theirs]}, [("NOT_FOUND", "projectIds[0]", 0, theirs)]),
            ({"projectIds": [archived]}, [("INVALID_STATE", "projectIds[0]", 0, archived)]),
            ({"tags": ["ok", "bad\x00tag"]}, [("INVALID_INPUT", "tags[1]", None, None)]),
            ({"tags": [f"t{i}" for i in range(21)]}, [("LIMIT_EXCEEDED", "tags", None, None)]),
            ({"name": "x" * 201}, [("INVALID_INPUT", "name", None, None)]),
            ({"idempotencyKey": "has spaces"}, [("INVALID_INPUT", "idempotencyKey", None, None)]),
        ]
        for given, expected in cases:
            _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [g], **given}})
            assert errors_of(body) == expected, given
        assert await count_rows(tenant, t.assets) == 0

    async def test_only_editors_and_above_save(self, client, tenant):
        (g,) = await generated(client, tenant)
        for role in (Role.VIEWER, Role.CREATOR):
            _, token = await tenant.member(role)
            _, body = await gql(client, token, SAVE, {"input": {"generationIds": [g]}})
            assert [e[0] for e in errors_of(body)] == ["FORBIDDEN"]
