"""Webhooks through the schema: ADMIN only, the secret shown once and nowhere else, userErrors, NOT_FOUND
for another organisation's, and deliveries as a connection."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import codes, gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows
from tests.graph.statements import count_statements
from tests.services import sql_webhooks

URL = "https://cms.partner.example/hooks/atelier"
FIELDS = "id url eventTypes description enabled disabledReason previousSecretExpiresAt createdAt updatedAt"
CREATE = f"""mutation($input: CreateWebhookInput!) {{ createWebhook(input: $input) {{
    webhook {{ {FIELDS} }} secret userErrors {{ code message field }} }} }}"""
UPDATE = f"""mutation($input: UpdateWebhookInput!) {{ updateWebhook(input: $input) {{
    webhook {{ {FIELDS} }} userErrors {{ code message field }} }} }}"""
DELETE = """mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedWebhookId userErrors { code field } } }"""
ROTATE = """mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) {
    webhook { id previousSecretExpiresAt } secret userErrors { code field } } }"""
REDELIVER = """mutation($id: ID!) { redeliverWebhookDelivery(input: {id: $id}) {
    delivery { id status nextAttemptAt } userErrors { code field } } }"""
LIST = """{ webhooks { id url eventTypes deliveries(first: 2) { totalCount
    edges { node { id eventType eventCursor status attempts responseStatus durationMs lastError createdAt
                   deliveredAt nextAttemptAt } }
    pageInfo { hasNextPage endCursor } } } }"""


def new(**more):
    return {"input": {"url": URL, "eventTypes": ["folder.created"], "description": "the CMS", **more}}


async def create(client, tenant, **more):
    _, body = await gql(client, tenant.token, CREATE, new(**more))
    payload = body["data"]["createWebhook"]
    assert payload["userErrors"] == [], payload
    return payload


def errors_of(body, mutation):
    return [(e["code"], e["field"]) for e in body["data"][mutation]["userErrors"]]


class TestCreate:
    async def test_an_admin_creates_a_webhook_and_sees_its_secret_this_once(self, client, tenant):
        made = await create(client, tenant, eventTypes=["folder.renamed", "folder.created"])
        hook, secret = made["webhook"], made["secret"]
        assert secret.startswith("whsec_") and len(secret) > 40
        assert (hook["url"], hook["eventTypes"], hook["description"]) == (
            URL,
            ["folder.created", "folder.renamed"],
            "the CMS",
        )
        assert (hook["enabled"], hook["disabledReason"]) == (True, None)
        _, body = await gql(client, tenant.token, "{ webhooks { id url } }")
        assert body["data"]["webhooks"] == [{"id": hook["id"], "url": URL}]
        assert await events_of(tenant, "webhook.created") == 1
        # neither the secret nor anything it is derived from by the key alone is in a row or an event
        async with tenant.engine.connect() as conn:
            stored = [
                str(tuple(r))
                for table in (t.webhooks, t.events)
                for r in await conn.execute(sa.select(table).where(table.c.org_id == tenant.org_id))
            ]
        assert stored and not any(secret in row or secret[6:] in row for row in stored)

    @pytest.mark.parametrize(
        ("more", "field"),
        [
            ({"url": "ftp://x.example/"}, "url"),
            ({"url": "https://u:p@x.example/"}, "url"),
            ({"eventTypes": []}, "eventTypes"),
            ({"eventTypes": ["folder.created", "nope.nope"]}, "eventTypes[1]"),
            ({"description": "a\x00b"}, "description"),
        ],
    )
    async def test_bad_input_is_a_user_error_and_writes_nothing(self, client, tenant, more, field):
        _, body = await gql(client, tenant.token, CREATE, new(**more))
        assert body["data"]["createWebhook"]["secret"] is None
        assert errors_of(body, "createWebhook") == [("INVALID_INPUT", field)]
        assert await count_rows(tenant, t.webhooks) == 0

    async def test_an_organisation_has_at_most_twenty(self, client, tenant):
        for _ in range(20):
            await create(client, tenant)
        _, body = await gql(client, tenant.token, CREATE, new())
        assert errors_of(body, "createWebhook") == [("LIMIT_EXCEEDED", None)]


class TestAdminOnly:
    @pytest.mark.parametrize("role", [Role.VIEWER, Role.CREATOR, Role.EDITOR, Role.APPROVER])
    async def test_every_other_role_is_forbidden_everything(self, client, tenant, role):
        hook = (await create(client, tenant))["webhook"]
        _, token = await tenant.member(role)
        _, body = await gql(client, token, "{ webhooks { id } }")
        assert codes(body) == ["FORBIDDEN"] and body["data"] is None
        _, body = await gql(client, token, CREATE, new())
        assert errors_of(body, "createWebhook") == [("FORBIDDEN", None)]
        _, body = await gql(client, token, UPDATE, {"input": {"id": hook["id"], "url": URL + "/x"}})
        assert errors_of(body, "updateWebhook") == [("FORBIDDEN", None)]
        for document, name in ((DELETE, "deleteWebhook"), (ROTATE, "rotateWebhookSecret")):
            _, body = await gql(client, token, document, {"id": hook["id"]})
            assert errors_of(body, name) == [("FORBIDDEN", None)]
        assert await count_rows(tenant, t.webhooks) == 1

    async def test_another_organisations_webhook_is_not_found(self, client, engine, tenant):
        theirs = (await create(client, await make_tenant(engine)))["webhook"]
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": theirs["id"], "enabled": False}})
        assert errors_of(body, "updateWebhook") == [("NOT_FOUND", "id")]
        for document, name in ((DELETE, "deleteWebhook"), (ROTATE, "rotateWebhookSecret")):
            for id in (theirs["id"], to_global_id("Asset", 1), "not an id"):
                _, body = await gql(client, tenant.token, document, {"id": id})
                assert errors_of(body, name) == [("NOT_FOUND", "id")]
        _, body = await gql(client, tenant.token, "{ webhooks { id } }")
        assert body["data"]["webhooks"] == []


class TestChanges:
    async def test_an_update_changes_what_is_given_and_records_what_changed(self, client, tenant):
        hook = (await create(client, tenant))["webhook"]
        change = {"id": hook["id"], "url": URL + "/v2", "eventTypes": ["asset.saved"], "description": None}
        _, body = await gql(client, tenant.token, UPDATE, {"input": change})
        updated = body["data"]["updateWebhook"]["webhook"]
        assert (updated["url"], updated["eventTypes"], updated["description"]) == (
            URL + "/v2",
            ["asset.saved"],
            "the CMS",
        )
        _, again = await gql(client, tenant.token, UPDATE, {"input": change})  # the same again: no event
        assert again["data"]["updateWebhook"]["webhook"] == updated
        assert await events_of(tenant, "webhook.updated") == 1
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": hook["id"], "enabled": False}})
        off = body["data"]["updateWebhook"]["webhook"]
        assert (off["enabled"], off["disabledReason"]) == (False, "disabled by an admin")
        _, body = await gql(client, tenant.token, UPDATE, {"input": {"id": hook["id"], "enabled": True}})
        assert body["data"]["updateWebhook"]["webhook"]["disabledReason"] is None
        assert (await events_of(tenant, "webhook.disabled"), await events_of(tenant, "webhook.enabled")) == (
            1,
            1,
        )

    async def test_rotation_shows_a_new_secret_once_and_keeps_the_old_one_signing_a_while(
        self, client, tenant
    ):
        made = await create(client, tenant)
        _, body = await gql(client, tenant.token, ROTATE, {"id": made["webhook"]["id"]})
        rotated = body["data"]["rotateWebhookSecret"]
        assert rotated["secret"].startswith("whsec_") and rotated["secret"] != made["secret"]
        assert rotated["webhook"]["previousSecretExpiresAt"] is not None
        async with tenant.engine.connect() as conn:
            payload = (
                await conn.execute(
                    sa.select(t.events.c.payload).where(
                        t.events.c.org_id == tenant.org_id, t.events.c.type == "webhook.rotated"
                    )
                )
            ).scalar_one()
        assert set(payload) == {"previous_valid_until"}

    async def test_a_deleted_webhook_is_gone(self, client, tenant):
        hook = (await create(client, tenant))["webhook"]
        _, body = await gql(client, tenant.token, DELETE, {"id": hook["id"]})
        assert body["data"]["deleteWebhook"] == {"deletedWebhookId": hook["id"], "userErrors": []}
        _, body = await gql(client, tenant.token, DELETE, {"id": hook["id"]})
        assert errors_of(body, "deleteWebhook") == [("NOT_FOUND", "id")]
        assert await events_of(tenant, "webhook.deleted") == 1


class TestDeliveries:
    async def test_deliveries_page_newest_first_and_one_is_sent_again_on_request(
        self, client, engine, tenant
    ):
        hook = (await create(client, tenant))["webhook"]
        for i in range(3):
            await gql(
                client,
                tenant.token,
                "mutation($n: String!) { createFolder(input: {name: $n}) { userErrors { code } } }",
                {"n": f"F{i}"},
            )
        outbox = sql_webhooks(engine, sender=None)  # dispatch only: nothing is sent in the shared database
        while await outbox.dispatch_once() > 0:
            pass
        _, body = await gql(client, tenant.token, LIST)
        (listed,) = body["data"]["webhooks"]
        page = listed["deliveries"]
        assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
        nodes = [e["node"] for e in page["edges"]]
        assert [n["status"] for n in nodes] == ["PENDING", "PENDING"] and nodes[0]["attempts"] == 0
        assert nodes[0]["eventCursor"] != nodes[1]["eventCursor"]
        assert nodes[0]["eventType"] == "folder.created" and listed["id"] == hook["id"]
        _, body = await gql(client, tenant.token, REDELIVER, {"id": nodes[1]["id"]})
        assert body["data"]["redeliverWebhookDelivery"]["delivery"]["status"] == "PENDING"
        assert await events_of(tenant, "webhook.redelivered") == 1
        other = await make_tenant(engine)
        _, body = await gql(client, other.token, REDELIVER, {"id": nodes[1]["id"]})
        assert errors_of(body, "redeliverWebhookDelivery") == [("NOT_FOUND", "id")]
        await gql(client, tenant.token, UPDATE, {"input": {"id": hook["id"], "enabled": False}})
        _, body = await gql(client, tenant.token, REDELIVER, {"id": nodes[1]["id"]})
        assert errors_of(body, "redeliverWebhookDelivery") == [("INVALID_STATE", "id")]
        await gql(client, tenant.token, DELETE, {"id": hook["id"]})  # nothing of ours stays enabled

    async def test_every_webhooks_deliveries_come_in_one_batch_each_its_own(self, client, engine, tenant):
        async def listed():
            with count_statements(engine) as statements:
                _, body = await gql(client, tenant.token, LIST)
            return body["data"]["webhooks"], len(statements)

        created = await create(client, tenant, eventTypes=["folder.created"])
        renamed = await create(client, tenant, eventTypes=["folder.renamed"])
        folders = []
        for i in range(3):
            _, body = await gql(
                client,
                tenant.token,
                "mutation($n: String!) { createFolder(input: {name: $n}) { folder { id } } }",
                {"n": f"F{i}"},
            )
            folders.append(body["data"]["createFolder"]["folder"]["id"])
        await gql(
            client,
            tenant.token,
            'mutation($id: ID!) { renameFolder(input: {id: $id, name: "G"}) { userErrors { code } } }',
            {"id": folders[0]},
        )
        outbox = sql_webhooks(engine, sender=None)
        while await outbox.dispatch_once() > 0:
            pass
        two, cost_of_two = await listed()
        quiet = await create(client, tenant, eventTypes=["tag.created"])
        three, cost_of_three = await listed()
        assert cost_of_three == cost_of_two  # one statement per page and one per count, not per webhook
        assert [h["id"] for h in three] == [h["webhook"]["id"] for h in (created, renamed, quiet)]
        summary = [
            (h["deliveries"]["totalCount"], [e["node"]["eventType"] for e in h["deliveries"]["edges"]])
            for h in three
        ]
        assert summary == [(3, ["folder.created", "folder.created"]), (1, ["folder.renamed"]), (0, [])]
        assert three[:2] == two
        assert [h["deliveries"]["pageInfo"]["hasNextPage"] for h in three] == [True, False, False]
        for hook in (created, renamed, quiet):
            await gql(client, tenant.token, DELETE, {"id": hook["webhook"]["id"]})


class TestByGlobalId:
    NODES = """query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename ... on Webhook { url deliveries(first: 1) { totalCount } }
        ... on WebhookDelivery { eventType status } } }"""

    async def test_an_admin_fetches_webhooks_and_deliveries_by_id_and_nobody_else_does(
        self, client, engine, tenant
    ):
        hook = (await create(client, tenant))["webhook"]
        await gql(client, tenant.token, 'mutation { createFolder(input: {name: "N"}) { folder { id } } }')
        outbox = sql_webhooks(engine, sender=None)
        while await outbox.dispatch_once() > 0:
            pass
        _, body = await gql(client, tenant.token, LIST)
        delivery = body["data"]["webhooks"][0]["deliveries"]["edges"][0]["node"]["id"]
        ids = {"ids": [hook["id"], delivery, hook["id"]]}
        _, body = await gql(client, tenant.token, self.NODES, ids)
        assert body["data"] == {
            "nodes": [
                {"__typename": "Webhook", "url": URL, "deliveries": {"totalCount": 1}},
                {"__typename": "WebhookDelivery", "eventType": "folder.created", "status": "PENDING"},
                {"__typename": "Webhook", "url": URL, "deliveries": {"totalCount": 1}},
            ]
        }
        _, viewer = await tenant.member(Role.EDITOR)
        other = await make_tenant(engine)
        for token in (viewer, other.token):  # as if they were not there: no error that tells them apart
            _, body = await gql(client, token, self.NODES, ids)
            assert body["data"] == {"nodes": [None, None, None]} and "errors" not in body
        await gql(client, tenant.token, DELETE, {"id": hook["id"]})
        _, body = await gql(client, tenant.token, self.NODES, ids)
        assert body["data"] == {"nodes": [None, None, None]}  # its deliveries went with it
