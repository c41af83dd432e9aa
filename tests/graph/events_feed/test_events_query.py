"""`events` and `node.activity`: the organisation's log as a connection, through the real app."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import codes, gql, make_tenant

CREATE = """mutation($name: String!) { createFolder(input: {name: $name}) { folder { id } userErrors { code } } }"""
RENAME = """mutation($id: ID!, $name: String!) { renameFolder(input: {id: $id, name: $name}) {
    userErrors { code } } }"""
EVENTS = """query($after: String, $first: Int, $types: [String!], $subject: ID) {
    events(after: $after, first: $first, types: $types, subjectId: $subject) {
        edges { cursor node { cursor type version subjectType subjectId payload
            actor { id } subject { id ... on Folder { name } } } }
        nodes { type }
        pageInfo { hasNextPage hasPreviousPage endCursor } } }"""


async def folder(client, tenant, name: str) -> str:
    _, body = await gql(client, tenant.token, CREATE, {"name": name})
    assert body["data"]["createFolder"]["userErrors"] == []
    return body["data"]["createFolder"]["folder"]["id"]


async def events(client, token, **variables):
    status, body = await gql(client, token, EVENTS, variables)
    return status, body


class TestTheFeed:
    async def test_a_change_shows_at_once_with_its_actor_subject_and_global_id_payload(self, client, engine):
        tenant = await make_tenant(engine)
        parent = await folder(client, tenant, "Campaigns")
        _, body = await events(client, tenant.token)
        [edge] = body["data"]["events"]["edges"]
        event = edge["node"]
        assert event["type"] == "folder.created"
        assert event["version"] == 1
        assert event["subjectType"] == "Folder"
        assert event["subjectId"] == parent
        assert event["subject"] == {"id": parent, "name": "Campaigns"}
        assert event["actor"] == {"id": to_global_id("Member", tenant.member_id)}
        assert event["payload"] == {"name": "Campaigns"}
        assert edge["cursor"] == event["cursor"]

    async def test_payload_ids_are_global_ids_in_camel_case(self, client, engine):
        tenant = await make_tenant(engine)
        a = await folder(client, tenant, "A")
        b = await folder(client, tenant, "B")
        move = """mutation($id: ID!, $p: ID) { moveFolder(input: {id: $id, parentId: $p}) { userErrors { code } } }"""
        _, body = await gql(client, tenant.token, move, {"id": b, "p": a})
        assert body["data"]["moveFolder"]["userErrors"] == []
        _, body = await events(client, tenant.token, types=["folder.moved"])
        [edge] = body["data"]["events"]["edges"]
        assert edge["node"]["payload"] == {
            "parentId": a,
            "previousParentId": None,
        }

    async def test_pages_walk_in_cursor_order_and_an_empty_page_keeps_the_cursor(self, client, engine):
        tenant = await make_tenant(engine)
        for i in range(5):
            await folder(client, tenant, f"F{i}")
        seen, after = [], None
        while True:
            _, body = await events(client, tenant.token, after=after, first=2)
            page = body["data"]["events"]
            seen += [e["node"]["subject"]["name"] for e in page["edges"]]
            assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
            after = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"]:
                break
        assert seen == [f"F{i}" for i in range(5)]
        _, body = await events(client, tenant.token, after=after)
        assert body["data"]["events"]["edges"] == []
        assert body["data"]["events"]["pageInfo"]["endCursor"] == after  # poll again from here
        await folder(client, tenant, "later")
        _, body = await events(client, tenant.token, after=after)
        assert [e["node"]["subject"]["name"] for e in body["data"]["events"]["edges"]] == ["later"]

    async def test_types_and_subject_narrow_the_feed(self, client, engine):
        tenant = await make_tenant(engine)
        a = await folder(client, tenant, "A")
        await folder(client, tenant, "B")
        await gql(client, tenant.token, RENAME, {"id": a, "name": "A2"})
        _, body = await events(client, tenant.token, types=["folder.renamed"])
        assert [n["type"] for n in body["data"]["events"]["nodes"]] == ["folder.renamed"]
        _, body = await events(client, tenant.token, subject=a)
        assert [n["type"] for n in body["data"]["events"]["nodes"]] == ["folder.created", "folder.renamed"]

    async def test_another_organisations_events_never_show(self, client, engine):
        mine, theirs = await make_tenant(engine), await make_tenant(engine)
        theirs_folder = await folder(client, theirs, "Theirs")
        _, body = await events(client, mine.token)
        assert body["data"]["events"]["edges"] == []
        _, body = await events(client, mine.token, subject=theirs_folder)
        assert body["data"]["events"]["edges"] == []
        # a cursor of theirs is not one of this list: it would tell how far the shared log has come
        _, body = await events(client, theirs.token)
        cursor = body["data"]["events"]["pageInfo"]["endCursor"]
        _, body = await events(client, mine.token, after=cursor)
        assert codes(body) == ["INVALID_INPUT"]

    async def test_every_role_reads_the_feed(self, client, engine):
        tenant = await make_tenant(engine)
        await folder(client, tenant, "A")
        for role in Role:
            _, token = await tenant.member(role)
            _, body = await events(client, token)
            assert len(body["data"]["events"]["edges"]) == 1, role

    async def test_no_token_is_unauthenticated(self, client):
        _, body = await events(client, None)
        assert codes(body) == ["UNAUTHENTICATED"]

    async def test_bad_arguments_are_coded_errors(self, client, engine):
        tenant = await make_tenant(engine)
        for variables, code in (
            ({"after": "not-a-cursor"}, "INVALID_INPUT"),
            ({"first": 101}, "LIMIT_EXCEEDED"),
            ({"first": -1}, "INVALID_INPUT"),
            ({"types": [f"t{i}" for i in range(65)]}, "LIMIT_EXCEEDED"),
            ({"subject": "nope"}, "INVALID_INPUT"),
        ):
            status, body = await events(client, tenant.token, **variables)
            assert status == 200
            assert codes(body) == [code], variables
            assert body["data"] is None

    async def test_a_cursor_of_another_list_is_refused(self, client, engine):
        tenant = await make_tenant(engine)
        await folder(client, tenant, "A")
        _, body = await gql(client, tenant.token, "{ folders { pageInfo { endCursor } } }")
        cursor = body["data"]["folders"]["pageInfo"]["endCursor"]
        _, body = await events(client, tenant.token, after=cursor)
        assert codes(body) == ["INVALID_INPUT"]

    async def test_a_cursor_before_what_retention_deleted_is_expired(self, client, engine):
        tenant = await make_tenant(engine)
        await folder(client, tenant, "A")
        _, body = await events(client, tenant.token)
        cursor = body["data"]["events"]["pageInfo"]["endCursor"]
        await folder(client, tenant, "B")
        await events(client, tenant.token)  # the feed sees B: on PostgreSQL B has its cursor now
        async with engine.begin() as conn:
            last = (await conn.execute(sa.select(t.event_log.c.last_seq))).scalar_one()
            await conn.execute(sa.update(t.event_log).values(pruned_through=last))
        try:
            _, body = await events(client, tenant.token, after=cursor)
            assert codes(body) == ["CURSOR_EXPIRED"]
            assert "start again" in body["errors"][0]["message"]
            _, body = await events(client, tenant.token)  # no cursor: from the oldest kept
            assert body["data"]["events"]["nodes"]
        finally:
            async with engine.begin() as conn:
                await conn.execute(sa.update(t.event_log).values(pruned_through=0))


class TestActivity:
    async def test_a_nodes_activity_lists_its_own_events(self, client, engine):
        tenant = await make_tenant(engine)
        a = await folder(client, tenant, "A")
        await folder(client, tenant, "B")
        await gql(client, tenant.token, RENAME, {"id": a, "name": "A2"})
        query = """query($id: ID!) { node(id: $id) { activity(first: 10) {
            nodes { type subjectId payload } pageInfo { hasNextPage } } } }"""
        _, body = await gql(client, tenant.token, query, {"id": a})
        assert body["data"]["node"]["activity"]["nodes"] == [
            {"type": "folder.created", "subjectId": a, "payload": {"name": "A"}},
            {"type": "folder.renamed", "subjectId": a, "payload": {"name": "A2", "previousName": "A"}},
        ]

    async def test_the_viewer_organisation_has_activity_too(self, client, engine):
        tenant = await make_tenant(engine)
        query = "{ viewer { organisation { activity { nodes { type } } } } }"
        status, body = await gql(client, tenant.token, query)
        assert status == 200 and "errors" not in body


class TestActivityOfAList:
    async def test_a_page_of_folders_with_their_activity_costs_the_same_statements_for_1_or_20(
        self, client, engine
    ):
        from tests.graph.statements import count_statements

        query = """{ folders(first: 50) { edges { node { name activity(first: 2) {
            nodes { type payload } pageInfo { hasNextPage } } } } } }"""
        counts, bodies = [], []
        for n in (1, 20):
            tenant = await make_tenant(engine)
            for i in range(n):
                pk = await folder(client, tenant, f"F{i}")
                await gql(client, tenant.token, RENAME, {"id": pk, "name": f"G{i}"})
            with count_statements(engine) as statements:
                _, body = await gql(client, tenant.token, query)
            counts.append(len(statements))
            bodies.append(body)
        assert counts[0] == counts[1]
        folders = bodies[1]["data"]["folders"]["edges"]
        assert len(folders) == 20
        for edge in folders:
            activity = edge["node"]["activity"]
            assert [n["type"] for n in activity["nodes"]] == ["folder.created", "folder.renamed"]
            assert activity["nodes"][1]["payload"]["name"] == edge["node"]["name"]
            assert activity["pageInfo"]["hasNextPage"] is False


class TestWhoSeesWhat:
    WEBHOOK = """mutation { createWebhook(input: {url: "https://hooks.example.com/T0/B0/SECRET?token=abc",
        eventTypes: ["asset.saved"]}) { webhook { id } userErrors { code } } }"""

    async def test_webhook_and_token_events_are_for_admins_only(self, client, engine):
        tenant = await make_tenant(engine)
        _, body = await gql(client, tenant.token, self.WEBHOOK)
        assert body["data"]["createWebhook"]["userErrors"] == []
        webhook = body["data"]["createWebhook"]["webhook"]["id"]
        _, admin = await events(client, tenant.token, types=["webhook.created"])
        assert [n["type"] for n in admin["data"]["events"]["nodes"]] == ["webhook.created"]
        for role in (Role.VIEWER, Role.CREATOR, Role.EDITOR, Role.APPROVER):
            _, token = await tenant.member(role)
            _, body = await events(client, token)
            types = [n["type"] for n in body["data"]["events"]["nodes"]]
            assert not [t for t in types if t.startswith(("webhook.", "token."))], (role, types)
            _, body = await events(client, token, subject=webhook)
            assert body["data"]["events"]["edges"] == []
            assert "SECRET" not in str(body)

    async def test_favourites_are_seen_by_the_member_who_made_them_only(self, client, engine):
        tenant = await make_tenant(engine)
        asset = to_global_id("Asset", await tenant.asset("Hero"))
        favourite = (
            """mutation($ids: [ID!]!) { favouriteAssets(input: {ids: $ids}) { userErrors { code } } }"""
        )
        _, body = await gql(client, tenant.token, favourite, {"ids": [asset]})
        assert "errors" not in body, body
        _, mine = await events(client, tenant.token, types=["asset.favourited"])
        assert len(mine["data"]["events"]["nodes"]) == 1
        _, other = await tenant.member(Role.ADMIN)
        _, theirs = await events(client, other, types=["asset.favourited"])
        assert theirs["data"]["events"]["nodes"] == []

    async def test_an_unknown_event_type_is_invalid_input_not_an_empty_feed(self, client, engine):
        tenant = await make_tenant(engine)
        _, body = await events(client, tenant.token, types=["asset.saved", "asset.savde"])
        assert codes(body) == ["INVALID_INPUT"]
        assert "asset.savde" in body["errors"][0]["message"]


class TestSubscriptionsOverHttp:
    async def test_a_subscription_sent_over_http_is_refused_with_a_code(self, client, engine):
        tenant = await make_tenant(engine)
        status, body = await gql(client, tenant.token, "subscription { events { cursor } }")
        assert (status, codes(body)) == (400, ["OPERATION_NOT_ALLOWED"])
        response = await client.get(
            "/graphql",
            params={"query": "subscription { events { cursor } }"},
            headers={"authorization": f"Bearer {tenant.token}", "accept": "application/json"},
        )
        assert response.status_code == 400 and codes(response.json()) == ["OPERATION_NOT_ALLOWED"]

    async def test_an_unknown_operation_name_is_refused_without_quoting_it(self, client, engine, caplog):
        tenant = await make_tenant(engine)
        forged = "x\nERROR: FORGED admin token atl_fake"
        response = await client.post(
            "/graphql",
            json={"query": "query A { viewer { role } }", "operationName": forged},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 400
        assert "FORGED" not in response.text and "FORGED" not in caplog.text
