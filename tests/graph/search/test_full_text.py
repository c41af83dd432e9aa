"""Full-text search: every text source, kept in step with every change in its transaction, hostile text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from graph.relay.ids import to_global_id
from tests.builders import codes, gql
from tests.graph.search.finding import ASSETS, find, names

RENAME_TAG = """mutation($id: ID!, $name: String!) { renameTag(input: {id: $id, name: $name}) {
    userErrors { code } } }"""
MERGE_TAGS = """mutation($s: ID!, $t: ID!) { mergeTags(input: {sourceId: $s, targetId: $t}) { userErrors { code } } }"""
DELETE_TAG = """mutation($id: ID!) { deleteTag(input: {id: $id}) { userErrors { code } } }"""
UPDATE_ASSET = (
    """mutation($input: UpdateAssetInput!) { updateAsset(input: $input) { userErrors { code } } }"""
)
UPDATE_ASSETS = (
    """mutation($input: UpdateAssetsInput!) { updateAssets(input: $input) { userErrors { code } } }"""
)


async def ok(client, tenant, mutation, variables):
    _, body = await gql(client, tenant.token, mutation, variables)
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert payload["userErrors"] == [], payload


class TestSources:
    @pytest.mark.parametrize("column", ["name", "description", "alt_text", "prompt", "negative_prompt"])
    async def test_a_word_of_each_text_column_finds_its_asset(self, client, tenant, column):
        values = {"name": "plain"} | {column: "a lighthouse at dusk"}
        name = values.pop("name")
        await tenant.asset(name, **values)
        await tenant.asset("unrelated", prompt="a meadow")
        assert await names(client, tenant, search="LIGHTHOUSE") == [name]

    async def test_tag_names_are_searched(self, client, tenant):
        tag = await tenant.tag("Autumn Campaign")
        await tenant.asset("tagged", tags=(tag,))
        await tenant.asset("untagged")
        assert await names(client, tenant, search="autumn") == ["tagged"]

    async def test_every_word_must_appear_somewhere_in_the_asset(self, client, tenant):
        tag = await tenant.tag("hero")
        await tenant.asset("red fox", tags=(tag,), prompt="in the snow")
        await tenant.asset("red car", prompt="in the city")
        assert await names(client, tenant, search="red hero snow") == ["red fox"]
        assert await names(client, tenant, search="red") == ["red car", "red fox"]
        assert await names(client, tenant, search="red hero city") == []

    async def test_whole_words_only_and_case_does_not_matter(self, client, tenant):
        await tenant.asset("Foxglove")
        await tenant.asset("FOX")
        assert await names(client, tenant, search="fox") == ["FOX"]


class TestInStep:
    async def test_a_tag_rename_merge_and_delete_reach_the_index(self, client, tenant):
        old, target = await tenant.tag("oldname"), await tenant.tag("target")
        asset = await tenant.asset("tagged", tags=(old,))
        await ok(client, tenant, RENAME_TAG, {"id": to_global_id("Tag", old), "name": "renamed"})
        assert await names(client, tenant, search="oldname") == []
        assert await names(client, tenant, search="renamed") == ["tagged"]
        await ok(
            client, tenant, MERGE_TAGS, {"s": to_global_id("Tag", old), "t": to_global_id("Tag", target)}
        )
        assert await names(client, tenant, search="renamed") == []
        assert await names(client, tenant, search="target") == ["tagged"]
        await ok(client, tenant, DELETE_TAG, {"id": to_global_id("Tag", target)})
        assert await names(client, tenant, search="target") == []
        assert asset

    async def test_tags_added_and_removed_in_bulk_reach_the_index(self, client, tenant):
        ids = [await tenant.asset(f"a{i}") for i in range(3)]
        gids = [to_global_id("Asset", i) for i in ids]
        await ok(client, tenant, UPDATE_ASSETS, {"input": {"ids": gids, "addTags": ["Sunrise"]}})
        assert sorted(await names(client, tenant, search="sunrise")) == ["a0", "a1", "a2"]
        found = await find(client, tenant, search="sunrise")
        assert found["totalCount"] == 3
        _, body = await gql(client, tenant.token, "{ tags(first: 5) { edges { node { id name } } } }")
        sunrise = body["data"]["tags"]["edges"][0]["node"]["id"]
        await ok(client, tenant, UPDATE_ASSETS, {"input": {"ids": gids[:2], "removeTagIds": [sunrise]}})
        assert await names(client, tenant, search="sunrise") == ["a2"]

    async def test_an_edit_reaches_the_index(self, client, tenant):
        asset = await tenant.asset("before", description="old words")
        await ok(
            client,
            tenant,
            UPDATE_ASSET,
            {"input": {"id": to_global_id("Asset", asset), "name": "after", "description": "new words"}},
        )
        assert await names(client, tenant, search="old") == []
        assert await names(client, tenant, search="before") == []
        assert await names(client, tenant, search="new after") == ["after"]

    async def test_an_edit_rolled_back_leaves_the_index_as_it_was(self, client, adapters, tenant):
        asset = await tenant.asset("kept", description="original")
        uow = adapters.uow()
        async with uow:
            found = (await uow.library.assets(tenant.org_id, [asset]))[asset]
            await uow.library.update_asset(replace(found, description="discarded"))
            # leaving without commit rolls the edit back, and the index's change with it
        assert await names(client, tenant, search="discarded") == []
        assert await names(client, tenant, search="original") == ["kept"]

    async def test_a_deleted_asset_leaves_the_index(self, client, tenant):
        import sqlalchemy as sa

        from storage.sql import tables as t

        asset = await tenant.asset("doomed", prompt="ephemeral")
        await tenant.run(lambda c: c.execute(sa.delete(t.assets).where(t.assets.c.id == asset)))
        assert await names(client, tenant, search="ephemeral") == []


class TestRelevance:
    async def test_the_name_outranks_a_prompt_and_more_hits_outrank_fewer(self, client, tenant):
        await tenant.asset("other", prompt="a lighthouse far away")
        await tenant.asset("Lighthouse")
        await tenant.asset("none", prompt="a meadow")
        found = await names(client, tenant, search="lighthouse", sort={"field": "RELEVANCE"})
        assert found == ["Lighthouse", "other"]
        worst_first = await names(
            client, tenant, search="lighthouse", sort={"field": "RELEVANCE", "direction": "ASC"}
        )
        assert worst_first == ["other", "Lighthouse"]

    async def test_relevance_pages_walk_every_match_once(self, client, tenant):
        for i in range(7):
            await tenant.asset(f"m{i}", prompt="tide " * (i % 3 + 1) + "pool")
        seen, after = [], None
        while True:
            conn = await find(
                client, tenant, first=2, after=after, search="tide", sort={"field": "RELEVANCE"}
            )
            seen += [e["node"]["name"] for e in conn["edges"]]
            if not conn["pageInfo"]["hasNextPage"]:
                break
            after = conn["pageInfo"]["endCursor"]
        assert sorted(seen) == [f"m{i}" for i in range(7)]

    @pytest.mark.parametrize("field", ["NAME", "BYTE_SIZE", "UPDATED_AT"])
    async def test_other_orders_apply_to_the_matches(self, client, tenant, field):
        await tenant.asset("b match", prompt="kelp", byte_size=2)
        await tenant.asset("a match", prompt="kelp", byte_size=1)
        await tenant.asset("c miss", prompt="reef", byte_size=0)
        found = await names(client, tenant, search="kelp", sort={"field": field, "direction": "ASC"})
        assert found == (["b match", "a match"] if field == "UPDATED_AT" else ["a match", "b match"])


HOSTILE = [
    '"',
    '"unbalanced',
    "fox*",
    "NEAR(fox cat)",
    "-fox",
    "name:fox",
    "fox AND OR NOT",
    "(((",
    "^fox",
    "fox'); DROP TABLE assets; --",
    "\\",
    "🦊 fox",
    "fox & | ! <->",
    "*",
]


class TestHostileText:
    @pytest.mark.parametrize("text", HOSTILE)
    async def test_syntax_of_either_engine_is_only_words(self, client, tenant, text):
        await tenant.asset("fox asset", prompt="a fox")
        conn = await find(client, tenant, search=text, sort={"field": "RELEVANCE"})
        # only the words count, each as a word the asset must hold
        words = set(re.findall(r"\w+", text.casefold()))
        expected = ["fox asset"] if words and words <= {"a", "fox"} else []
        assert [e["node"]["name"] for e in conn["edges"]] == expected
        assert conn["totalCount"] == len(expected)

    async def test_a_blank_search_is_no_search(self, client, tenant):
        await tenant.asset("anything")
        assert await names(client, tenant, search="  \t ") == ["anything"]

    async def test_a_search_of_no_words_finds_nothing(self, client, tenant):
        await tenant.asset("anything")
        conn = await find(client, tenant, search="*** ---")
        assert conn["edges"] == [] and conn["totalCount"] == 0

    @pytest.mark.parametrize("text", ["x" * 10_000, "fox\x00cat"])
    async def test_too_long_or_nul_is_invalid_input(self, client, tenant, text):
        _, body = await gql(client, tenant.token, ASSETS, {"search": text})
        assert codes(body) == ["INVALID_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "search"
