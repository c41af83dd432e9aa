"""Nothing crosses organisations: another tenant's ids answer exactly like ids that do not exist."""

from __future__ import annotations

from graph.relay.ids import to_global_id
from tests.builders import gql, make_tenant


class TestTenantIsolation:
    async def test_another_organisations_objects_are_invisible(self, client, engine, tenant):
        other = await make_tenant(engine)
        folder = await other.folder("Secret")
        tag = await other.tag("secret")
        project = await other.project("Secret")
        asset = await other.asset("secret", folder_id=folder, tags=(tag,), projects=(project,))
        session = await other.session("secret")
        generation = await other.generation(session, "secret")
        await tenant.asset("mine")

        foreign = [
            to_global_id(kind, pk)
            for kind, pk in [
                ("Asset", asset),
                ("Folder", folder),
                ("Tag", tag),
                ("Project", project),
                ("Session", session),
                ("Generation", generation),
                ("Member", other.member_id),
                ("Organisation", other.org_id),
            ]
        ]
        _, body = await gql(
            client, tenant.token, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": foreign}
        )
        assert body["data"]["nodes"] == [None] * len(foreign)

        query = "query($f: AssetFilter) { assets(filter: $f) { totalCount edges { node { name } } } }"
        for f in ({"folderId": foreign[1]}, {"tagId": foreign[2]}, {"projectId": foreign[3]}):
            _, body = await gql(client, tenant.token, query, {"f": f})
            assert body["data"]["assets"] == {"totalCount": 0, "edges": []}
        _, body = await gql(
            client, tenant.token, "{ assets { edges { node { name } } } sessions { totalCount } }"
        )
        assert body["data"] == {
            "assets": {"edges": [{"node": {"name": "mine"}}]},
            "sessions": {"totalCount": 0},
        }

    async def test_the_same_id_answers_for_its_owner(self, client, engine, tenant):
        other = await make_tenant(engine)
        asset = to_global_id("Asset", await other.asset("theirs"))
        query = "query($id: ID!) { node(id: $id) { ... on Asset { name } } }"
        assert (await gql(client, other.token, query, {"id": asset}))[1]["data"]["node"] == {"name": "theirs"}
        assert (await gql(client, tenant.token, query, {"id": asset}))[1]["data"]["node"] is None
