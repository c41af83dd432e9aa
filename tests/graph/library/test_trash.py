"""trashAssets and restoreAssets: trashed assets leave every list but the trash, and come back."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.demo.seeding import now
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of

TRASH = """mutation($ids: [ID!]!, $force: Boolean! = false) { trashAssets(input: {ids: $ids, force: $force}) {
    assets { id name trashedAt updatedAt folder { name } } userErrors { code message field index id } } }"""
RESTORE = """mutation($ids: [ID!]!) { restoreAssets(input: {ids: $ids}) {
    assets { id name trashedAt folder { name } } userErrors { code message field index id } } }"""

EVERY_LIST = """query($folder: ID!, $parent: ID!, $project: ID!, $tag: ID!, $user: ID!, $generation: ID!) {
  live: assets { totalCount edges { node { name } } }
  trash: assets(filter: {trashed: true}) { totalCount edges { node { name trashedAt } } }
  favourites: assets(filter: {favourite: true}) { totalCount edges { node { name } } }
  inFolder: assets(filter: {folderId: $folder}) { totalCount edges { node { name } } }
  folder: node(id: $folder) { ... on Folder { assetCount assets { totalCount edges { node { name } } } } }
  parent: node(id: $parent) { ... on Folder { assetCount(includeSubfolders: true) } }
  project: node(id: $project) { ... on Project { assets { totalCount edges { node { name } } } } }
  tag: node(id: $tag) { ... on Tag { assets { totalCount edges { node { name } } } } }
  user: node(id: $user) { ... on Asset { provenance { contextAssets { name } } } }
  generation: node(id: $generation) { ... on Generation { contextAssets { name } } }
}"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"], e["index"]) for e in body["data"][mutation]["userErrors"]]


def names(connection):
    return [e["node"]["name"] for e in connection["edges"]]


async def asset_row(tenant, pk):
    async with tenant.engine.connect() as conn:
        return (await conn.execute(sa.select(t.assets).where(t.assets.c.id == pk))).one()


async def link(tenant, table, **values):
    async def add(conn):
        await conn.execute(sa.insert(table).values(org_id=tenant.org_id, **values))

    await tenant.run(add)


class TestTrashedAssetsLeaveEveryList:
    async def test_every_list_and_count_loses_a_trashed_asset_and_only_the_trash_shows_it(
        self, client, tenant
    ):
        parent = await tenant.folder("Parent")
        folder = await tenant.folder("Child", parent_id=parent)
        project, tag = await tenant.project("Launch"), await tenant.tag("hero")
        kept = await tenant.asset("Kept", folder_id=folder, projects=(project,), tags=(tag,))
        binned = await tenant.asset("Binned", folder_id=folder, projects=(project,), tags=(tag,))
        for asset in (kept, binned):
            await link(
                tenant, t.asset_favourites, asset_id=asset, member_id=tenant.member_id, created_at=now()
            )
        session = await tenant.session()
        generation = await tenant.generation(session)
        user = await tenant.asset("User", ai_generated=True, generation_id=generation, session_id=session)
        for position, asset in enumerate((kept, binned)):
            await link(
                tenant, t.asset_context_assets, asset_id=user, context_asset_id=asset, position=position
            )
            await link(
                tenant,
                t.generation_context_assets,
                generation_id=generation,
                asset_id=asset,
                position=position,
            )
        variables = {
            "folder": to_global_id("Folder", folder),
            "parent": to_global_id("Folder", parent),
            "project": to_global_id("Project", project),
            "tag": to_global_id("Tag", tag),
            "user": aid(user),
            "generation": to_global_id("Generation", generation),
        }
        _, before = await gql(client, tenant.token, EVERY_LIST, variables)
        assert names(before["data"]["live"]) == ["User", "Binned", "Kept"]
        assert before["data"]["parent"]["assetCount"] == 2

        _, body = await gql(client, tenant.token, TRASH, {"ids": [aid(binned)]})
        assert body["data"]["trashAssets"]["userErrors"] == []
        assert body["data"]["trashAssets"]["assets"][0]["trashedAt"] is not None

        _, after = await gql(client, tenant.token, EVERY_LIST, variables)
        data = after["data"]
        assert "errors" not in after, after
        assert (names(data["live"]), data["live"]["totalCount"]) == (["User", "Kept"], 2)
        assert (names(data["trash"]), data["trash"]["totalCount"]) == (["Binned"], 1)
        assert data["trash"]["edges"][0]["node"]["trashedAt"] is not None
        for connection in (
            data["favourites"],
            data["inFolder"],
            data["folder"]["assets"],
            data["project"]["assets"],
            data["tag"]["assets"],
        ):
            assert (names(connection), connection["totalCount"]) == (["Kept"], 1)
        assert data["folder"]["assetCount"] == 1
        assert data["parent"]["assetCount"] == 1
        assert data["user"]["provenance"]["contextAssets"] == [{"name": "Kept"}]
        assert data["generation"]["contextAssets"] == [{"name": "Kept"}]

    async def test_a_trashed_asset_is_still_read_by_id_with_its_trashed_at(self, client, tenant):
        asset = await tenant.asset("Binned")
        await gql(client, tenant.token, TRASH, {"ids": [aid(asset)]})
        _, body = await gql(
            client,
            tenant.token,
            "query($id: ID!) { node(id: $id) { ... on Asset { name trashedAt } } }",
            {"id": aid(asset)},
        )
        assert body["data"]["node"]["name"] == "Binned" and body["data"]["node"]["trashedAt"] is not None


class TestTrashAndRestore:
    async def test_restore_brings_the_asset_back_into_its_folder_and_every_list(self, client, tenant):
        folder = await tenant.folder("Summer")
        asset = await tenant.asset("Hero", folder_id=folder)
        _, editor = await tenant.member(Role.EDITOR)
        await gql(client, editor, TRASH, {"ids": [aid(asset)]})
        _, body = await gql(client, editor, RESTORE, {"ids": [aid(asset)]})
        payload = body["data"]["restoreAssets"]
        assert payload["userErrors"] == []
        assert payload["assets"] == [
            {"id": aid(asset), "name": "Hero", "trashedAt": None, "folder": {"name": "Summer"}}
        ]
        _, body = await gql(
            client, editor, "{ assets { totalCount } trash: assets(filter: {trashed: true}) { totalCount } }"
        )
        assert body["data"] == {"assets": {"totalCount": 1}, "trash": {"totalCount": 0}}
        assert await events_of(tenant, "asset.trashed") == 1
        assert await events_of(tenant, "asset.restored") == 1

    async def test_an_asset_whose_folder_was_deleted_meanwhile_is_restored_at_the_root(self, client, tenant):
        folder = await tenant.folder("Old campaign")
        asset = await tenant.asset("Hero", folder_id=folder)
        await gql(client, tenant.token, TRASH, {"ids": [aid(asset)]})
        _, body = await gql(
            client,
            tenant.token,
            "mutation($id: ID!) { deleteFolder(input: {id: $id}) { userErrors { code } } }",
            {"id": to_global_id("Folder", folder)},
        )
        assert body["data"]["deleteFolder"]["userErrors"] == []  # only trashed content: it may go
        _, body = await gql(client, tenant.token, RESTORE, {"ids": [aid(asset)]})
        assert body["data"]["restoreAssets"]["assets"][0]["folder"] is None
        assert (await asset_row(tenant, asset)).folder_id is None

    async def test_trashing_a_trashed_asset_and_restoring_a_live_one_change_nothing(self, client, tenant):
        asset = await tenant.asset("Hero")
        await gql(client, tenant.token, TRASH, {"ids": [aid(asset)]})
        trashed = await asset_row(tenant, asset)
        _, body = await gql(client, tenant.token, TRASH, {"ids": [aid(asset)]})
        assert body["data"]["trashAssets"]["userErrors"] == []
        assert await asset_row(tenant, asset) == trashed
        assert await events_of(tenant, "asset.trashed") == 1
        live = await tenant.asset("Live")
        before = await asset_row(tenant, live)
        _, body = await gql(client, tenant.token, RESTORE, {"ids": [aid(live)]})
        assert body["data"]["restoreAssets"]["assets"][0]["trashedAt"] is None
        assert await asset_row(tenant, live) == before
        assert await events_of(tenant, "asset.restored") == 0

    async def test_a_bulk_trash_is_all_or_nothing_naming_each_bad_item(self, client, engine, tenant):
        ok = await tenant.asset("Ok")
        theirs = await (await make_tenant(engine)).asset("Theirs")
        ids = [aid(ok), aid(theirs), aid(ok), "not-an-id"]
        _, body = await gql(client, tenant.token, TRASH, {"ids": ids})
        assert errors_of(body, "trashAssets") == [
            ("NOT_FOUND", "ids[1]", 1),
            ("INVALID_INPUT", "ids[2]", 2),
            ("NOT_FOUND", "ids[3]", 3),
        ]
        assert (await asset_row(tenant, ok)).trashed_at is None
        assert await events_of(tenant, "asset.trashed") == 0
        _, body = await gql(client, tenant.token, TRASH, {"ids": []})
        assert [e["code"] for e in body["data"]["trashAssets"]["userErrors"]] == ["INVALID_INPUT"]
        _, body = await gql(client, tenant.token, TRASH, {"ids": [aid(ok)] * 501})
        assert [e["code"] for e in body["data"]["trashAssets"]["userErrors"]] == ["LIMIT_EXCEEDED"]

    async def test_editors_trash_and_restore_and_creators_and_viewers_may_not(self, client, tenant):
        asset = await tenant.asset("Hero")
        for role in (Role.VIEWER, Role.CREATOR):
            _, token = await tenant.member(role)
            for mutation, name in ((TRASH, "trashAssets"), (RESTORE, "restoreAssets")):
                _, body = await gql(client, token, mutation, {"ids": [aid(asset)]})
                assert errors_of(body, name) == [("FORBIDDEN", None, None)]
        assert (await asset_row(tenant, asset)).trashed_at is None


class TestAssetsInUse:
    async def test_an_asset_with_placements_is_not_trashed_without_force(self, client, tenant):
        free, used = await tenant.asset("Free"), await tenant.asset("Used")
        await tenant.placement(used)
        _, body = await gql(client, tenant.token, TRASH, {"ids": [aid(free), aid(used)]})
        assert errors_of(body, "trashAssets") == [("INVALID_STATE", "ids[1]", 1)]
        assert "force: true" in body["data"]["trashAssets"]["userErrors"][0]["message"]
        assert (await asset_row(tenant, free)).trashed_at is None

    async def test_force_trashes_it_and_removes_its_placements_with_their_events(self, client, tenant):
        used = await tenant.asset("Used")
        await tenant.placement(used, "https://cms.example.com/a")
        await tenant.placement(used, "https://cms.example.com/b", state="approved")
        _, body = await gql(client, tenant.token, TRASH, {"ids": [aid(used)], "force": True})
        assert body["data"]["trashAssets"]["userErrors"] == []
        assert (await asset_row(tenant, used)).trashed_at is not None
        async with tenant.engine.connect() as conn:
            left = (
                await conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.placements)
                    .where(t.placements.c.asset_id == used)
                )
            ).scalar_one()
        assert left == 0
        assert await events_of(tenant, "placement.removed") == 2
        async with tenant.engine.connect() as conn:
            payload = (
                await conn.execute(
                    sa.select(t.events.c.payload).where(
                        t.events.c.org_id == tenant.org_id, t.events.c.type == "asset.trashed"
                    )
                )
            ).scalar_one()
        assert payload == {"forced": True, "placements_removed": 2}
        await gql(client, tenant.token, RESTORE, {"ids": [aid(used)]})
        _, body = await gql(
            client,
            tenant.token,
            "query($id: ID!) { node(id: $id) { ... on Asset { usageCount } } }",
            {"id": aid(used)},
        )
        assert body["data"]["node"]["usageCount"] == 0  # removed placements do not come back
