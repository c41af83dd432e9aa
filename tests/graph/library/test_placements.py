"""Placements: proposed by editors, approved by approvers or admins, removed; asset and target views."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from domain.kernel.access import Role
from domain.library.placements.model import MAX_PLACEMENTS_PER_ASSET
from graph.relay.ids import to_global_id
from storage.demo.seeding import now
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows

TARGET = "https://cms.example.com/posts/summer-sale"
PROPOSE = """mutation($input: ProposePlacementInput!) { proposePlacement(input: $input) {
    placement { id kind targetRef state scheduledAt approvedAt asset { name } project { name }
                proposedBy { role } approvedBy { role } }
    userErrors { code message field } } }"""
APPROVE = """mutation($id: ID!) { approvePlacement(input: {id: $id}) {
    placement { id state approvedAt approvedBy { role } } userErrors { code field } } }"""
REMOVE = """mutation($id: ID!) { removePlacement(input: {id: $id}) { removedPlacementId userErrors { code field } } }"""
TARGET_PLACEMENTS = """query($target: String!, $after: String) { placements(targetRef: $target, first: 2, after: $after) {
    totalCount edges { node { kind asset { name } } } pageInfo { hasNextPage endCursor } } }"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


def proposal(asset: int, **more):
    return {"input": {"assetId": aid(asset), "kind": "FEATURED_IMAGE", "targetRef": TARGET, **more}}


class TestProposeAndApprove:
    async def test_an_editor_proposes_and_an_approver_attaches_deliberately(self, client, tenant):
        asset, project = await tenant.asset("Hero"), await tenant.project("Summer sale")
        _, editor = await tenant.member(Role.EDITOR)
        _, approver = await tenant.member(Role.APPROVER)
        variables = proposal(
            asset,
            targetRef=f"  {TARGET} ",
            projectId=to_global_id("Project", project),
            scheduledAt="2026-12-01T09:00:00+00:00",
        )
        _, body = await gql(client, editor, PROPOSE, variables)
        payload = body["data"]["proposePlacement"]
        assert payload["userErrors"] == []
        placement = payload["placement"]
        assert placement["targetRef"] == TARGET and placement["state"] == "PROPOSED"
        assert (placement["asset"], placement["project"]) == ({"name": "Hero"}, {"name": "Summer sale"})
        assert placement["scheduledAt"].startswith("2026-12-01T09:00:00")
        assert (placement["proposedBy"], placement["approvedBy"]) == ({"role": "EDITOR"}, None)

        _, body = await gql(client, editor, APPROVE, {"id": placement["id"]})
        assert errors_of(body, "approvePlacement") == [("FORBIDDEN", None)]
        _, body = await gql(client, approver, APPROVE, {"id": placement["id"]})
        approved = body["data"]["approvePlacement"]["placement"]
        assert approved["state"] == "APPROVED" and approved["approvedBy"] == {"role": "APPROVER"}
        _, body = await gql(client, tenant.token, APPROVE, {"id": placement["id"]})  # admin, again: no change
        assert body["data"]["approvePlacement"]["placement"] == approved
        assert await events_of(tenant, "placement.proposed") == 1
        assert await events_of(tenant, "placement.approved") == 1

    async def test_proposing_the_same_placement_again_returns_it_without_a_second(self, client, tenant):
        asset = await tenant.asset("Hero")
        _, first = await gql(client, tenant.token, PROPOSE, proposal(asset))
        _, again = await gql(client, tenant.token, PROPOSE, proposal(asset))
        assert again["data"]["proposePlacement"] == first["data"]["proposePlacement"]
        _, inline = await gql(client, tenant.token, PROPOSE, proposal(asset, kind="INLINE"))
        assert (
            inline["data"]["proposePlacement"]["placement"]["id"]
            != first["data"]["proposePlacement"]["placement"]["id"]
        )
        assert await count_rows(tenant, t.placements) == 2
        assert await events_of(tenant, "placement.proposed") == 2

    async def test_a_trashed_asset_and_an_archived_project_are_invalid_state(self, client, tenant):
        trashed = await tenant.asset("Binned", trashed_at=now())
        _, body = await gql(client, tenant.token, PROPOSE, proposal(trashed))
        assert errors_of(body, "proposePlacement") == [("INVALID_STATE", "assetId")]
        live, archived = await tenant.asset("Hero"), await tenant.project("Old", archived=True)
        _, body = await gql(
            client, tenant.token, PROPOSE, proposal(live, projectId=to_global_id("Project", archived))
        )
        assert errors_of(body, "proposePlacement") == [("INVALID_STATE", "projectId")]
        assert await count_rows(tenant, t.placements) == 0

    @pytest.mark.parametrize(
        "target",
        ["", "   ", "a" * 501, "line one\nline two", "https://cms.example.com/?token=ghp_" + "a1B2" * 9],
    )
    async def test_a_bad_target_reference_is_invalid_input(self, client, tenant, target):
        asset = await tenant.asset("Hero")
        _, body = await gql(client, tenant.token, PROPOSE, proposal(asset, targetRef=target))
        assert errors_of(body, "proposePlacement") == [("INVALID_INPUT", "targetRef")]
        assert "ghp_" not in body["data"]["proposePlacement"]["userErrors"][0]["message"]
        assert await count_rows(tenant, t.placements) == 0

    async def test_viewers_and_creators_propose_nothing(self, client, tenant):
        asset = await tenant.asset("Hero")
        for role in (Role.VIEWER, Role.CREATOR):
            _, token = await tenant.member(role)
            _, body = await gql(client, token, PROPOSE, proposal(asset))
            assert errors_of(body, "proposePlacement") == [("FORBIDDEN", None)]

    async def test_an_asset_takes_a_bounded_number_of_placements(self, client, tenant):
        asset = await tenant.asset("Everywhere")
        for i in range(MAX_PLACEMENTS_PER_ASSET):
            await tenant.placement(asset, f"{TARGET}/{i}")
        _, body = await gql(client, tenant.token, PROPOSE, proposal(asset))
        assert errors_of(body, "proposePlacement") == [("LIMIT_EXCEEDED", "assetId")]


class TestRemove:
    async def test_an_editor_removes_a_placement_and_it_leaves_the_assets_usage(self, client, tenant):
        asset = await tenant.asset("Hero")
        placement = await tenant.placement(asset, state="approved")
        _, editor = await tenant.member(Role.EDITOR)
        pid = to_global_id("Placement", placement)
        _, body = await gql(client, editor, REMOVE, {"id": pid})
        assert body["data"]["removePlacement"] == {"removedPlacementId": pid, "userErrors": []}
        _, body = await gql(client, editor, REMOVE, {"id": pid})
        assert errors_of(body, "removePlacement") == [("NOT_FOUND", "id")]
        assert await count_rows(tenant, t.placements) == 0
        assert await events_of(tenant, "placement.removed") == 1


class TestViews:
    async def test_an_assets_placements_and_usage_count_count_proposed_and_approved_alike(
        self, client, tenant
    ):
        asset, unused = await tenant.asset("Hero"), await tenant.asset("Unused")
        await tenant.placement(asset, "https://cms.example.com/a")
        await tenant.placement(asset, "https://cms.example.com/b", state="approved", kind="social_post")
        _, body = await gql(
            client,
            tenant.token,
            "{ assets { edges { node { name usageCount placements { targetRef kind state } } } } }",
        )
        nodes = {e["node"]["name"]: e["node"] for e in body["data"]["assets"]["edges"]}
        assert nodes["Unused"] == {"name": "Unused", "usageCount": 0, "placements": []}
        assert nodes["Hero"]["usageCount"] == 2
        assert nodes["Hero"]["placements"] == [
            {"targetRef": "https://cms.example.com/a", "kind": "FEATURED_IMAGE", "state": "PROPOSED"},
            {"targetRef": "https://cms.example.com/b", "kind": "SOCIAL_POST", "state": "APPROVED"},
        ]
        assert unused  # placed nowhere

    async def test_a_targets_placements_page_newest_first(self, client, tenant):
        for name in ("One", "Two", "Three"):
            await tenant.placement(await tenant.asset(name))
        await tenant.placement(await tenant.asset("Elsewhere"), "https://cms.example.com/other")
        _, body = await gql(client, tenant.token, TARGET_PLACEMENTS, {"target": f" {TARGET} "})
        page = body["data"]["placements"]
        assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
        assert [e["node"]["asset"]["name"] for e in page["edges"]] == ["Three", "Two"]
        after = page["pageInfo"]["endCursor"]
        _, body = await gql(client, tenant.token, TARGET_PLACEMENTS, {"target": TARGET, "after": after})
        assert [e["node"]["asset"]["name"] for e in body["data"]["placements"]["edges"]] == ["One"]

    async def test_a_projects_placements(self, client, tenant):
        launch, other = await tenant.project("Launch"), await tenant.project("Other")
        for name in ("One", "Two"):
            await tenant.placement(await tenant.asset(name), project_id=launch)
        await tenant.placement(await tenant.asset("Three"), project_id=other)
        _, body = await gql(
            client,
            tenant.token,
            "{ projects { edges { node { name placements(first: 1) { totalCount edges { node { asset { name } } } } } } } }",
        )
        projects = {e["node"]["name"]: e["node"]["placements"] for e in body["data"]["projects"]["edges"]}
        assert projects["Launch"]["totalCount"] == 2
        assert [e["node"]["asset"]["name"] for e in projects["Launch"]["edges"]] == ["Two"]
        assert projects["Other"]["totalCount"] == 1


class TestIsolation:
    async def test_another_organisations_assets_placements_and_targets_are_not_found(
        self, client, engine, tenant
    ):
        other = await make_tenant(engine)
        theirs = await other.asset("Theirs")
        their_placement = to_global_id("Placement", await other.placement(theirs))
        _, body = await gql(client, tenant.token, PROPOSE, proposal(theirs))
        assert errors_of(body, "proposePlacement") == [("NOT_FOUND", "assetId")]
        theirs_project = to_global_id("Project", await other.project("Theirs"))
        _, body = await gql(
            client, tenant.token, PROPOSE, proposal(await tenant.asset("Ours"), projectId=theirs_project)
        )
        assert errors_of(body, "proposePlacement") == [("NOT_FOUND", "projectId")]
        for mutation, name in ((APPROVE, "approvePlacement"), (REMOVE, "removePlacement")):
            _, body = await gql(client, tenant.token, mutation, {"id": their_placement})
            assert errors_of(body, name) == [("NOT_FOUND", "id")]
        _, body = await gql(client, tenant.token, TARGET_PLACEMENTS, {"target": TARGET})
        assert body["data"]["placements"]["totalCount"] == 0
        _, body = await gql(
            client, tenant.token, "query($id: ID!) { node(id: $id) { id } }", {"id": their_placement}
        )
        assert body["data"]["node"] is None
        assert await count_rows(other, t.placements) == 1


class TestRacesWithTheTrash:
    async def test_a_proposal_racing_a_trash_never_leaves_a_placement_on_a_trashed_asset(
        self, client, tenant
    ):
        trash = "mutation($ids: [ID!]!) { trashAssets(input: {ids: $ids}) { userErrors { code } } }"
        for i in range(6):
            asset = await tenant.asset(f"Raced {i}")
            await asyncio.gather(
                gql(client, tenant.token, PROPOSE, proposal(asset)),
                gql(client, tenant.token, trash, {"ids": [aid(asset)]}),
            )
            async with tenant.engine.connect() as conn:
                trashed = (
                    await conn.execute(sa.select(t.assets.c.trashed_at).where(t.assets.c.id == asset))
                ).scalar_one()
                placed = (
                    await conn.execute(
                        sa.select(sa.func.count())
                        .select_from(t.placements)
                        .where(t.placements.c.asset_id == asset)
                    )
                ).scalar_one()
            assert (trashed is None) == (placed == 1)  # one of them won, and the other refused
