"""addUploadsToLibrary: uploads become assets as their metadata says, once, deduplicated, within the quota."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import time

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests import images
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows, org_row, set_org
from tests.graph.statements import count_statements
from tests.services import sql_studio

ALT = "A reading chair by a window with a stack of books in warm light."
ADD = """mutation($input: AddUploadsToLibraryInput!) { addUploadsToLibrary(input: $input) {
    results { deduplicated asset { id name description altText aiGenerated mimeType byteSize width height
      folder { name } tags { name } projects { name }
      provenance { prompt negativePrompt model seed provider generation { id } session { id } createdBy { name } } } }
    userErrors { code message field index id } } }"""


def unique_png(**text: str) -> bytes:
    """A PNG no other test uploads (a colour of its own), with these text chunks."""
    colour = tuple(secrets.randbelow(256) for _ in range(3))
    return images.png(text=text or None, color=colour)


async def upload(client, token: str, data: bytes, *, filename: str | None = "reading-nook.png") -> dict:
    params = {"filename": filename} if filename is not None else {}
    headers = {"authorization": f"Bearer {token}", "content-type": "application/octet-stream"}
    response = await client.post("/uploads", content=data, params=params, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def add(client, token: str, *items: dict, **extra) -> dict:
    status, body = await gql(client, token, ADD, {"input": {"items": list(items), **extra}})
    assert status == 200 and "errors" not in body, body
    return body["data"]["addUploadsToLibrary"]


def errors(payload: dict) -> list[tuple]:
    return [(e["code"], e["field"], e["index"], e["id"]) for e in payload["userErrors"]]


class TestWhatTheFileSays:
    async def test_a_file_without_generator_metadata_is_a_plain_asset_named_after_the_file(
        self, client, adapters, tenant
    ):
        data = images.jpeg(width=81)
        received = await upload(client, tenant.token, data, filename="Team photo.jpg")
        before = (await org_row(tenant)).storage_used_bytes
        payload = await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT})
        assert payload["userErrors"] == []
        [result] = payload["results"]
        assert result["deduplicated"] is False
        assert {k: v for k, v in result["asset"].items() if k != "id"} == {
            "name": "Team photo",
            "description": "",
            "altText": ALT,
            "aiGenerated": False,
            "mimeType": "image/jpeg",
            "byteSize": len(data),
            "width": 81,
            "height": 60,
            "folder": None,
            "tags": [],
            "projects": [],
            "provenance": None,
        }
        assert (await org_row(tenant)).storage_used_bytes == before + len(data)
        assert adapters.blobs.path("library", hashlib.sha256(data).hexdigest()).is_file()
        assert await events_of(tenant, "asset.uploaded") == 1

    async def test_another_tools_metadata_makes_an_ai_asset_with_what_the_file_said(self, client, tenant):
        received = await upload(client, tenant.token, unique_png(parameters=images.A1111), filename=None)
        payload = await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT})
        asset = payload["results"][0]["asset"]
        assert (asset["aiGenerated"], asset["name"]) == (True, "A cozy reading nook with warm light")
        assert asset["provenance"] == {
            "prompt": "a cozy reading nook with warm light, watercolor",
            "negativePrompt": "blurry, text",
            "model": "dreamshaper, v8",
            "seed": "424242",
            "provider": "automatic1111",
            "generation": None,
            "session": None,
            "createdBy": {"name": "Owner"},
        }

    async def test_an_upload_is_used_once(self, client, tenant):
        received = await upload(client, tenant.token, unique_png())
        await set_org(tenant, require_alt_text=False)
        assert (await add(client, tenant.token, {"uploadId": received["id"]}))["userErrors"] == []
        again = await add(client, tenant.token, {"uploadId": received["id"]})
        assert errors(again) == [("INVALID_STATE", "items[0].uploadId", 0, received["id"])]
        assert await count_rows(tenant, t.assets) == 1


class TestFiles:
    async def test_the_file_moves_to_the_library_and_the_sweep_takes_what_is_left_in_scratch(
        self, client, adapters, engine, tenant
    ):
        data = unique_png()
        received = await upload(client, tenant.token, data)
        assert (await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT}))[
            "userErrors"
        ] == []
        key = hashlib.sha256(data).hexdigest()
        old = time.time() - 7200  # past the sweep's grace period (the two names share one file)
        os.utime(adapters.blobs.path("scratch", key), (old, old))
        await sql_studio(engine, adapters.blobs).sweep_orphan_blobs()
        assert not adapters.blobs.path("scratch", key).exists()
        assert adapters.blobs.path("library", key).read_bytes() == data

    async def test_an_expired_upload_is_not_found(self, client, tenant):
        received = await upload(client, tenant.token, unique_png())

        async def expire(conn):
            await conn.execute(
                sa.update(t.uploads)
                .where(t.uploads.c.org_id == tenant.org_id)
                .values(expires_at=sa.func.current_timestamp())
            )

        await tenant.run(expire)
        payload = await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT})
        assert errors(payload) == [("NOT_FOUND", "items[0].uploadId", 0, received["id"])]


class TestFiling:
    async def test_name_description_folder_tags_and_projects_are_given_per_item(self, client, tenant):
        folder = to_global_id("Folder", await tenant.folder("Imports"))
        project = to_global_id("Project", await tenant.project("Autumn"))
        await tenant.tag("Hero")
        first, second = [await upload(client, tenant.token, unique_png()) for _ in range(2)]
        item = {"folderId": folder, "projectIds": [project], "tags": ["hero", "New tag"], "altText": ALT}
        payload = await add(
            client,
            tenant.token,
            {"uploadId": first["id"], "name": "Cover", "description": "For the blog", **item},
            {"uploadId": second["id"], "altText": ALT},
        )
        one, two = (r["asset"] for r in payload["results"])
        assert (one["name"], one["description"], one["folder"], one["projects"]) == (
            "Cover",
            "For the blog",
            {"name": "Imports"},
            [{"name": "Autumn"}],
        )
        assert [t["name"] for t in one["tags"]] == ["Hero", "New tag"]
        assert (two["name"], two["folder"], two["tags"]) == ("reading-nook", None, [])
        assert await events_of(tenant, "tag.created") == 1

    async def test_bad_items_are_each_named_and_nothing_is_added(self, client, engine, tenant):
        other = await make_tenant(engine)
        theirs = await upload(client, other.token, unique_png())
        their_folder = to_global_id("Folder", await other.folder("Theirs"))
        archived = to_global_id("Project", await tenant.project("Old", archived=True))
        ours = [await upload(client, tenant.token, unique_png()) for _ in range(4)]
        payload = await add(
            client,
            tenant.token,
            {"uploadId": theirs["id"], "altText": ALT},
            {"uploadId": ours[0]["id"], "folderId": their_folder, "altText": ALT},
            {"uploadId": ours[1]["id"], "projectIds": [archived], "altText": ALT},
            {"uploadId": "not-an-id", "altText": ALT},
            {"uploadId": ours[2]["id"], "tags": ["bad\x00tag"], "altText": ALT},
            {"uploadId": ours[3]["id"], "altText": "image of a chair"},
        )
        assert payload["results"] == []
        assert errors(payload) == [
            ("INVALID_INPUT", "items[4].tags[0]", 4, ours[2]["id"]),
            ("INVALID_INPUT", "items[5].altText", 5, ours[3]["id"]),
        ]  # what the input says is checked before anything is read
        del ours[2:]
        payload = await add(
            client,
            tenant.token,
            {"uploadId": theirs["id"], "altText": ALT},
            {"uploadId": ours[0]["id"], "folderId": their_folder, "altText": ALT},
            {"uploadId": ours[1]["id"], "projectIds": [archived], "altText": ALT},
            {"uploadId": "not-an-id", "altText": ALT},
            {"uploadId": ours[1]["id"], "altText": ALT},
        )
        assert errors(payload) == [
            ("NOT_FOUND", "items[0].uploadId", 0, theirs["id"]),
            ("NOT_FOUND", "items[1].folderId", 1, ours[0]["id"]),
            ("INVALID_STATE", "items[2].projectIds[0]", 2, ours[1]["id"]),
            ("NOT_FOUND", "items[3].uploadId", 3, "not-an-id"),
            ("INVALID_INPUT", "items[4].uploadId", 4, ours[1]["id"]),
        ]
        assert await count_rows(tenant, t.assets) == 0
        assert await count_rows(other, t.assets) == 0
        assert (await add(client, other.token, {"uploadId": theirs["id"], "altText": ALT}))[
            "userErrors"
        ] == []

    async def test_a_creator_may_upload_but_not_add_to_the_library(self, client, tenant):
        _, creator = await tenant.member(Role.CREATOR)
        received = await upload(client, creator, unique_png())
        payload = await add(client, creator, {"uploadId": received["id"], "altText": ALT})
        assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]


class TestAltText:
    async def test_the_organisation_requiring_alt_text_refuses_an_item_without_it(self, client, tenant):
        received = await upload(client, tenant.token, unique_png())
        payload = await add(client, tenant.token, {"uploadId": received["id"]}, {"uploadId": received["id"]})
        assert errors(payload)[0] == ("ALT_TEXT_REQUIRED", "items[0].altText", 0, received["id"])
        await set_org(tenant, require_alt_text=False)
        payload = await add(client, tenant.token, {"uploadId": received["id"], "altText": "  "})
        assert payload["results"][0]["asset"]["altText"] == ""

    async def test_the_files_prompt_copied_is_not_alt_text(self, client, tenant):
        received = await upload(client, tenant.token, unique_png(parameters=images.A1111))
        payload = await add(
            client,
            tenant.token,
            {"uploadId": received["id"], "altText": "a cozy reading nook with warm light, watercolor"},
        )
        assert errors(payload) == [("INVALID_INPUT", "items[0].altText", 0, received["id"])]


class TestDedupe:
    async def test_bytes_the_library_holds_return_its_asset_charge_nothing_and_use_the_upload(
        self, client, tenant
    ):
        data = unique_png()
        first, second = [await upload(client, tenant.token, data) for _ in range(2)]
        made = (await add(client, tenant.token, {"uploadId": first["id"], "altText": ALT}))["results"][0]
        used = (await org_row(tenant)).storage_used_bytes
        payload = await add(client, tenant.token, {"uploadId": second["id"], "tags": ["ignored"]})
        assert payload["userErrors"] == []  # no alt text needed: nothing new is made
        [result] = payload["results"]
        assert result == {**made, "deduplicated": True}  # the asset as it was, its filing unchanged
        assert (await org_row(tenant)).storage_used_bytes == used
        assert await count_rows(tenant, t.assets) == 1
        again = await add(client, tenant.token, {"uploadId": second["id"]})
        assert [e["code"] for e in again["userErrors"]] == ["INVALID_STATE"]
        assert await events_of(tenant, "asset.uploaded") == 2

    async def test_the_same_bytes_twice_in_one_request_make_one_asset_for_both(self, client, tenant):
        data = unique_png()
        first, second = [await upload(client, tenant.token, data) for _ in range(2)]
        before = (await org_row(tenant)).storage_used_bytes
        payload = await add(
            client,
            tenant.token,
            {"uploadId": first["id"], "altText": ALT},
            {"uploadId": second["id"]},
        )
        one, two = payload["results"]
        assert (one["deduplicated"], two["deduplicated"]) == (False, True)
        assert one["asset"]["id"] == two["asset"]["id"]
        assert (await org_row(tenant)).storage_used_bytes == before + len(data)

    async def test_another_organisations_asset_is_never_a_match(self, client, engine, tenant):
        data = unique_png()
        other = await make_tenant(engine)
        theirs = await upload(client, other.token, data)
        assert (await add(client, other.token, {"uploadId": theirs["id"], "altText": ALT}))[
            "userErrors"
        ] == []
        ours = await upload(client, tenant.token, data)
        [result] = (await add(client, tenant.token, {"uploadId": ours["id"], "altText": ALT}))["results"]
        assert result["deduplicated"] is False
        assert await count_rows(tenant, t.assets) == 1

    async def test_a_trashed_asset_with_the_bytes_leaves_the_trash_alone_and_a_new_asset_is_made(
        self, client, tenant
    ):
        data = unique_png()
        first, second = [await upload(client, tenant.token, data) for _ in range(2)]
        trashed = (await add(client, tenant.token, {"uploadId": first["id"], "altText": ALT}))["results"][0]

        async def trash(conn):
            await conn.execute(
                sa.update(t.assets)
                .where(t.assets.c.org_id == tenant.org_id)
                .values(trashed_at=sa.func.current_timestamp())
            )

        await tenant.run(trash)
        [result] = (await add(client, tenant.token, {"uploadId": second["id"], "altText": ALT}))["results"]
        assert result["deduplicated"] is False and result["asset"]["id"] != trashed["asset"]["id"]

    async def test_a_saved_generations_asset_with_the_bytes_is_a_match(self, client, adapters, tenant):
        data = unique_png()
        blob = await adapters.blobs.put("library", data)
        asset = await tenant.asset("Saved earlier", blob_key=blob.key, byte_size=blob.size)
        received = await upload(client, tenant.token, data)
        [result] = (await add(client, tenant.token, {"uploadId": received["id"]}))["results"]
        assert result["deduplicated"] is True and result["asset"]["id"] == to_global_id("Asset", asset)

    async def test_two_requests_adding_the_same_bytes_at_once_make_one_asset(self, client, tenant):
        data = unique_png()
        uploads = [await upload(client, tenant.token, data) for _ in range(4)]
        payloads = await asyncio.gather(
            *(add(client, tenant.token, {"uploadId": u["id"], "altText": ALT}) for u in uploads)
        )
        results = [p["results"][0] for p in payloads]
        assert len({r["asset"]["id"] for r in results}) == 1
        assert sorted(r["deduplicated"] for r in results) == [False, True, True, True]
        assert await count_rows(tenant, t.assets) == 1


class TestProcessing:
    STATUS = "query($id: ID!) { node(id: $id) { ... on Asset { processingStatus } } }"

    async def status(self, client, tenant, asset_id: str) -> str:
        _, body = await gql(client, tenant.token, self.STATUS, {"id": asset_id})
        return body["data"]["node"]["processingStatus"]

    async def jobs(self, tenant) -> list[tuple[int, str, int]]:
        j = t.jobs
        rows = await tenant.run(
            lambda c: c.execute(
                sa.select(j.c.subject_id, j.c.state, j.c.attempts).where(
                    j.c.org_id == tenant.org_id, j.c.subject_type == "asset"
                )
            )
        )
        return [tuple(r) for r in rows]

    async def test_a_new_asset_is_queued_for_processing_in_the_same_transaction(self, client, tenant):
        received = await upload(client, tenant.token, unique_png())
        [result] = (await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT}))["results"]
        assert await self.status(client, tenant, result["asset"]["id"]) == "PENDING"
        [(pk, state, attempts)] = await self.jobs(tenant)
        assert (to_global_id("Asset", pk), state, attempts) == (result["asset"]["id"], "queued", 0)

    async def test_a_deduplicated_item_leaves_the_existing_assets_job_as_it_was(self, client, tenant):
        data = unique_png()
        first, second = [await upload(client, tenant.token, data) for _ in range(2)]
        [made] = (await add(client, tenant.token, {"uploadId": first["id"], "altText": ALT}))["results"]
        j = t.jobs
        await tenant.run(
            lambda c: c.execute(
                sa.update(j).where(j.c.org_id == tenant.org_id).values(state="done", attempts=1, due_at=None)
            )
        )
        [again] = (await add(client, tenant.token, {"uploadId": second["id"]}))["results"]
        assert again["deduplicated"] is True and again["asset"]["id"] == made["asset"]["id"]
        assert await self.status(client, tenant, made["asset"]["id"]) == "READY"
        assert [(state, attempts) for _, state, attempts in await self.jobs(tenant)] == [("done", 1)]


class TestQuotaAndReplays:
    async def test_an_add_over_the_quota_adds_nothing_and_keeps_the_uploads(
        self, client, adapters, tenant
    ):  # row 35
        data = unique_png()
        received = await upload(client, tenant.token, data)
        await set_org(tenant, storage_quota_bytes=len(data) - 1)
        payload = await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT})
        assert [e["code"] for e in payload["userErrors"]] == ["QUOTA_EXCEEDED"]
        assert await count_rows(tenant, t.assets) == 0
        assert (await org_row(tenant)).storage_used_bytes == 0
        assert not adapters.blobs.path("library", hashlib.sha256(data).hexdigest()).exists()
        await set_org(tenant, storage_quota_bytes=len(data))
        assert (await add(client, tenant.token, {"uploadId": received["id"], "altText": ALT}))[
            "userErrors"
        ] == []

    async def test_an_idempotency_key_replays_the_answer_and_refuses_another_input(self, client, tenant):
        data = unique_png()
        first, second = [await upload(client, tenant.token, data) for _ in range(2)]
        items = [{"uploadId": first["id"], "altText": ALT}, {"uploadId": second["id"]}]
        answer = await add(client, tenant.token, *items, idempotencyKey="import-1")
        assert await add(client, tenant.token, *items, idempotencyKey="import-1") == answer
        assert [r["deduplicated"] for r in answer["results"]] == [False, True]
        other = await add(client, tenant.token, items[0], idempotencyKey="import-1")
        assert errors(other) == [("CONFLICT", "idempotencyKey", None, None)]
        assert await count_rows(tenant, t.assets) == 1


class TestStatements:
    async def test_adding_one_upload_or_thirty_takes_the_same_statements(self, client, engine, tenant):
        folder = to_global_id("Folder", await tenant.folder("Imports"))
        project = to_global_id("Project", await tenant.project("Autumn"))
        counts = []
        for size in (1, 30):
            uploads = [await upload(client, tenant.token, unique_png()) for _ in range(size)]
            twin = await upload(client, tenant.token, images.png(color=(0, 0, size)))
            items = [
                {
                    "uploadId": u["id"],
                    "altText": ALT,
                    "folderId": folder,
                    "projectIds": [project],
                    "tags": [f"tag {size} {i}", "shared"],
                }
                for i, u in enumerate(uploads)
            ] + [{"uploadId": twin["id"], "altText": ALT}]
            with count_statements(engine) as statements:
                payload = await add(client, tenant.token, *items)
            assert payload["userErrors"] == [] and len(payload["results"]) == size + 1
            counts.append(len(statements))
        assert counts[0] == counts[1], counts
