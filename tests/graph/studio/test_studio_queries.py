"""The Studio views: sessions, generations and their neighbours."""

from __future__ import annotations

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.demo.seeding import link
from storage.sql import tables as t
from tests import defaults
from tests.builders import gql


class TestGenerations:
    async def test_filters_by_session_like_review_and_saved(self, client, tenant):
        s1, s2 = await tenant.session("One"), await tenant.session("Two", state="closed")
        liked = await tenant.generation(s1, "liked")
        approved = await tenant.generation(s1, "approved", review_state="approved")
        await tenant.generation(s2, "rejected", review_state="rejected")
        asset = await tenant.asset("saved asset")
        await tenant.generation(s2, "saved", saved_asset_id=asset, review_state="approved")
        await tenant.like(liked)
        other_member, _ = await tenant.member(Role.CREATOR)
        await tenant.like(approved, other_member)
        query = (
            "query($f: GenerationFilter) { generations(filter: $f) { totalCount edges { node { prompt } } } }"
        )

        async def prompts(f):
            _, body = await gql(client, tenant.token, query, {"f": f})
            return [e["node"]["prompt"] for e in body["data"]["generations"]["edges"]]

        assert await prompts({"sessionId": to_global_id("Session", s1)}) == ["approved", "liked"]
        assert await prompts({"likedByViewer": True}) == ["liked"]  # likes are per member
        assert await prompts({"reviewState": "REJECTED"}) == ["rejected"]
        assert await prompts({"reviewState": "APPROVED", "saved": False}) == ["approved"]
        assert await prompts({"saved": True}) == ["saved"]
        assert await prompts(None) == ["saved", "rejected", "approved", "liked"]

    async def test_a_generation_links_to_session_likes_saved_asset_context_and_review(self, client, tenant):
        kit = await tenant.brand_kit("Sunny")
        session = await tenant.session("Shoot", brand_kit_id=kit, platform="instagram", aspect_ratio="4:5")
        reference = await tenant.asset("reference")
        saved = await tenant.asset("saved")
        reviewer, _ = await tenant.member(Role.APPROVER)
        generation = await tenant.generation(
            session,
            "a fox",
            brand_kit_id=kit,
            platform="instagram",
            aspect_ratio="4:5",
            seed=2**53 + 1,
            review_state="approved",
            reviewed_by_id=reviewer,
            alt_text="A red fox asleep in snow.",
            saved_asset_id=saved,
        )
        await tenant.run(
            lambda c: link(
                c,
                t.generation_context_assets,
                tenant.org_id,
                generation_id=generation,
                asset_id=reference,
                position=0,
            )
        )
        await tenant.like(generation)
        query = """query($id: ID!) { node(id: $id) { ... on Generation {
            prompt seed platform aspectRatio reviewState likeCount likedByViewer
            session { title platform brandKit { name } generations { totalCount edges { node { prompt } } } }
            brandKit { name colors } savedAsset { name } contextAssets { name }
            review { altText reviewedBy { role } }
        } } }"""
        _, body = await gql(client, tenant.token, query, {"id": to_global_id("Generation", generation)})
        assert body["data"]["node"] == {
            "prompt": "a fox",
            "seed": str(2**53 + 1),
            "platform": "INSTAGRAM",
            "aspectRatio": "PORTRAIT",
            "reviewState": "APPROVED",
            "likeCount": 1,
            "likedByViewer": True,
            "session": {
                "title": "Shoot",
                "platform": "INSTAGRAM",
                "brandKit": {"name": "Sunny"},
                "generations": {"totalCount": 1, "edges": [{"node": {"prompt": "a fox"}}]},
            },
            "brandKit": {"name": "Sunny", "colors": list(defaults.BRAND_KIT_COLORS)},
            "savedAsset": {"name": "saved"},
            "contextAssets": [{"name": "reference"}],
            "review": {"altText": "A red fox asleep in snow.", "reviewedBy": {"role": "APPROVER"}},
        }

    async def test_sessions_list_newest_first_and_filter_by_state(self, client, tenant):
        await tenant.session("old", state="closed")
        await tenant.session("new")
        _, body = await gql(client, tenant.token, "{ sessions { edges { node { title state } } } }")
        assert [e["node"] for e in body["data"]["sessions"]["edges"]] == [
            {"title": "new", "state": "OPEN"},
            {"title": "old", "state": "CLOSED"},
        ]
        _, body = await gql(client, tenant.token, "{ sessions(filter: {state: CLOSED}) { totalCount } }")
        assert body["data"]["sessions"]["totalCount"] == 1


class TestNodes:
    async def test_node_and_nodes_fetch_any_type_in_order(self, client, tenant):
        folder, asset = await tenant.folder("F"), await tenant.asset("A")
        ids = [
            to_global_id("Asset", asset),
            to_global_id("Folder", folder),
            to_global_id("Organisation", tenant.org_id),
            to_global_id("Member", tenant.member_id),
            to_global_id("Asset", 10**12),
        ]
        query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
        _, body = await gql(client, tenant.token, query, {"ids": ids})
        assert body["data"]["nodes"] == [
            {"__typename": "Asset", "id": ids[0]},
            {"__typename": "Folder", "id": ids[1]},
            {"__typename": "Organisation", "id": ids[2]},
            {"__typename": "Member", "id": ids[3]},
            None,
        ]
