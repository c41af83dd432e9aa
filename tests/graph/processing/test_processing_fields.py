"""processingStatus, facts and renditions of assets and generations, and reprocessAssets, over the schema."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.library.test_save_to_library import generated
from tests.graph.mutations import SAVE
from tests.graph.processing.rows import processed

PROCESSING = """query($ids: [ID!]!) { nodes(ids: $ids) {
  ... on Asset { processingStatus facts { format colourMode dominantColours perceptualHash }
                 renditions { size width height byteSize } }
  ... on Generation { processingStatus facts { format } renditions { size } }
} }"""

REPROCESS = """mutation($ids: [ID!]!) { reprocessAssets(input: {ids: $ids}) {
  assets { id processingStatus } userErrors { code field index id } } }"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


async def nodes(client, token, ids):
    status, body = await gql(client, token, PROCESSING, {"ids": ids})
    assert status == 200 and "errors" not in body, body
    return body["data"]["nodes"]


class TestStatus:
    async def test_generating_and_saving_leave_images_pending_until_a_worker_has_them(self, client, tenant):
        [generation] = await generated(client, tenant)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": [generation]}})
        [asset] = body["data"]["saveToLibrary"]["assets"]
        found = await nodes(client, tenant.token, [generation, asset["id"]])
        assert found == [
            {"processingStatus": "PENDING", "facts": None, "renditions": []},
            {"processingStatus": "PENDING", "facts": None, "renditions": []},
        ]

    async def test_each_job_state_shows_as_its_status_and_facts_and_renditions_come_when_ready(
        self, client, engine, tenant
    ):
        ids = {
            state: await tenant.asset(f"Asset {state}") for state in ("queued", "running", "done", "failed")
        }
        for state, pk in ids.items():
            await processed(engine, tenant.org_id, "asset", pk, state=state)
        found = await nodes(client, tenant.token, [aid(pk) for pk in ids.values()])
        assert [n["processingStatus"] for n in found] == ["PENDING", "PROCESSING", "READY", "FAILED"]
        assert [n["facts"] is None for n in found] == [True, True, False, True]
        assert found[2]["facts"] == {
            "format": "PNG",
            "colourMode": "RGB",
            "dominantColours": ["#ff0000", "#0000ff"],
            "perceptualHash": "fffffffffffffffe",  # -2 as 64 unsigned bits
        }
        assert found[2]["renditions"] == [
            {"size": 256, "width": 256, "height": 128, "byteSize": 2560},
            {"size": 1024, "width": 1024, "height": 512, "byteSize": 10240},
        ]

    async def test_another_organisations_processing_is_never_shown(self, client, engine, tenant):
        other = await make_tenant(engine)
        pk = await tenant.asset("Ours")
        await processed(engine, other.org_id, "asset", pk)  # the same subject id, in their organisation
        [node] = await nodes(client, tenant.token, [aid(pk)])
        assert node == {"processingStatus": "PENDING", "facts": None, "renditions": []}


class TestReprocess:
    async def test_an_editor_queues_a_ready_asset_again(self, client, engine, tenant):
        pk = await tenant.asset("Done")
        await processed(engine, tenant.org_id, "asset", pk)
        _, editor = await tenant.member(Role.EDITOR)
        status, body = await gql(client, editor, REPROCESS, {"ids": [aid(pk)]})
        assert status == 200, body
        assert body["data"]["reprocessAssets"] == {
            "assets": [{"id": aid(pk), "processingStatus": "PENDING"}],
            "userErrors": [],
        }
        async with engine.connect() as conn:
            types = (
                await conn.execute(
                    sa.select(t.events.c.type).where(
                        t.events.c.org_id == tenant.org_id, t.events.c.subject_id == pk
                    )
                )
            ).scalars()
            assert list(types) == ["asset.requeued"]

    async def test_a_creator_may_not_and_nothing_changes(self, client, engine, tenant):
        pk = await tenant.asset("Done")
        await processed(engine, tenant.org_id, "asset", pk)
        _, creator = await tenant.member(Role.CREATOR)
        _, body = await gql(client, creator, REPROCESS, {"ids": [aid(pk)]})
        assert [e["code"] for e in body["data"]["reprocessAssets"]["userErrors"]] == ["FORBIDDEN"]
        [node] = await nodes(client, tenant.token, [aid(pk)])
        assert node["processingStatus"] == "READY"

    async def test_an_asset_of_another_organisation_is_not_found_by_index(self, client, engine, tenant):
        other = await make_tenant(engine)
        ours, theirs = await tenant.asset("Ours"), await other.asset("Theirs")
        _, body = await gql(client, tenant.token, REPROCESS, {"ids": [aid(ours), aid(theirs)]})
        payload = body["data"]["reprocessAssets"]
        assert payload["assets"] == []
        assert [(e["code"], e["index"], e["id"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", 1, aid(theirs))
        ]
