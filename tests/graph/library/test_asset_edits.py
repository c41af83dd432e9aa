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
