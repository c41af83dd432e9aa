"""updateAssets' tags by name, what touches `updatedAt`, and moves into a folder racing its deletion."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of

BULK = """mutation($input: UpdateAssetsInput!) { updateAssets(input: $input) {
    assets { id folder { name } tags { name } updatedAt } userErrors { code field index id } } }"""
UPDATE = """mutation($input: UpdateAssetInput!) { updateAsset(input: $input) {
    asset { id folder { name } } userErrors { code field } } }"""
DELETE = """mutation($input: DeleteFolderInput!) { deleteFolder(input: $input) {
    deletedFolderId userErrors { code field } } }"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def fid(pk: int) -> str:
    return to_global_id("Folder", pk)


async def bulk(client, tenant, change: dict) -> dict:
    status, body = await gql(client, tenant.token, BULK, {"input": change})
    assert status == 200 and "errors" not in body, body
    return body["data"]["updateAssets"]


async def updated_at(tenant, pk: int):
    async with tenant.engine.connect() as conn:
        stmt = sa.select(t.assets.c.updated_at).where(t.assets.c.id == pk)
        return (await conn.execute(stmt)).scalar_one()


async def folder_exists(tenant, pk: int) -> bool:
    async with tenant.engine.connect() as conn:
        stmt = sa.select(sa.func.count()).select_from(t.folders).where(t.folders.c.id == pk)
        return (await conn.execute(stmt)).scalar_one() == 1


async def folder_of(tenant, pk: int) -> int | None:
    async with tenant.engine.connect() as conn:
        stmt = sa.select(t.assets.c.folder_id).where(t.assets.c.id == pk)
        return (await conn.execute(stmt)).scalar_one()


class TestRemoveTagsByName:
    async def test_tags_are_removed_by_name_regardless_of_case_beside_those_by_id(self, client, tenant):
        hero, old, keep = await tenant.tag("Hero"), await tenant.tag("old"), await tenant.tag("keep")
        a = await tenant.asset("A", tags=(hero, old, keep))
        b = await tenant.asset("B", tags=(hero,))
        change = {
            "ids": [aid(a), aid(b)],
            "removeTags": ["HERO", " hero "],
            "removeTagIds": [to_global_id("Tag", old)],
        }
        payload = await bulk(client, tenant, change)
        assert payload["userErrors"] == []
        assert [x["tags"] for x in payload["assets"]] == [[{"name": "keep"}], []]
        assert await events_of(tenant, "asset.updated") == 2

    async def test_a_name_no_tag_of_the_organisation_has_is_not_found_and_nothing_changes(
        self, client, engine, tenant
    ):
        hero = await tenant.tag("Hero")
        asset = await tenant.asset("A", tags=(hero,))
        await (await make_tenant(engine)).tag("Theirs")
        for name in ("Theirs", "nonexistent"):
            payload = await bulk(client, tenant, {"ids": [aid(asset)], "removeTags": ["Hero", name]})
            assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
                ("NOT_FOUND", "removeTags[1]")
            ]
        payload = await bulk(client, tenant, {"ids": [aid(asset)], "removeTags": ["bad\nname"]})
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("INVALID_INPUT", "removeTags[0]")
        ]
        payload = await bulk(client, tenant, {"ids": [aid(asset)], "removeTags": ["x"] * 21})
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("LIMIT_EXCEEDED", "removeTags")]
        assert await events_of(tenant, "asset.updated") == 0


class TestUpdatedAt:
    async def test_moving_retagging_and_linking_touch_updated_at_and_no_change_does_not(self, client, tenant):
        folder, project, tag = (
            await tenant.folder("Summer"),
            await tenant.project("Launch"),
            await tenant.tag("t"),
        )
        asset = await tenant.asset("A", tags=(tag,))
        changes = [
            {"folderId": fid(folder)},
            {"addTags": ["new"]},
            {"removeTags": ["new"]},
            {"addProjectIds": [to_global_id("Project", project)]},
            {"removeProjectIds": [to_global_id("Project", project)]},
        ]
        for change in changes:
            before = await updated_at(tenant, asset)
            payload = await bulk(client, tenant, {"ids": [aid(asset)], **change})
            assert payload["userErrors"] == []
            assert await updated_at(tenant, asset) > before, change
        before = await updated_at(tenant, asset)
        payload = await bulk(client, tenant, {"ids": [aid(asset)], "folderId": fid(folder), "addTags": ["t"]})
        assert payload["userErrors"] == [] and await updated_at(tenant, asset) == before


class TestMovesRacingAFolderDelete:
    async def test_assets_never_end_in_a_deleted_folder(self, client, tenant):
        # the move and the delete take turns on the organisation's folder tree: either the assets arrive
        # first (then the folder is not empty and the delete needs moveContentTo) or the folder goes first
        # (then the move is NOT_FOUND); never both, which would leave the assets where no folder is
        for round in range(6):
            home = await tenant.folder(f"Home {round}")
            target = await tenant.folder(f"Target {round}")
            assets = [await tenant.asset(f"A{round}-{i}", folder_id=home) for i in range(3)]
            if round % 2:
                move = gql(
                    client,
                    tenant.token,
                    BULK,
                    {"input": {"ids": [aid(a) for a in assets], "folderId": fid(target)}},
                )
            else:
                move = gql(
                    client, tenant.token, UPDATE, {"input": {"id": aid(assets[0]), "folderId": fid(target)}}
                )
            delete = gql(client, tenant.token, DELETE, {"input": {"id": fid(target)}})
            (_, moved), (_, deleted) = await asyncio.gather(move, delete)
            assert "errors" not in moved and "errors" not in deleted, (moved, deleted)
            move_errors = next(iter(moved["data"].values()))["userErrors"]
            delete_errors = deleted["data"]["deleteFolder"]["userErrors"]
            if move_errors:
                assert [e["code"] for e in move_errors] == ["NOT_FOUND"] and delete_errors == []
                assert not await folder_exists(tenant, target)
                assert {await folder_of(tenant, a) for a in assets} == {home}
            else:
                assert [e["code"] for e in delete_errors] == ["INVALID_STATE"]
                assert await folder_exists(tenant, target)
                assert await folder_of(tenant, assets[0]) == target
