"""Opening, editing and closing Studio sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from tests.builders import gql
from tests.graph.events import events_of
from tests.graph.mutations import CLOSE_SESSION, CREATE_SESSION, UPDATE_SESSION


class TestCreateSession:
    async def test_a_creator_opens_a_session_with_brand_kit_and_platform(self, client, tenant):
        kit = await tenant.brand_kit("Sunny")
        _, token = await tenant.member(Role.CREATOR)
        _, body = await gql(
            client,
            token,
            CREATE_SESSION,
            {
                "input": {
                    "title": "Summer 🌞 ‏שלום e\u0301",
                    "platform": "INSTAGRAM",
                    "brandKitId": to_global_id("BrandKit", kit),
                    "aspectRatio": "PORTRAIT",
                }
            },
        )
        payload = body["data"]["createSession"]
        assert payload["userErrors"] == []
        assert payload["session"] == {
            "id": payload["session"]["id"],
            "title": "Summer 🌞 ‏שלום e\u0301",
            "platform": "INSTAGRAM",
            "aspectRatio": "PORTRAIT",
            "state": "OPEN",
            "brandKit": {"name": "Sunny"},
            "createdBy": {"role": "CREATOR"},
        }
        assert await events_of(tenant, "session.created") == 1

    async def test_a_viewer_may_not(self, client, tenant):
        _, token = await tenant.member(Role.VIEWER)
        _, body = await gql(client, token, CREATE_SESSION, {"input": {"title": "x"}})
        assert body["data"]["createSession"]["session"] is None
        assert [e["code"] for e in body["data"]["createSession"]["userErrors"]] == ["FORBIDDEN"]

    async def test_bad_titles_and_foreign_brand_kits_are_refused(self, client, engine, tenant):
        from tests.builders import make_tenant

        other_kit = await (await make_tenant(engine)).brand_kit("Theirs")
        cases = [
            ({"title": ""}, "INVALID_INPUT", "title"),
            ({"title": "a\x00b"}, "INVALID_INPUT", "title"),
            ({"title": "x" * 201}, "INVALID_INPUT", "title"),
            ({"title": "ok", "brandKitId": to_global_id("BrandKit", other_kit)}, "NOT_FOUND", "brandKitId"),
        ]
        for given, code, field in cases:
            _, body = await gql(client, tenant.token, CREATE_SESSION, {"input": given})
            errors = body["data"]["createSession"]["userErrors"]
            assert [(e["code"], e["field"]) for e in errors] == [(code, field)], given
        assert await events_of(tenant, "session.created") == 0

    async def test_a_malformed_brand_kit_id_is_a_top_level_not_found(self, client, tenant):
        _, body = await gql(
            client, tenant.token, CREATE_SESSION, {"input": {"title": "x", "brandKitId": "nope"}}
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


class TestUpdateAndClose:
    async def test_update_changes_only_the_fields_given_and_null_clears(self, client, tenant):
        kit = await tenant.brand_kit("Kit")
        session = await tenant.session("Old", brand_kit_id=kit, platform="linkedin")
        sid = to_global_id("Session", session)
        _, body = await gql(client, tenant.token, UPDATE_SESSION, {"input": {"id": sid, "title": "New"}})
        assert body["data"]["updateSession"]["session"] == {
            "id": sid,
            "title": "New",
            "platform": "LINKEDIN",
            "aspectRatio": "SQUARE",
            "brandKit": {"name": "Kit"},
        }
        _, body = await gql(
            client, tenant.token, UPDATE_SESSION, {"input": {"id": sid, "brandKitId": None, "platform": None}}
        )
        assert body["data"]["updateSession"]["session"]["brandKit"] is None
        assert body["data"]["updateSession"]["session"]["platform"] is None

    async def test_closing_starts_the_expiry_of_unkept_generations_and_twice_is_harmless(
        self, client, tenant
    ):
        session = await tenant.session("S")
        kept = await tenant.generation(session, "liked one")
        plain = await tenant.generation(session, "plain one")
        await tenant.like(kept)
        sid = to_global_id("Session", session)
        _, first = await gql(client, tenant.token, CLOSE_SESSION, {"id": sid})
        _, second = await gql(client, tenant.token, CLOSE_SESSION, {"id": sid})
        closed = first["data"]["closeSession"]["session"]
        assert (
            closed["state"] == "CLOSED"
            and second["data"]["closeSession"]["session"]["closedAt"] == closed["closedAt"]
        )
        expiry = {e["node"]["id"]: e["node"]["expiresAt"] for e in closed["generations"]["edges"]}
        assert expiry[to_global_id("Generation", kept)] is None
        # made just now: 7 days after the close comes before 30 days after making
        plain_expiry = datetime.fromisoformat(expiry[to_global_id("Generation", plain)])
        assert plain_expiry == datetime.fromisoformat(closed["closedAt"]) + timedelta(days=7)
        assert await events_of(tenant, "session.closed") == 1

    async def test_another_organisations_session_is_not_found(self, client, engine, tenant):
        from tests.builders import make_tenant

        theirs = to_global_id("Session", await (await make_tenant(engine)).session("theirs"))
        _, body = await gql(client, tenant.token, CLOSE_SESSION, {"id": theirs})
        assert [e["code"] for e in body["data"]["closeSession"]["userErrors"]] == ["NOT_FOUND"]
