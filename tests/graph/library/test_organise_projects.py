"""updateProject, archiveProject, unarchiveProject, linkAssetsToProject, unlinkAssetsFromProject."""

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

UPDATE = """mutation($input: UpdateProjectInput!) { updateProject(input: $input) {
    project { id name description archived } userErrors { code message field } } }"""
ARCHIVE = """mutation($id: ID!) { archiveProject(input: {id: $id}) {
    project { archived } userErrors { code message field } } }"""
UNARCHIVE = """mutation($id: ID!) { unarchiveProject(input: {id: $id}) {
    project { archived } userErrors { code message field } } }"""
LINK = """mutation($input: ProjectAssetsInput!) { linkAssetsToProject(input: $input) {
    project { name assets { totalCount } } assets { id projects { name } } userErrors { code field index id } } }"""
UNLINK = """mutation($input: ProjectAssetsInput!) { unlinkAssetsFromProject(input: $input) {
    project { name assets { totalCount } } assets { id projects { name } } userErrors { code field index id } } }"""


def pid(pk: int) -> str:
    return to_global_id("Project", pk)


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


async def project_row(tenant, pk):
    async with tenant.engine.connect() as conn:
        return (await conn.execute(sa.select(t.projects).where(t.projects.c.id == pk))).one()


async def links(tenant, project):
    ap = t.asset_projects
    async with tenant.engine.connect() as conn:
        rows = await conn.execute(sa.select(ap.c.asset_id).where(ap.c.project_id == project))
        return {r.asset_id for r in rows}


class TestUpdate:
    async def test_fields_left_out_stay_and_null_clears_the_description(self, client, tenant):
        project = await tenant.project("Summer sale")
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(
            client, editor, UPDATE, {"input": {"id": pid(project), "description": "June\nJuly"}}
        )
        assert body["data"]["updateProject"]["project"]["name"] == "Summer sale"
        assert body["data"]["updateProject"]["project"]["description"] == "June\nJuly"
        _, body = await gql(client, editor, UPDATE, {"input": {"id": pid(project), "name": " Été 2026 "}})
        assert body["data"]["updateProject"]["project"]["description"] == "June\nJuly"
        _, body = await gql(client, editor, UPDATE, {"input": {"id": pid(project), "description": None}})
        assert body["data"]["updateProject"]["project"] == {
            "id": pid(project),
            "name": "Été 2026",
            "description": "",
            "archived": False,
        }
        assert await events_of(tenant, "project.updated") == 3

    async def test_no_change_records_nothing(self, client, tenant):
        project = await tenant.project("Summer sale")
        _, body = await gql(
            client,
            tenant.token,
            UPDATE,
            {"input": {"id": pid(project), "name": "Summer sale", "description": ""}},
        )
        assert errors_of(body, "updateProject") == []
        assert await events_of(tenant, "project.updated") == 0

    async def test_a_name_another_project_has_is_a_conflict(self, client, tenant):
        await tenant.project("Launch")
        project = await tenant.project("Summer sale")
        _, body = await gql(
            client, tenant.token, UPDATE, {"input": {"id": pid(project), "name": "LAUNCH\u200b"}}
        )
        assert errors_of(body, "updateProject") == [("CONFLICT", "name")]
        assert (await project_row(tenant, project)).name == "Summer sale"
        assert await events_of(tenant, "project.updated") == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [({"name": ""}, "name"), ({"name": "a\tb"}, "name"), ({"description": "x\x00"}, "description")],
    )
    async def test_bad_text_is_invalid_input(self, client, tenant, change, field):
        project = await tenant.project("Summer sale")
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": pid(project), **change}})
        assert errors_of(body, "updateProject") == [("INVALID_INPUT", field)]

    async def test_a_viewer_is_forbidden_and_another_organisations_project_is_not_found(
        self, client, engine, tenant
    ):
        project = await tenant.project("Summer sale")
        _, viewer = await tenant.member(Role.VIEWER)
        _, body = await gql(client, viewer, UPDATE, {"input": {"id": pid(project), "name": "X"}})
        assert errors_of(body, "updateProject") == [("FORBIDDEN", None)]
        theirs = await (await make_tenant(engine)).project("Theirs")
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": pid(theirs), "name": "X"}})
        assert errors_of(body, "updateProject") == [("NOT_FOUND", "id")]
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": "bad", "name": "X"}})
        assert (body["errors"][0]["extensions"]["code"], body["errors"][0]["extensions"]["field"]) == (
            "NOT_FOUND",
            "id",
        )


class TestArchive:
    async def test_archive_and_unarchive_are_idempotent_and_recorded_once(self, client, tenant):
        project = await tenant.project("Summer sale")
        for _ in range(2):
            _, body = await gql(client, tenant.token, ARCHIVE, {"id": pid(project)})
            assert body["data"]["archiveProject"] == {"project": {"archived": True}, "userErrors": []}
        assert await events_of(tenant, "project.archived") == 1
        for _ in range(2):
            _, body = await gql(client, tenant.token, UNARCHIVE, {"id": pid(project)})
            assert body["data"]["unarchiveProject"] == {"project": {"archived": False}, "userErrors": []}
        assert await events_of(tenant, "project.unarchived") == 1

    async def test_a_creator_cannot_archive(self, client, tenant):
        project = await tenant.project("Summer sale")
        _, creator = await tenant.member(Role.CREATOR)
        _, body = await gql(client, creator, ARCHIVE, {"id": pid(project)})
        assert errors_of(body, "archiveProject") == [("FORBIDDEN", None)]
        assert not (await project_row(tenant, project)).archived


class TestLinks:
    async def test_links_are_many_to_many_idempotent_and_recorded(self, client, tenant):
        project = await tenant.project("Summer sale")
        other = await tenant.project("Autumn")
        a, b = await tenant.asset("A", projects=(other,)), await tenant.asset("B")
        _, editor = await tenant.member(Role.EDITOR)
        _, body = await gql(
            client, editor, LINK, {"input": {"projectId": pid(project), "assetIds": [aid(a), aid(b)]}}
        )
        payload = body["data"]["linkAssetsToProject"]
        assert payload["userErrors"] == []
        assert payload["project"] == {"name": "Summer sale", "assets": {"totalCount": 2}}
        assert payload["assets"][0]["projects"] == [{"name": "Autumn"}, {"name": "Summer sale"}]
        _, body = await gql(
            client, editor, LINK, {"input": {"projectId": pid(project), "assetIds": [aid(b)]}}
        )
        assert body["data"]["linkAssetsToProject"]["userErrors"] == []
        assert await links(tenant, project) == {a, b}
        assert await events_of(tenant, "project.linked") == 1

    async def test_unlink_removes_only_that_projects_links(self, client, tenant):
        project = await tenant.project("Summer sale")
        other = await tenant.project("Autumn")
        a = await tenant.asset("A", projects=(project, other))
        b = await tenant.asset("B")
        _, body = await gql(
            client, tenant.token, UNLINK, {"input": {"projectId": pid(project), "assetIds": [aid(a), aid(b)]}}
        )
        payload = body["data"]["unlinkAssetsFromProject"]
        assert payload["userErrors"] == [] and payload["assets"][0]["projects"] == [{"name": "Autumn"}]
        assert await links(tenant, project) == set() and await links(tenant, other) == {a}
        assert await events_of(tenant, "project.unlinked") == 1

    async def test_bad_items_are_named_and_nothing_is_linked(self, client, engine, tenant):
        project = await tenant.project("Summer sale")
        good = await tenant.asset("Good")
        trashed = await tenant.asset("Trashed", trashed_at=now())
        theirs = await (await make_tenant(engine)).asset("Theirs")
        ids = [aid(good), aid(theirs), "nonsense", aid(good), aid(trashed)]
        _, body = await gql(
            client, tenant.token, LINK, {"input": {"projectId": pid(project), "assetIds": ids}}
        )
        errors = body["data"]["linkAssetsToProject"]["userErrors"]
        assert [(e["code"], e["index"], e["id"]) for e in errors] == [
            ("NOT_FOUND", 1, aid(theirs)),
            ("NOT_FOUND", 2, "nonsense"),
            ("INVALID_INPUT", 3, aid(good)),
            ("INVALID_STATE", 4, aid(trashed)),
        ]
        assert body["data"]["linkAssetsToProject"]["project"] is None
        assert await count_rows(tenant, t.asset_projects) == 0
        assert await events_of(tenant, "project.linked") == 0

    async def test_an_archived_project_takes_no_assets_but_lets_them_go(self, client, tenant):
        project = await tenant.project("Old", archived=True)
        a = await tenant.asset("A", projects=(project,))
        b = await tenant.asset("B")
        _, body = await gql(
            client, tenant.token, LINK, {"input": {"projectId": pid(project), "assetIds": [aid(b)]}}
        )
        assert errors_of(body, "linkAssetsToProject") == [("INVALID_STATE", "projectId")]
        _, body = await gql(
            client, tenant.token, UNLINK, {"input": {"projectId": pid(project), "assetIds": [aid(a)]}}
        )
        assert errors_of(body, "unlinkAssetsFromProject") == []
        assert await links(tenant, project) == set()

    @pytest.mark.parametrize("count", [0, 501])
    async def test_the_list_holds_1_to_500_ids(self, client, tenant, count):
        project = await tenant.project("Summer sale")
        ids = [aid(i + 1) for i in range(count)]
        _, body = await gql(
            client, tenant.token, LINK, {"input": {"projectId": pid(project), "assetIds": ids}}
        )
        code = "INVALID_INPUT" if count == 0 else "LIMIT_EXCEEDED"
        assert errors_of(body, "linkAssetsToProject") == [(code, "assetIds")]

    async def test_wrong_role_foreign_project_and_malformed_project_id(self, client, engine, tenant):
        project = await tenant.project("Summer sale")
        a = await tenant.asset("A")
        _, viewer = await tenant.member(Role.VIEWER)
        _, body = await gql(
            client, viewer, LINK, {"input": {"projectId": pid(project), "assetIds": [aid(a)]}}
        )
        assert errors_of(body, "linkAssetsToProject") == [("FORBIDDEN", None)]
        theirs = await (await make_tenant(engine)).project("Theirs")
        _, body = await gql(
            client, tenant.token, LINK, {"input": {"projectId": pid(theirs), "assetIds": [aid(a)]}}
        )
        assert errors_of(body, "linkAssetsToProject") == [("NOT_FOUND", "projectId")]
        _, body = await gql(
            client, tenant.token, LINK, {"input": {"projectId": aid(a), "assetIds": [aid(a)]}}
        )
        assert body["errors"][0]["extensions"]["field"] == "projectId"
        assert await count_rows(tenant, t.asset_projects) == 0

    async def test_linking_sixty_assets_costs_what_linking_one_does(self, client, engine, tenant):
        project = await tenant.project("Summer sale")
        one, many = await tenant.asset("One"), [await tenant.asset(f"A{i}") for i in range(60)]
        query = """mutation($input: ProjectAssetsInput!) { linkAssetsToProject(input: $input) { userErrors { code } } }"""
        with count_statements(engine) as few:
            await gql(
                client, tenant.token, query, {"input": {"projectId": pid(project), "assetIds": [aid(one)]}}
            )
        with count_statements(engine) as lots:
            _, body = await gql(
                client,
                tenant.token,
                query,
                {"input": {"projectId": pid(project), "assetIds": [aid(a) for a in many]}},
            )
        assert body["data"]["linkAssetsToProject"]["userErrors"] == []
        assert len(lots) == len(few)
