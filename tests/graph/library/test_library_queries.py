"""The library views: assets with filters and keyset pages, folders, projects, tags."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from tests.builders import gql


def names(body, field):
    return [e["node"]["name"] for e in body["data"][field]["edges"]]


class TestAssetPages:
    async def test_pages_walk_newest_first_without_gaps_or_repeats(self, client, tenant):
        for i in range(7):
            await tenant.asset(f"A{i}")
        query = """query($after: String) { assets(first: 3, after: $after) {
            totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
        seen, after, pages = [], None, 0
        while True:
            _, body = await gql(client, tenant.token, query, {"after": after})
            conn = body["data"]["assets"]
            assert conn["totalCount"] == 7
            assert conn["pageInfo"]["hasPreviousPage"] is (after is not None)
            seen += [e["node"]["name"] for e in conn["edges"]]
            pages += 1
            if not conn["pageInfo"]["hasNextPage"]:
                break
            after = conn["pageInfo"]["endCursor"]
        assert seen == [f"A{i}" for i in reversed(range(7))]
        assert pages == 3

    async def test_rows_added_while_paging_do_not_shift_the_next_page(self, client, tenant):
        for i in range(4):
            await tenant.asset(f"A{i}")
        query = "query($after: String) { assets(first: 2, after: $after) { edges { node { name } } pageInfo { endCursor } } }"
        _, first = await gql(client, tenant.token, query)
        await tenant.asset("newer")
        _, second = await gql(
            client, tenant.token, query, {"after": first["data"]["assets"]["pageInfo"]["endCursor"]}
        )
        assert names(second, "assets") == ["A1", "A0"]

    async def test_first_zero_returns_no_edges_but_the_total(self, client, tenant):
        await tenant.asset("only")
        _, body = await gql(
            client,
            tenant.token,
            "{ assets(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }",
        )
        assert body["data"]["assets"] == {"totalCount": 1, "edges": [], "pageInfo": {"hasNextPage": True}}

    async def test_first_defaults_to_twenty(self, client, tenant):
        for i in range(25):
            await tenant.asset(f"A{i}")
        _, body = await gql(client, tenant.token, "{ assets { edges { cursor } pageInfo { hasNextPage } } }")
        assert len(body["data"]["assets"]["edges"]) == 20
        assert body["data"]["assets"]["pageInfo"]["hasNextPage"] is True


class TestAssetFilters:
    async def test_each_filter_narrows_to_the_matching_assets(self, client, tenant):
        folder = await tenant.folder("Campaigns")
        project = await tenant.project("Summer")
        tag = await tenant.tag("hero")
        await tenant.asset("in folder", folder_id=folder)
        await tenant.asset("in project", projects=(project,))
        await tenant.asset("tagged", tags=(tag,), ai_generated=True)
        favourite = await tenant.asset("favourite")
        await tenant.asset("trashed", trashed_at=datetime.now(UTC))
        from storage.demo.seeding import link
        from storage.sql import tables as t

        await tenant.run(
            lambda c: link(
                c,
                t.asset_favourites,
                tenant.org_id,
                asset_id=favourite,
                member_id=tenant.member_id,
                created_at=datetime.now(UTC),
            )
        )
        query = "query($f: AssetFilter) { assets(filter: $f) { totalCount edges { node { name favouritedByViewer } } } }"
        cases = {
            "in folder": {"folderId": to_global_id("Folder", folder)},
            "in project": {"projectId": to_global_id("Project", project)},
            "tagged": {"tagId": to_global_id("Tag", tag)},
            "favourite": {"favourite": True},
            "trashed": {"trashed": True},
        }
        for expected, f in cases.items():
            _, body = await gql(client, tenant.token, query, {"f": f})
            assert names(body, "assets") == [expected], (f, body)
            assert body["data"]["assets"]["totalCount"] == 1
        _, body = await gql(client, tenant.token, query, {"f": {"aiGenerated": True}})
        assert names(body, "assets") == ["tagged"]
        _, body = await gql(client, tenant.token, query, {"f": {"aiGenerated": False}})
        assert names(body, "assets") == ["favourite", "in project", "in folder"]
        _, body = await gql(client, tenant.token, query)  # no filter: all but the trashed, newest first
        assert [
            (e["node"]["name"], e["node"]["favouritedByViewer"]) for e in body["data"]["assets"]["edges"]
        ] == [
            ("favourite", True),
            ("tagged", False),
            ("in project", False),
            ("in folder", False),
        ]
        assert body["data"]["assets"]["totalCount"] == 4


class TestFoldersProjectsTags:
    async def test_folders_nest_with_children_and_path(self, client, tenant):
        root = await tenant.folder("Campaigns")
        child = await tenant.folder("Summer", root)
        await tenant.folder("Winter", root)
        await tenant.folder("Summer", child)  # the same name under another parent
        await tenant.folder("Brand")
        _, body = await gql(client, tenant.token, "{ folders { edges { node { name children { name } } } } }")
        assert [
            (e["node"]["name"], [c["name"] for c in e["node"]["children"]])
            for e in body["data"]["folders"]["edges"]
        ] == [
            ("Brand", []),
            ("Campaigns", ["Summer", "Winter"]),
        ]
        query = "query($p: ID) { folders(parentId: $p) { edges { node { name path { name } parent { name } } } } }"
        _, body = await gql(client, tenant.token, query, {"p": to_global_id("Folder", child)})
        assert body["data"]["folders"]["edges"] == [
            {
                "node": {
                    "name": "Summer",
                    "path": [{"name": "Campaigns"}, {"name": "Summer"}, {"name": "Summer"}],
                    "parent": {"name": "Summer"},
                }
            }
        ]

    async def test_projects_tags_and_brand_kits_list_by_name_case_insensitively(self, client, tenant):
        for name in ("beta", "Alpha", "gamma"):
            await tenant.project(name)
            await tenant.tag(name)
            await tenant.brand_kit(name)
        await tenant.project("Old", archived=True)
        for field in ("projects", "tags", "brandKits"):
            _, body = await gql(
                client,
                tenant.token,
                f"{{ {field}(first: 2) {{ edges {{ node {{ name }} }} pageInfo {{ endCursor }} }} }}",
            )
            assert names(body, field)[:2] == ["Alpha", "beta"], field
            after = body["data"][field]["pageInfo"]["endCursor"]
            _, body = await gql(
                client,
                tenant.token,
                f'{{ {field}(first: 5, after: "{after}") {{ edges {{ node {{ name }} }} }} }}',
            )
            assert names(body, field)[0] == "gamma"
        _, body = await gql(
            client,
            tenant.token,
            "{ projects(filter: {archived: true}) { edges { node { name archived } } } }",
        )
        assert names(body, "projects") == ["Old"]

    async def test_a_tag_lists_its_assets_and_an_asset_its_tags(self, client, tenant):
        hero, sale = await tenant.tag("hero"), await tenant.tag("Sale")
        await tenant.asset("one", tags=(hero, sale))
        await tenant.asset("two", tags=(hero,))
        query = "query($id: ID!) { node(id: $id) { ... on Tag { name assets { totalCount edges { node { name tags { name } } } } } } }"
        _, body = await gql(client, tenant.token, query, {"id": to_global_id("Tag", hero)})
        assets = body["data"]["node"]["assets"]
        assert assets["totalCount"] == 2
        assert [(e["node"]["name"], [t["name"] for t in e["node"]["tags"]]) for e in assets["edges"]] == [
            ("two", ["hero"]),
            ("one", ["hero", "Sale"]),
        ]


class TestViewerAndRoles:
    async def test_every_role_can_read_the_library(self, client, tenant):
        await tenant.asset("visible")
        for role in Role:
            _, token = await tenant.member(role)
            _, body = await gql(client, token, "{ viewer { role } assets { totalCount } }")
            assert body["data"] == {"viewer": {"role": role.name}, "assets": {"totalCount": 1}}
