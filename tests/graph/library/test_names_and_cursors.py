"""Cursors that page on whatever a name holds; names that look the same are one name (issue 9)."""

from __future__ import annotations

import pytest

from graph.relay.ids import MAX_CURSOR_LENGTH, to_global_id
from tests.builders import gql
from tests.graph.library.test_save_to_library import generated
from tests.graph.mutations import SAVE

# Each hostile name of the issue, next to plain ones so the order has something to sort.
HOSTILE = [
    "👩\u200d👩\u200d👧\u200d👦 family",  # emoji ZWJ sequence
    "🏳\ufe0f\u200d🌈",  # flag sequence with a variation selector
    "\u202eevil.exe",  # right-to-left override
    "a\u200bb",  # zero-width space
    "漢" * 200,  # 200 CJK characters
    "字" * 199 + "漢",
    "Café 👨\u200d👩\u200d👧 \u202b\u200cמוצר\u202c 漢字 ǅ ﬀ \u00a0 nbsp",  # a NUL-free mix (a tab is refused)
    "alpha",
    "Zulu",
]
# the longest key a 200-character name can have: each U+1D161 folds to 3 code points, 12 bytes
WORST = "\U0001d161" * 200

CREATE_PROJECT = """mutation($name: String!) { createProject(input: {name: $name}) {
    project { id name } userErrors { code field } } }"""
CREATE_FOLDER = """mutation($name: String!, $parent: ID) { createFolder(input: {name: $name, parentId: $parent}) {
    folder { id name } userErrors { code field } } }"""


async def walk(client, token, field, *, args=""):
    """Every name of a list, paged one by one, and the cursors handed out on the way."""
    query = f"""query($after: String) {{ {field}(first: 1, after: $after{args}) {{
        edges {{ node {{ name }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
    names, cursors, after = [], [], None
    while True:
        _, body = await gql(client, token, query, {"after": after})
        assert "errors" not in body, body
        conn = body["data"][field]
        names += [e["node"]["name"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return names, cursors
        after = conn["pageInfo"]["endCursor"]
        cursors.append(after)
        assert len(names) <= 50, "paging does not end"


async def whole(client, token, field, *, args=""):
    _, body = await gql(client, token, f"{{ {field}(first: 100{args}) {{ edges {{ node {{ name }} }} }} }}")
    return [e["node"]["name"] for e in body["data"][field]["edges"]]


class TestEveryCursorPagesOn:
    async def test_projects_named_with_hostile_names_page_through_once_each_in_order(self, client, tenant):
        for name in [*HOSTILE, WORST]:
            _, body = await gql(client, tenant.token, CREATE_PROJECT, {"name": name})
            assert body["data"]["createProject"]["userErrors"] == []
        names, cursors = await walk(client, tenant.token, "projects")
        assert names == await whole(client, tenant.token, "projects")
        assert sorted(names) == sorted([*HOSTILE, WORST])  # each once, byte for byte
        assert max(len(c) for c in cursors) <= MAX_CURSOR_LENGTH

    async def test_folders_named_with_hostile_names_page_through_once_each_in_order(self, client, tenant):
        _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": "parent"})
        parent = body["data"]["createFolder"]["folder"]["id"]
        for name in HOSTILE:
            _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": name, "parent": parent})
            assert body["data"]["createFolder"]["userErrors"] == []
        args = f', parentId: "{parent}"'
        names, _ = await walk(client, tenant.token, "folders", args=args)
        assert names == await whole(client, tenant.token, "folders", args=args)
        assert sorted(names) == sorted(HOSTILE)

    async def test_tags_named_with_hostile_names_page_through_once_each_in_order(self, client, tenant):
        for name in [*HOSTILE, WORST]:
            await tenant.tag(name)
        names, _ = await walk(client, tenant.token, "tags")
        assert names == await whole(client, tenant.token, "tags")
        assert sorted(names) == sorted([*HOSTILE, WORST])

    async def test_assets_newest_first_page_through_once_each(self, client, tenant):
        for name in HOSTILE:
            await tenant.asset(name)
        names, _ = await walk(client, tenant.token, "assets")
        assert names == list(reversed(HOSTILE))

    async def test_a_folders_assets_page_on_with_cursors_of_the_nested_list(self, client, tenant):
        folder = await tenant.folder("F")
        for name in HOSTILE[:3]:
            await tenant.asset(name, folder_id=folder)
        query = """query($id: ID!, $after: String) { node(id: $id) { ... on Folder {
            assets(first: 1, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } } } }"""
        seen, after = [], None
        while True:
            _, body = await gql(
                client, tenant.token, query, {"id": to_global_id("Folder", folder), "after": after}
            )
            conn = body["data"]["node"]["assets"]
            seen += [e["node"]["name"] for e in conn["edges"]]
            if not conn["pageInfo"]["hasNextPage"]:
                break
            after = conn["pageInfo"]["endCursor"]
        assert seen == list(reversed(HOSTILE[:3]))


NFC, NFD = "café", "cafe\u0301"


class TestNamesThatLookTheSameAreOne:
    async def test_a_project_named_in_the_other_normal_form_is_a_conflict(self, client, tenant):
        _, body = await gql(client, tenant.token, CREATE_PROJECT, {"name": NFC})
        assert body["data"]["createProject"]["project"]["name"] == NFC
        for other in (NFD, "CAFE\u0301", "Caf\u00c9"):
            _, body = await gql(client, tenant.token, CREATE_PROJECT, {"name": other})
            assert body["data"]["createProject"]["userErrors"] == [{"code": "CONFLICT", "field": "name"}]

    async def test_sibling_folders_cannot_differ_only_by_normalisation(self, client, tenant):
        _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": NFD})
        first = body["data"]["createFolder"]["folder"]
        assert first["name"] == NFD  # stored as typed
        _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": NFC})
        assert body["data"]["createFolder"]["userErrors"] == [{"code": "CONFLICT", "field": "name"}]
        _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": NFC, "parent": first["id"]})
        assert body["data"]["createFolder"]["userErrors"] == []  # not a sibling

    async def test_a_tag_typed_in_either_form_is_one_tag(self, client, tenant):
        first, second = await generated(client, tenant, count=2)
        _, body = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [first], "tags": [NFC, NFD]}}
        )
        assert body["data"]["saveToLibrary"]["assets"][0]["tags"] == [{"name": NFC}]
        _, body = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [second], "tags": ["CAFE\u0301"]}}
        )
        assert body["data"]["saveToLibrary"]["assets"][0]["tags"] == [{"name": NFC}]
        _, body = await gql(client, tenant.token, "{ tags { totalCount edges { node { name } } } }")
        assert body["data"]["tags"] == {"totalCount": 1, "edges": [{"node": {"name": NFC}}]}


BLANK = [
    "\u200b",
    "\u200b\u200d\u2060",
    " \ufeff ",
    "\u3164",
    "\u115f\u1160",
    "\uffa0",
    "\u2800",
    "\u202e\u202c",
    "\u034f\ufe0f",
]
C1 = ["a\u0085b", "x\u009b31m", "\u0080", "name\u009f"]


class TestInvisibleAndControlNames:
    @pytest.mark.parametrize("name", BLANK + C1)
    async def test_a_project_name_that_shows_nothing_or_holds_a_c1_control_is_refused(
        self, client, tenant, name
    ):
        _, body = await gql(client, tenant.token, CREATE_PROJECT, {"name": name})
        assert body["data"]["createProject"]["userErrors"] == [{"code": "INVALID_INPUT", "field": "name"}]
        _, body = await gql(client, tenant.token, "{ projects { totalCount } }")
        assert body["data"]["projects"]["totalCount"] == 0

    @pytest.mark.parametrize("name", ["\u200b\u200b", "a\u0085b"])
    async def test_a_folder_name_that_shows_nothing_or_holds_a_c1_control_is_refused(
        self, client, tenant, name
    ):
        _, body = await gql(client, tenant.token, CREATE_FOLDER, {"name": name})
        assert body["data"]["createFolder"]["userErrors"] == [{"code": "INVALID_INPUT", "field": "name"}]

    @pytest.mark.parametrize("name", ["\u200b", "t\u009b"])
    async def test_a_tag_that_shows_nothing_or_holds_a_c1_control_is_refused(self, client, tenant, name):
        [generation] = await generated(client, tenant)
        _, body = await gql(
            client, tenant.token, SAVE, {"input": {"generationIds": [generation], "tags": ["ok", name]}}
        )
        errors = body["data"]["saveToLibrary"]["userErrors"]
        assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", "tags[1]")]
        _, body = await gql(client, tenant.token, "{ tags { totalCount } assets { totalCount } }")
        assert body["data"] == {"tags": {"totalCount": 0}, "assets": {"totalCount": 0}}

    @pytest.mark.parametrize("name", ["👩\u200d👩\u200d👧", "\u202eabc", "e\u0301\u0301", "a\u200bb"])
    async def test_names_with_emoji_marks_and_combining_characters_are_kept_byte_for_byte(
        self, client, tenant, name
    ):
        _, body = await gql(client, tenant.token, CREATE_PROJECT, {"name": name})
        assert body["data"]["createProject"]["project"]["name"] == name
