"""updateAsset: rename, describe, alt text, move to a folder."""

from __future__ import annotations

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

UPDATE = """mutation($input: UpdateAssetInput!) { updateAsset(input: $input) {
    asset { id name description altText folder { name } updatedAt } userErrors { code message field } } }"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def fid(pk: int) -> str:
    return to_global_id("Folder", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


async def asset_row(tenant, pk):
    async with tenant.engine.connect() as conn:
        return (await conn.execute(sa.select(t.assets).where(t.assets.c.id == pk))).one()


class TestUpdateAsset:
    async def test_fields_left_out_stay_and_null_clears_the_description_and_moves_to_the_root(
        self, client, tenant
    ):
        folder = await tenant.folder("Summer")
        asset = await tenant.asset("Hero", description="Old")
        before = (await asset_row(tenant, asset)).updated_at
        _, editor = await tenant.member(Role.EDITOR)
        change = {"name": " Beach hero ", "altText": "A red kite over a sandy beach", "folderId": fid(folder)}
        _, body = await gql(client, editor, UPDATE, {"input": {"id": aid(asset), **change}})
        payload = body["data"]["updateAsset"]
        assert payload["userErrors"] == []
        assert payload["asset"]["name"] == "Beach hero"
        assert payload["asset"]["description"] == "Old"
        assert payload["asset"]["altText"] == "A red kite over a sandy beach"
        assert payload["asset"]["folder"] == {"name": "Summer"}
        row = await asset_row(tenant, asset)
        assert row.updated_at > before
        _, body = await gql(
            client, editor, UPDATE, {"input": {"id": aid(asset), "description": None, "folderId": None}}
        )
        payload = body["data"]["updateAsset"]["asset"]
        assert (payload["name"], payload["description"], payload["folder"]) == ("Beach hero", "", None)
        assert await events_of(tenant, "asset.updated") == 2

    async def test_no_change_records_nothing_and_keeps_updated_at(self, client, tenant):
        asset = await tenant.asset("Hero")
        before = (await asset_row(tenant, asset)).updated_at
        _, body = await gql(
            client, tenant.token, UPDATE, {"input": {"id": aid(asset), "name": "Hero", "folderId": None}}
        )
        assert errors_of(body, "updateAsset") == []
        assert (await asset_row(tenant, asset)).updated_at == before
        assert await events_of(tenant, "asset.updated") == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "a\tb"}, "name"),
            ({"description": "x\x00"}, "description"),
            ({"altText": "Image of a kite"}, "altText"),
            ({"altText": "kite, beach, sun, sand"}, "altText"),
        ],
    )
    async def test_bad_text_is_invalid_input_and_nothing_changes(self, client, tenant, change, field):
        asset = await tenant.asset("Hero")
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": aid(asset), **change}})
        assert errors_of(body, "updateAsset") == [("INVALID_INPUT", field)]
        assert (await asset_row(tenant, asset)).name == "Hero"
        assert await events_of(tenant, "asset.updated") == 0

    async def test_alt_text_that_copies_the_prompt_is_refused(self, client, tenant):
        prompt = "a red kite flying over a sandy beach at sunset"
        asset = await tenant.asset("Hero", ai_generated=True, prompt=prompt)
        _, body = await gql(
            client,
            tenant.token,
            UPDATE,
            {"input": {"id": aid(asset), "altText": "A red kite flying over a sandy beach at sunset."}},
        )
        assert errors_of(body, "updateAsset") == [("INVALID_INPUT", "altText")]
        assert (await asset_row(tenant, asset)).alt_text == ""

    async def test_a_trashed_asset_is_not_edited(self, client, tenant):
        asset = await tenant.asset("Hero", trashed_at=now())
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": aid(asset), "name": "X"}})
        assert errors_of(body, "updateAsset") == [("INVALID_STATE", "id")]
        assert (await asset_row(tenant, asset)).name == "Hero"
        assert await events_of(tenant, "asset.updated") == 0

    async def test_a_creator_is_forbidden_and_other_organisations_ids_are_not_found(
        self, client, engine, tenant
    ):
        asset = await tenant.asset("Hero")
        _, creator = await tenant.member(Role.CREATOR)
        _, body = await gql(client, creator, UPDATE, {"input": {"id": aid(asset), "name": "X"}})
        assert errors_of(body, "updateAsset") == [("FORBIDDEN", None)]
        other = await make_tenant(engine)
        theirs, their_folder = await other.asset("Theirs"), await other.folder("Theirs")
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": aid(theirs), "name": "X"}})
        assert errors_of(body, "updateAsset") == [("NOT_FOUND", "id")]
        _, body = await gql(
            client, tenant.token, UPDATE, {"input": {"id": aid(asset), "folderId": fid(their_folder)}}
        )
        assert errors_of(body, "updateAsset") == [("NOT_FOUND", "folderId")]
        row = await asset_row(tenant, asset)
        assert (row.name, row.folder_id) == ("Hero", None)
        assert await events_of(tenant, "asset.updated") == 0


BULK = """mutation($input: UpdateAssetsInput!) { updateAssets(input: $input) {
    assets { id folder { name } tags { name } projects { name } } userErrors { code field index id } } }"""


class TestUpdateAssets:
    async def test_moves_tags_and_links_every_asset_and_records_only_what_changed(self, client, tenant):
        folder = await tenant.folder("Summer")
        old_tag, project, gone = (
            await tenant.tag("old"),
            await tenant.project("Launch"),
            await tenant.project("Gone"),
        )
        a = await tenant.asset("A", tags=(old_tag,), projects=(gone,))
        b = await tenant.asset("B", folder_id=folder)
        _, editor = await tenant.member(Role.EDITOR)
        change = {
            "ids": [aid(a), aid(b)],
            "folderId": fid(folder),
            "addTags": ["Hero", "HERO"],
            "removeTagIds": [to_global_id("Tag", old_tag)],
            "addProjectIds": [to_global_id("Project", project)],
            "removeProjectIds": [to_global_id("Project", gone)],
        }
        _, body = await gql(client, editor, BULK, {"input": change})
        payload = body["data"]["updateAssets"]
        assert payload["userErrors"] == []
        assert [x["folder"] for x in payload["assets"]] == [{"name": "Summer"}] * 2
        assert [x["tags"] for x in payload["assets"]] == [[{"name": "Hero"}]] * 2
        assert [x["projects"] for x in payload["assets"]] == [[{"name": "Launch"}]] * 2
        assert await events_of(tenant, "asset.updated") == 2
        assert await events_of(tenant, "tag.created") == 1
        _, body = await gql(client, editor, BULK, {"input": change})
        assert body["data"]["updateAssets"]["userErrors"] == []
        assert await events_of(tenant, "asset.updated") == 2

    async def test_is_favorite_answers_as_favourited_by_viewer_for_each_member(self, client, tenant):
        a = await tenant.asset("A")
        _, viewer = await tenant.member(Role.VIEWER)
        await gql(client, viewer, FAVOURITE, {"ids": [aid(a)]})
        query = "query($id: ID!) { node(id: $id) { ... on Asset { isFavorite favouritedByViewer } } }"
        _, mine = await gql(client, viewer, query, {"id": aid(a)})
        _, admins = await gql(client, tenant.token, query, {"id": aid(a)})
        assert mine["data"]["node"] == {"isFavorite": True, "favouritedByViewer": True}
        assert admins["data"]["node"] == {"isFavorite": False, "favouritedByViewer": False}

    async def test_bad_items_are_named_and_nothing_is_written(self, client, engine, tenant):
        good = await tenant.asset("Good")
        trashed = await tenant.asset("Trashed", trashed_at=now())
        theirs = await (await make_tenant(engine)).asset("Theirs")
        ids = [aid(good), aid(theirs), "nonsense", aid(good), aid(trashed)]
        _, body = await gql(client, tenant.token, BULK, {"input": {"ids": ids, "addTags": ["New"]}})
        errors = body["data"]["updateAssets"]["userErrors"]
        assert [(e["code"], e["index"], e["id"]) for e in errors] == [
            ("NOT_FOUND", 1, aid(theirs)),
            ("NOT_FOUND", 2, "nonsense"),
            ("INVALID_INPUT", 3, aid(good)),
            ("INVALID_STATE", 4, aid(trashed)),
        ]
        assert await count_rows(tenant, t.asset_tags) == 0
        assert await count_rows(tenant, t.tags) == 0
        assert await events_of(tenant, "asset.updated") == 0

    async def test_other_organisations_folders_projects_and_tags_are_not_found(self, client, engine, tenant):
        asset = await tenant.asset("A")
        other = await make_tenant(engine)
        folder, project, tag = await other.folder("F"), await other.project("P"), await other.tag("T")
        for change, field in (
            ({"folderId": fid(folder)}, "folderId"),
            ({"addProjectIds": [to_global_id("Project", project)]}, "addProjectIds[0]"),
            ({"removeTagIds": [to_global_id("Tag", tag)]}, "removeTagIds[0]"),
        ):
            _, body = await gql(client, tenant.token, BULK, {"input": {"ids": [aid(asset)], **change}})
            assert [(e["code"], e["field"]) for e in body["data"]["updateAssets"]["userErrors"]] == [
                ("NOT_FOUND", field)
            ]
        assert await events_of(tenant, "asset.updated") == 0

    async def test_an_archived_project_takes_no_assets_and_a_creator_is_forbidden(self, client, tenant):
        asset = await tenant.asset("A")
        archived = await tenant.project("Old", archived=True)
        change = {"ids": [aid(asset)], "addProjectIds": [to_global_id("Project", archived)]}
        _, body = await gql(client, tenant.token, BULK, {"input": change})
        assert errors_of(body, "updateAssets") == [("INVALID_STATE", "addProjectIds[0]")]
        _, creator = await tenant.member(Role.CREATOR)
        _, body = await gql(client, creator, BULK, {"input": {"ids": [aid(asset)], "folderId": None}})
        assert errors_of(body, "updateAssets") == [("FORBIDDEN", None)]

    async def test_500_assets_take_the_same_statements_as_one(self, client, tenant):
        folder = await tenant.folder("Summer")
        project, tag = await tenant.project("Launch"), await tenant.tag("old")
        ids = [aid(await tenant.asset(f"A{i}", tags=(tag,))) for i in range(500)]
        counts = []
        for chosen in (ids[:1], ids[1:]):
            change = {
                "ids": chosen,
                "folderId": fid(folder),
                "addTags": ["Hero"],
                "removeTagIds": [to_global_id("Tag", tag)],
                "addProjectIds": [to_global_id("Project", project)],
            }
            with count_statements(tenant.engine) as statements:
                _, body = await gql(
                    client,
                    tenant.token,
                    "mutation($input: UpdateAssetsInput!) { updateAssets(input: $input) "
                    "{ userErrors { code } } }",
                    {"input": change},
                )
            assert body["data"]["updateAssets"]["userErrors"] == []
            counts.append(len(statements))
        assert counts[0] == counts[1]
        assert await events_of(tenant, "asset.updated") == 500


FAVOURITE = """mutation($ids: [ID!]!) { favouriteAssets(input: {ids: $ids}) {
    assets { id favouritedByViewer } userErrors { code field index id } } }"""
UNFAVOURITE = """mutation($ids: [ID!]!) { unfavouriteAssets(input: {ids: $ids}) {
    assets { id favouritedByViewer } userErrors { code field index id } } }"""


class TestFavourites:
    async def test_favourites_are_per_member_idempotent_and_open_to_viewers(self, client, tenant):
        a, b = await tenant.asset("A"), await tenant.asset("B")
        _, viewer = await tenant.member(Role.VIEWER)
        for _ in range(2):
            _, body = await gql(client, viewer, FAVOURITE, {"ids": [aid(a), aid(b)]})
            payload = body["data"]["favouriteAssets"]
            assert payload["userErrors"] == []
            assert [x["favouritedByViewer"] for x in payload["assets"]] == [True, True]
        assert await events_of(tenant, "asset.favourited") == 1
        _, body = await gql(client, tenant.token, UNFAVOURITE, {"ids": [aid(a)]})
        assert body["data"]["unfavouriteAssets"]["assets"] == [{"id": aid(a), "favouritedByViewer": False}]
        assert await events_of(tenant, "asset.unfavourited") == 0  # the admin had none
        assert await count_rows(tenant, t.asset_favourites) == 2
        _, body = await gql(client, viewer, UNFAVOURITE, {"ids": [aid(a)]})
        assert body["data"]["unfavouriteAssets"]["assets"] == [{"id": aid(a), "favouritedByViewer": False}]
        assert await count_rows(tenant, t.asset_favourites) == 1
        assert await events_of(tenant, "asset.unfavourited") == 1

    async def test_bad_items_are_named_and_nothing_is_written(self, client, engine, tenant):
        good = await tenant.asset("Good")
        trashed = await tenant.asset("Trashed", trashed_at=now())
        theirs = await (await make_tenant(engine)).asset("Theirs")
        _, body = await gql(client, tenant.token, FAVOURITE, {"ids": [aid(good), aid(theirs), aid(trashed)]})
        errors = body["data"]["favouriteAssets"]["userErrors"]
        assert [(e["code"], e["index"]) for e in errors] == [("NOT_FOUND", 1), ("INVALID_STATE", 2)]
        assert await count_rows(tenant, t.asset_favourites) == 0
        assert await events_of(tenant, "asset.favourited") == 0

    async def test_500_favourites_take_the_same_statements_as_one(self, client, tenant):
        ids = [aid(await tenant.asset(f"A{i}")) for i in range(500)]
        counts = []
        for chosen in (ids[:1], ids[1:]):
            with count_statements(tenant.engine) as statements:
                _, body = await gql(client, tenant.token, FAVOURITE, {"ids": chosen})
            assert body["data"]["favouriteAssets"]["userErrors"] == []
            counts.append(len(statements))
        assert counts[0] == counts[1]


RATE = """mutation($ids: [ID!]!, $rating: Int!) { rateAssets(input: {ids: $ids, rating: $rating}) {
    assets { id rating } userErrors { code field index id } } }"""


class TestRatings:
    async def test_a_rating_is_set_once_and_recorded_only_when_it_changes(self, client, tenant):
        a, b = await tenant.asset("A"), await tenant.asset("B", rating=4)
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(client, editor, RATE, {"ids": [aid(a), aid(b)], "rating": 4})
        assert body["data"]["rateAssets"] == {
            "assets": [{"id": aid(a), "rating": 4}, {"id": aid(b), "rating": 4}],
            "userErrors": [],
        }
        assert await events_of(tenant, "asset.rated") == 1
        _, body = await gql(client, editor, RATE, {"ids": [aid(a)], "rating": 0})
        assert (await asset_row(tenant, a)).rating == 0
        assert await events_of(tenant, "asset.rated") == 2

    @pytest.mark.parametrize("rating", [-1, 6])
    async def test_a_rating_outside_0_to_5_is_invalid_input(self, client, tenant, rating):
        a = await tenant.asset("A")
        _, body = await gql(client, tenant.token, RATE, {"ids": [aid(a)], "rating": rating})
        assert errors_of(body, "rateAssets") == [("INVALID_INPUT", "rating")]

    async def test_a_creator_is_forbidden_and_bad_items_write_nothing(self, client, engine, tenant):
        a = await tenant.asset("A")
        trashed = await tenant.asset("T", trashed_at=now())
        theirs = await (await make_tenant(engine)).asset("Theirs")
        _, creator = await tenant.member(Role.CREATOR)
        _, body = await gql(client, creator, RATE, {"ids": [aid(a)], "rating": 3})
        assert errors_of(body, "rateAssets") == [("FORBIDDEN", None)]
        _, body = await gql(
            client, tenant.token, RATE, {"ids": [aid(a), aid(theirs), aid(trashed)], "rating": 3}
        )
        errors = body["data"]["rateAssets"]["userErrors"]
        assert [(e["code"], e["index"]) for e in errors] == [("NOT_FOUND", 1), ("INVALID_STATE", 2)]
        assert (await asset_row(tenant, a)).rating == 0
        assert await events_of(tenant, "asset.rated") == 0

    async def test_500_ratings_take_the_same_statements_as_one(self, client, tenant):
        ids = [aid(await tenant.asset(f"A{i}")) for i in range(500)]
        counts = []
        for chosen in (ids[:1], ids[1:]):
            with count_statements(tenant.engine) as statements:
                _, body = await gql(client, tenant.token, RATE, {"ids": chosen, "rating": 5})
            assert body["data"]["rateAssets"]["userErrors"] == []
            counts.append(len(statements))
        assert counts[0] == counts[1]
        assert await events_of(tenant, "asset.rated") == 500
