"""createTag, renameTag, mergeTags, deleteTag: over real storage, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows

CREATE = """mutation($name: String!) { createTag(input: {name: $name}) {
    tag { id name } userErrors { code message field } } }"""
RENAME = """mutation($id: ID!, $name: String!) { renameTag(input: {id: $id, name: $name}) {
    tag { id name } userErrors { code message field } } }"""
MERGE = """mutation($source: ID!, $target: ID!) { mergeTags(input: {sourceId: $source, targetId: $target}) {
    tag { id name assets { totalCount } } userErrors { code message field } } }"""
DELETE = """mutation($id: ID!) { deleteTag(input: {id: $id}) { deletedTagId userErrors { code message field } } }"""


def tid(pk: int) -> str:
    return to_global_id("Tag", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


async def tags_of(tenant, asset):
    at = t.asset_tags
    async with tenant.engine.connect() as conn:
        return {r.tag_id for r in await conn.execute(sa.select(at.c.tag_id).where(at.c.asset_id == asset))}


async def tag_names(tenant):
    async with tenant.engine.connect() as conn:
        rows = await conn.execute(sa.select(t.tags.c.name).where(t.tags.c.org_id == tenant.org_id))
        return sorted(r.name for r in rows)


class TestCreateAndRename:
    async def test_an_editor_creates_a_tag_stored_as_typed(self, client, tenant):
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(client, editor, CREATE, {"name": " café 👨‍👩‍👧 "})
        assert (
            errors_of(body, "createTag") == [] and body["data"]["createTag"]["tag"]["name"] == "café 👨‍👩‍👧"
        )
        assert await events_of(tenant, "tag.created") == 1

    @pytest.mark.parametrize("name", ["HERO", "hero\u200b", "he\u00adro"])
    async def test_a_name_that_looks_taken_is_a_conflict(self, client, tenant, name):
        await tenant.tag("Hero")
        _, body = await gql(client, tenant.token, CREATE, {"name": name})
        assert errors_of(body, "createTag") == [("CONFLICT", "name")]
        assert await tag_names(tenant) == ["Hero"] and await events_of(tenant, "tag.created") == 0

    async def test_rename_and_a_new_spelling_of_the_same_key(self, client, tenant):
        hero = await tenant.tag("hero")
        await tenant.tag("Sky")
        _, body = await gql(client, tenant.token, RENAME, {"id": tid(hero), "name": "Hero"})
        assert body["data"]["renameTag"]["tag"]["name"] == "Hero"
        _, body = await gql(client, tenant.token, RENAME, {"id": tid(hero), "name": "SKY"})
        assert errors_of(body, "renameTag") == [("CONFLICT", "name")]
        _, body = await gql(client, tenant.token, RENAME, {"id": tid(hero), "name": "Hero"})
        assert errors_of(body, "renameTag") == []
        assert await tag_names(tenant) == ["Hero", "Sky"]
        assert await events_of(tenant, "tag.renamed") == 1

    @pytest.mark.parametrize("name", ["", "\u200b", "a\x00", "a\u0085b"])
    async def test_bad_names_are_invalid_input(self, client, tenant, name):
        hero = await tenant.tag("Hero")
        _, body = await gql(client, tenant.token, CREATE, {"name": name})
        assert errors_of(body, "createTag") == [("INVALID_INPUT", "name")]
        _, body = await gql(client, tenant.token, RENAME, {"id": tid(hero), "name": name})
        assert errors_of(body, "renameTag") == [("INVALID_INPUT", "name")]
        assert await tag_names(tenant) == ["Hero"]


class TestMerge:
    async def test_links_move_to_the_target_without_duplicates_and_the_source_goes(self, client, tenant):
        hero, sky = await tenant.tag("Hero"), await tenant.tag("Sky")
        both = await tenant.asset("Both", tags=(hero, sky))
        only = await tenant.asset("Hero only", tags=(hero,))
        _, body = await gql(client, tenant.token, MERGE, {"source": tid(hero), "target": tid(sky)})
        payload = body["data"]["mergeTags"]
        assert payload["userErrors"] == []
        assert payload["tag"] == {"id": tid(sky), "name": "Sky", "assets": {"totalCount": 2}}
        assert await tags_of(tenant, both) == {sky} and await tags_of(tenant, only) == {sky}
        assert await tag_names(tenant) == ["Sky"]
        assert await events_of(tenant, "tag.merged") == 1

    async def test_a_tag_merged_into_itself_is_invalid_input(self, client, tenant):
        hero = await tenant.tag("Hero")
        _, body = await gql(client, tenant.token, MERGE, {"source": tid(hero), "target": tid(hero)})
        assert errors_of(body, "mergeTags") == [("INVALID_INPUT", "targetId")]
        assert await tag_names(tenant) == ["Hero"]

    async def test_another_organisations_tag_is_not_found_and_nothing_moves(self, client, engine, tenant):
        hero = await tenant.tag("Hero")
        asset = await tenant.asset("A", tags=(hero,))
        other = await make_tenant(engine)
        theirs = await other.tag("Theirs")
        _, body = await gql(client, tenant.token, MERGE, {"source": tid(hero), "target": tid(theirs)})
        assert errors_of(body, "mergeTags") == [("NOT_FOUND", "targetId")]
        _, body = await gql(client, tenant.token, MERGE, {"source": tid(theirs), "target": tid(hero)})
        assert errors_of(body, "mergeTags") == [("NOT_FOUND", "sourceId")]
        assert await tags_of(tenant, asset) == {hero} and await tag_names(other) == ["Theirs"]
        assert await events_of(tenant, "tag.merged") == 0

    async def test_a_malformed_id_is_a_top_level_not_found_naming_the_field(self, client, tenant):
        hero = await tenant.tag("Hero")
        _, body = await gql(client, tenant.token, MERGE, {"source": tid(hero), "target": "Zm9vOjE="})
        error = body["errors"][0]["extensions"]
        assert (error["code"], error["field"]) == ("NOT_FOUND", "targetId")


class TestDelete:
    async def test_the_tag_and_its_links_go_and_the_assets_stay(self, client, tenant):
        hero, sky = await tenant.tag("Hero"), await tenant.tag("Sky")
        asset = await tenant.asset("A", tags=(hero, sky))
        _, body = await gql(client, tenant.token, DELETE, {"id": tid(hero)})
        assert body["data"]["deleteTag"] == {"deletedTagId": tid(hero), "userErrors": []}
        assert await tags_of(tenant, asset) == {sky} and await count_rows(tenant, t.assets) == 1
        assert await events_of(tenant, "tag.deleted") == 1
        _, body = await gql(client, tenant.token, DELETE, {"id": tid(hero)})
        assert errors_of(body, "deleteTag") == [("NOT_FOUND", "id")]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CREATOR])
async def test_below_editor_nothing_is_written(client, tenant, role):
    hero, sky = await tenant.tag("Hero"), await tenant.tag("Sky")
    asset = await tenant.asset("A", tags=(hero,))
    _, token = await tenant.member(role)
    calls = [
        ("createTag", CREATE, {"name": "New"}),
        ("renameTag", RENAME, {"id": tid(hero), "name": "New"}),
        ("mergeTags", MERGE, {"source": tid(hero), "target": tid(sky)}),
        ("deleteTag", DELETE, {"id": tid(hero)}),
    ]
    for name, query, variables in calls:
        _, body = await gql(client, token, query, variables)
        assert errors_of(body, name) == [("FORBIDDEN", None)], name
    assert await tag_names(tenant) == ["Hero", "Sky"] and await tags_of(tenant, asset) == {hero}
    async with tenant.engine.connect() as conn:
        events = t.events
        n = await conn.execute(
            sa.select(sa.func.count())
            .select_from(events)
            .where(events.c.org_id == tenant.org_id, events.c.type.like("tag.%"))
        )
        assert n.scalar_one() == 0
