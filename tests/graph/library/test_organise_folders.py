"""renameFolder, moveFolder, deleteFolder and Folder.assetCount: over real storage, on both databases."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.demo.seeding import now
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows
from tests.graph.statements import count_statements

RENAME = """mutation($input: RenameFolderInput!) { renameFolder(input: $input) {
    folder { id name path { name } } userErrors { code message field } } }"""
MOVE = """mutation($input: MoveFolderInput!) { moveFolder(input: $input) {
    folder { id name parent { name } path { name } } userErrors { code message field } } }"""
DELETE = """mutation($input: DeleteFolderInput!) { deleteFolder(input: $input) {
    deletedFolderId userErrors { code message field } } }"""
FOLDER = """query($id: ID!) { node(id: $id) { ... on Folder { name parent { name } children { name }
    assetCount deep: assetCount(includeSubfolders: true) } } }"""


def fid(pk: int) -> str:
    return to_global_id("Folder", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


async def folder_row(tenant, pk):
    async with tenant.engine.connect() as conn:
        return (await conn.execute(sa.select(t.folders).where(t.folders.c.id == pk))).one_or_none()


async def asset_folder(tenant, pk):
    async with tenant.engine.connect() as conn:
        return (await conn.execute(sa.select(t.assets.c.folder_id).where(t.assets.c.id == pk))).scalar_one()


async def tree(tenant):
    """Campaigns / Summer / Heroes, and Archive at the root."""
    campaigns = await tenant.folder("Campaigns")
    summer = await tenant.folder("Summer", campaigns)
    heroes = await tenant.folder("Heroes", summer)
    archive = await tenant.folder("Archive")
    return campaigns, summer, heroes, archive


class TestRename:
    async def test_an_editor_renames_a_folder_and_an_event_is_recorded(self, client, tenant):
        _campaigns, summer, _, _ = await tree(tenant)
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(client, editor, RENAME, {"input": {"id": fid(summer), "name": " Été 🌞 "}})
        assert errors_of(body, "renameFolder") == []
        folder = body["data"]["renameFolder"]["folder"]
        assert folder["name"] == "Été 🌞" and folder["path"] == [{"name": "Campaigns"}, {"name": "Été 🌞"}]
        assert await events_of(tenant, "folder.renamed") == 1

    async def test_renaming_to_the_same_name_changes_nothing(self, client, tenant):
        _, summer, _, _ = await tree(tenant)
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": fid(summer), "name": "Summer"}})
        assert errors_of(body, "renameFolder") == []
        assert await events_of(tenant, "folder.renamed") == 0

    @pytest.mark.parametrize("name", ["archive", "ARCHIVE\u200b", "Archive"])
    async def test_a_sibling_name_that_looks_the_same_is_a_conflict(self, client, tenant, name):
        campaigns, *_ = await tree(tenant)
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": fid(campaigns), "name": name}})
        assert errors_of(body, "renameFolder") == [("CONFLICT", "name")]
        assert (await folder_row(tenant, campaigns)).name == "Campaigns"
        assert await events_of(tenant, "folder.renamed") == 0

    async def test_the_same_name_in_another_parent_is_fine(self, client, tenant):
        _, _, heroes, _ = await tree(tenant)
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": fid(heroes), "name": "Archive"}})
        assert errors_of(body, "renameFolder") == []

    @pytest.mark.parametrize("name", ["", "\u200b ", "a\x00b", "a\nb", "x" * 201])
    async def test_a_bad_name_is_invalid_input(self, client, tenant, name):
        campaigns, *_ = await tree(tenant)
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": fid(campaigns), "name": name}})
        assert errors_of(body, "renameFolder") == [("INVALID_INPUT", "name")]
        assert (await folder_row(tenant, campaigns)).name == "Campaigns"

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.CREATOR])
    async def test_below_editor_is_forbidden(self, client, tenant, role):
        campaigns, *_ = await tree(tenant)
        _, token = await tenant.member(role)
        _, body = await gql(client, token, RENAME, {"input": {"id": fid(campaigns), "name": "New"}})
        assert errors_of(body, "renameFolder") == [("FORBIDDEN", None)]
        assert (await folder_row(tenant, campaigns)).name == "Campaigns"

    async def test_another_organisations_folder_is_not_found(self, client, engine, tenant):
        other = await make_tenant(engine)
        theirs = await other.folder("Theirs")
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": fid(theirs), "name": "Mine"}})
        assert errors_of(body, "renameFolder") == [("NOT_FOUND", "id")]
        assert (await folder_row(other, theirs)).name == "Theirs"

    @pytest.mark.parametrize("bad", ["nope", to_global_id("Project", 1), to_global_id("Folder", 0)])
    async def test_a_malformed_id_is_a_top_level_not_found_naming_the_field(self, client, tenant, bad):
        _, body = await gql(client, tenant.token, RENAME, {"input": {"id": bad, "name": "x"}})
        error = body["errors"][0]["extensions"]
        assert (error["code"], error["field"]) == ("NOT_FOUND", "id")


class TestMove:
    async def test_a_folder_moves_with_its_subtree_and_an_event_is_recorded(self, client, tenant):
        _campaigns, summer, heroes, archive = await tree(tenant)
        _, body = await gql(
            client, tenant.token, MOVE, {"input": {"id": fid(summer), "parentId": fid(archive)}}
        )
        assert errors_of(body, "moveFolder") == []
        assert body["data"]["moveFolder"]["folder"]["path"] == [{"name": "Archive"}, {"name": "Summer"}]
        assert (await folder_row(tenant, heroes)).parent_id == summer
        assert await events_of(tenant, "folder.moved") == 1

    async def test_a_folder_moves_to_the_root(self, client, tenant):
        _, summer, _, _ = await tree(tenant)
        _, body = await gql(client, tenant.token, MOVE, {"input": {"id": fid(summer), "parentId": None}})
        assert errors_of(body, "moveFolder") == []
        assert body["data"]["moveFolder"]["folder"]["parent"] is None
        assert (await folder_row(tenant, summer)).parent_id is None

    async def test_a_move_to_where_it_is_changes_nothing(self, client, tenant):
        campaigns, summer, _, _ = await tree(tenant)
        _, body = await gql(
            client, tenant.token, MOVE, {"input": {"id": fid(summer), "parentId": fid(campaigns)}}
        )
        assert errors_of(body, "moveFolder") == []
        assert await events_of(tenant, "folder.moved") == 0

    @pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
    async def test_a_move_into_its_own_subtree_is_invalid_input(self, client, tenant, target):
        campaigns, summer, heroes, _ = await tree(tenant)
        parent = {"itself": campaigns, "child": summer, "grandchild": heroes}[target]
        _, body = await gql(
            client, tenant.token, MOVE, {"input": {"id": fid(campaigns), "parentId": fid(parent)}}
        )
        assert errors_of(body, "moveFolder") == [("INVALID_INPUT", "parentId")]
        assert (await folder_row(tenant, campaigns)).parent_id is None
        assert await events_of(tenant, "folder.moved") == 0

    async def test_a_name_taken_at_the_destination_is_a_conflict(self, client, tenant):
        campaigns, summer, _, _ = await tree(tenant)
        await tenant.folder("summer")  # at the root
        _, body = await gql(client, tenant.token, MOVE, {"input": {"id": fid(summer), "parentId": None}})
        assert errors_of(body, "moveFolder") == [("CONFLICT", "parentId")]
        assert (await folder_row(tenant, summer)).parent_id == campaigns
        assert await events_of(tenant, "folder.moved") == 0

    async def test_another_organisations_parent_is_not_found(self, client, engine, tenant):
        campaigns, *_ = await tree(tenant)
        theirs = await (await make_tenant(engine)).folder("Theirs")
        _, body = await gql(
            client, tenant.token, MOVE, {"input": {"id": fid(campaigns), "parentId": fid(theirs)}}
        )
        assert errors_of(body, "moveFolder") == [("NOT_FOUND", "parentId")]
        assert (await folder_row(tenant, campaigns)).parent_id is None

    async def test_a_viewer_is_forbidden(self, client, tenant):
        _, summer, _, archive = await tree(tenant)
        _, viewer = await tenant.member(Role.VIEWER)
        _, body = await gql(client, viewer, MOVE, {"input": {"id": fid(summer), "parentId": fid(archive)}})
        assert errors_of(body, "moveFolder") == [("FORBIDDEN", None)]
        assert await events_of(tenant, "folder.moved") == 0

    async def test_a_malformed_parent_id_is_a_top_level_not_found(self, client, tenant):
        campaigns, *_ = await tree(tenant)
        _, body = await gql(client, tenant.token, MOVE, {"input": {"id": fid(campaigns), "parentId": "x"}})
        error = body["errors"][0]["extensions"]
        assert (error["code"], error["field"]) == ("NOT_FOUND", "parentId")


class TestDelete:
    async def test_an_empty_folder_is_deleted_and_an_event_is_recorded(self, client, tenant):
        _, _, heroes, _ = await tree(tenant)
        _, body = await gql(client, tenant.token, DELETE, {"input": {"id": fid(heroes)}})
        assert body["data"]["deleteFolder"] == {"deletedFolderId": fid(heroes), "userErrors": []}
        assert await folder_row(tenant, heroes) is None
        assert await events_of(tenant, "folder.deleted") == 1

    async def test_a_folder_with_content_needs_a_destination(self, client, tenant):
        _campaigns, summer, _, _ = await tree(tenant)
        asset = await tenant.asset(folder_id=summer)
        folders = await count_rows(tenant, t.folders)
        _, body = await gql(client, tenant.token, DELETE, {"input": {"id": fid(summer)}})
        assert errors_of(body, "deleteFolder") == [("INVALID_STATE", "moveContentTo")]
        assert await count_rows(tenant, t.folders) == folders
        assert await asset_folder(tenant, asset) == summer
        assert await events_of(tenant, "folder.deleted") == 0

    async def test_a_folder_holding_only_an_asset_is_not_empty(self, client, tenant):
        archive = await tenant.folder("Archive")
        await tenant.asset(folder_id=archive)
        _, body = await gql(client, tenant.token, DELETE, {"input": {"id": fid(archive)}})
        assert errors_of(body, "deleteFolder") == [("INVALID_STATE", "moveContentTo")]

    async def test_content_moves_to_the_root_with_an_explicit_null(self, client, tenant):
        campaigns, summer, heroes, _ = await tree(tenant)
        asset = await tenant.asset(folder_id=campaigns)
        _, body = await gql(
            client, tenant.token, DELETE, {"input": {"id": fid(campaigns), "moveContentTo": None}}
        )
        assert errors_of(body, "deleteFolder") == []
        assert await folder_row(tenant, campaigns) is None
        assert (await folder_row(tenant, summer)).parent_id is None
        assert (await folder_row(tenant, heroes)).parent_id == summer
        assert await asset_folder(tenant, asset) is None
        assert await events_of(tenant, "folder.deleted") == 1

    async def test_content_moves_to_another_folder_in_one_transaction(self, client, tenant):
        _, summer, heroes, archive = await tree(tenant)
        live = await tenant.asset(folder_id=summer)
        trashed = await tenant.asset(folder_id=summer, trashed_at=now())
        _, body = await gql(
            client, tenant.token, DELETE, {"input": {"id": fid(summer), "moveContentTo": fid(archive)}}
        )
        assert errors_of(body, "deleteFolder") == []
        assert (await folder_row(tenant, heroes)).parent_id == archive
        assert await asset_folder(tenant, live) == archive
        assert await asset_folder(tenant, trashed) == archive

    async def test_trashed_assets_of_an_otherwise_empty_folder_go_up_a_level(self, client, tenant):
        _, summer, heroes, _ = await tree(tenant)
        trashed = await tenant.asset(folder_id=heroes, trashed_at=now())
        _, body = await gql(client, tenant.token, DELETE, {"input": {"id": fid(heroes)}})
        assert errors_of(body, "deleteFolder") == []
        assert await asset_folder(tenant, trashed) == summer

    @pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
    async def test_content_cannot_go_into_the_folder_or_its_subtree(self, client, tenant, target):
        campaigns, summer, heroes, _ = await tree(tenant)
        dest = {"itself": campaigns, "child": summer, "grandchild": heroes}[target]
        _, body = await gql(
            client, tenant.token, DELETE, {"input": {"id": fid(campaigns), "moveContentTo": fid(dest)}}
        )
        assert errors_of(body, "deleteFolder") == [("INVALID_INPUT", "moveContentTo")]
        assert await folder_row(tenant, campaigns) is not None

    async def test_a_subfolder_name_taken_at_the_destination_is_a_conflict_and_nothing_moves(
        self, client, tenant
    ):
        campaigns, summer, _, archive = await tree(tenant)
        await tenant.folder("SUMMER", archive)
        asset = await tenant.asset(folder_id=campaigns)
        _, body = await gql(
            client, tenant.token, DELETE, {"input": {"id": fid(campaigns), "moveContentTo": fid(archive)}}
        )
        assert errors_of(body, "deleteFolder") == [("CONFLICT", "moveContentTo")]
        assert (await folder_row(tenant, summer)).parent_id == campaigns
        assert await asset_folder(tenant, asset) == campaigns
        assert await events_of(tenant, "folder.deleted") == 0

    async def test_another_organisations_folder_or_destination_is_not_found(self, client, engine, tenant):
        other = await make_tenant(engine)
        theirs = await other.folder("Theirs")
        campaigns, *_ = await tree(tenant)
        _, body = await gql(client, tenant.token, DELETE, {"input": {"id": fid(theirs)}})
        assert errors_of(body, "deleteFolder") == [("NOT_FOUND", "id")]
        _, body = await gql(
            client, tenant.token, DELETE, {"input": {"id": fid(campaigns), "moveContentTo": fid(theirs)}}
        )
        assert errors_of(body, "deleteFolder") == [("NOT_FOUND", "moveContentTo")]
        assert await folder_row(other, theirs) is not None and await folder_row(tenant, campaigns) is not None

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.CREATOR])
    async def test_below_editor_is_forbidden(self, client, tenant, role):
        _, _, heroes, _ = await tree(tenant)
        _, token = await tenant.member(role)
        _, body = await gql(client, token, DELETE, {"input": {"id": fid(heroes)}})
        assert errors_of(body, "deleteFolder") == [("FORBIDDEN", None)]
        assert await folder_row(tenant, heroes) is not None


class TestAssetCount:
    async def test_counts_live_assets_directly_and_with_subfolders(self, client, tenant):
        campaigns, summer, heroes, archive = await tree(tenant)
        await tenant.asset(folder_id=campaigns)
        await tenant.asset(folder_id=summer)
        await tenant.asset(folder_id=heroes)
        await tenant.asset(folder_id=heroes)
        await tenant.asset(folder_id=heroes, trashed_at=now())
        expected = {campaigns: (1, 4), summer: (1, 3), heroes: (2, 2), archive: (0, 0)}
        for pk, (direct, deep) in expected.items():
            _, body = await gql(client, tenant.token, FOLDER, {"id": fid(pk)})
            node = body["data"]["node"]
            assert (node["assetCount"], node["deep"]) == (direct, deep), node["name"]

    async def test_counts_cost_one_statement_per_page_whatever_its_size(self, client, engine, tenant):
        query = "{ folders(first: 50) { edges { node { assetCount deep: assetCount(includeSubfolders: true) } } } }"
        root = await tenant.folder("Root 0")
        await tenant.asset(folder_id=await tenant.folder("Child", root))
        with count_statements(engine) as few:
            await gql(client, tenant.token, query)
        for i in range(1, 12):
            await tenant.folder(f"Root {i}")
        with count_statements(engine) as many:
            _, body = await gql(client, tenant.token, query)
        assert len(body["data"]["folders"]["edges"]) == 12
        assert len(many) == len(few)


class TestRaces:
    async def test_two_crossing_moves_never_make_a_cycle(self, client, tenant):
        for _ in range(5):
            a, b = await tenant.folder(f"A {_}"), await tenant.folder(f"B {_}")
            answers = await asyncio.gather(
                gql(client, tenant.token, MOVE, {"input": {"id": fid(a), "parentId": fid(b)}}),
                gql(client, tenant.token, MOVE, {"input": {"id": fid(b), "parentId": fid(a)}}),
            )
            outcomes = sorted(tuple(errors_of(body, "moveFolder")) for _, body in answers)
            assert outcomes == [(), (("INVALID_INPUT", "parentId"),)]
            parents = {(await folder_row(tenant, a)).parent_id, (await folder_row(tenant, b)).parent_id}
            assert None in parents  # one of them is still at the root: no cycle
