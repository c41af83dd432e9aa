"""Liking and reviewing generations: idempotent, all or nothing, races settled in the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from domain.kernel.access import Role
from domain.kernel.alt_text import HOW_TO
from graph.relay.ids import to_global_id
from tests.builders import codes, gql, make_tenant
from tests.graph.events import events_of
from tests.graph.mutations import APPROVE, ESCALATE, LIKE, REJECT, UNLIKE

GOOD_ALT = "A red fox curled up asleep in fresh snow."


def gid(pk: int) -> str:
    return to_global_id("Generation", pk)


class TestLikes:
    async def test_liking_twice_is_one_like_and_it_outlives_the_session(self, client, tenant):
        session = await tenant.session("S")
        g = await tenant.generation(session, "fox", expires_at=None)
        for _ in range(2):
            _, body = await gql(client, tenant.token, LIKE, {"ids": [gid(g)]})
            assert body["data"]["like"]["generations"] == [
                {"id": gid(g), "likedByViewer": True, "likeCount": 1, "expiresAt": None}
            ]
        assert await events_of(tenant, "generation.liked") == 1
        await gql(
            client,
            tenant.token,
            "mutation($id: ID!) { closeSession(input: {id: $id}) { session { state } } }",
            {"id": to_global_id("Session", session)},
        )
        _, body = await gql(
            client,
            tenant.token,
            "{ likedGenerations { totalCount edges { node { prompt session { state } } } } }",
        )
        assert body["data"]["likedGenerations"] == {
            "totalCount": 1,
            "edges": [{"node": {"prompt": "fox", "session": {"state": "CLOSED"}}}],
        }

    async def test_fifty_parallel_likes_by_one_member_make_one_like(self, client, tenant):  # row 32
        g = await tenant.generation(await tenant.session("S"))
        results = await asyncio.gather(
            *(gql(client, tenant.token, LIKE, {"ids": [gid(g)]}) for _ in range(50))
        )
        # every caller sees the one like, none an error or a count of 0 or 2
        assert all(
            body["data"]["like"]
            == {
                "generations": [{"id": gid(g), "likedByViewer": True, "likeCount": 1, "expiresAt": None}],
                "userErrors": [],
            }
            for _, body in results
        ), results
        _, body = await gql(
            client, tenant.token, f'{{ node(id: "{gid(g)}") {{ ... on Generation {{ likeCount }} }} }}'
        )
        assert body["data"]["node"]["likeCount"] == 1
        assert await events_of(tenant, "generation.liked") == 1

    async def test_unlike_restores_the_expiry_when_nobody_likes_it(self, client, tenant):
        closed_at = datetime.now(UTC) - timedelta(days=1)
        session = await tenant.session("S", state="closed", closed_at=closed_at)
        g = await tenant.generation(session)
        _, body = await gql(client, tenant.token, LIKE, {"ids": [gid(g)]})
        assert body["data"]["like"]["generations"][0]["expiresAt"] is None
        _, body = await gql(client, tenant.token, UNLIKE, {"ids": [gid(g)]})
        (unliked,) = body["data"]["unlike"]["generations"]
        assert (unliked["likedByViewer"], unliked["likeCount"]) == (False, 0)
        # made just now in a session closed a day ago: 7 days after the close comes before 30 after making
        assert datetime.fromisoformat(unliked["expiresAt"]) == closed_at + timedelta(days=7)

    async def test_a_bulk_like_with_bad_ids_changes_nothing_and_names_each(
        self, client, engine, tenant
    ):  # row 31
        session = await tenant.session("S")
        good = gid(await tenant.generation(session))
        foreign = gid(
            await (await make_tenant(engine)).generation(await (await make_tenant(engine)).session("x"))
        )
        ids = [good, foreign, "garbage", good, to_global_id("Asset", 1)]
        _, body = await gql(client, tenant.token, LIKE, {"ids": ids})
        payload = body["data"]["like"]
        assert payload["generations"] == []
        assert [(e["code"], e["index"], e["id"], e["field"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", 1, foreign, "generationIds[1]"),
            ("NOT_FOUND", 2, "garbage", "generationIds[2]"),
            ("INVALID_INPUT", 3, good, "generationIds[3]"),
            ("NOT_FOUND", 4, ids[4], "generationIds[4]"),
        ]
        assert await events_of(tenant, "generation.liked") == 0

    async def test_too_many_or_no_ids_are_refused(self, client, tenant):
        _, body = await gql(client, tenant.token, LIKE, {"ids": ["x"] * 501})
        assert [e["code"] for e in body["data"]["like"]["userErrors"]] == ["LIMIT_EXCEEDED"]
        _, body = await gql(client, tenant.token, LIKE, {"ids": []})
        assert [e["code"] for e in body["data"]["like"]["userErrors"]] == ["INVALID_INPUT"]

    async def test_a_viewer_cannot_like(self, client, tenant):
        g = await tenant.generation(await tenant.session("S"))
        _, token = await tenant.member(Role.VIEWER)
        _, body = await gql(client, token, LIKE, {"ids": [gid(g)]})
        assert [e["code"] for e in body["data"]["like"]["userErrors"]] == ["FORBIDDEN"]


class TestApprove:
    async def test_an_approver_records_the_review_and_the_generation_is_kept(self, client, tenant):
        g = await tenant.generation(await tenant.session("S"), "a red fox in snow, cinematic")
        _, token = await tenant.member(Role.APPROVER)
        review = {
            "altText": GOOD_ALT,
            "rightsNotes": "In-house",
            "source": "procedural",
            "intendedPlacement": "hero",
        }
        before = datetime.now(UTC)
        _, body = await gql(client, token, APPROVE, {"input": {"generationIds": [gid(g)], **review}})
        after = datetime.now(UTC)
        (approved,) = body["data"]["approve"]["generations"]
        assert approved["reviewState"] == "APPROVED" and approved["expiresAt"] is None
        assert approved["review"]["reviewedBy"] == {"role": "APPROVER"}
        assert before <= datetime.fromisoformat(approved["review"]["reviewedAt"]) <= after
        assert {k: approved["review"][k] for k in review} == review
        _, again = await gql(client, token, APPROVE, {"input": {"generationIds": [gid(g)], **review}})
        assert again["data"]["approve"]["userErrors"] == []
        assert await events_of(tenant, "generation.approved") == 1

    async def test_only_approvers_and_admins_review(self, client, tenant):
        g = gid(await tenant.generation(await tenant.session("S")))
        for role in (Role.VIEWER, Role.CREATOR, Role.EDITOR):
            _, token = await tenant.member(role)
            for query, variables in (
                (APPROVE, {"input": {"generationIds": [g]}}),
                (REJECT, {"ids": [g], "reason": "no"}),
            ):
                _, body = await gql(client, token, query, variables)
                payload = next(iter(body["data"].values()))
                assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"], role

    async def test_alt_text_must_describe_the_image(self, client, tenant):  # row 38
        g = gid(await tenant.generation(await tenant.session("S"), "a red fox in snow, cinematic"))
        opening = 'alt text should not open with "image of" or "picture of": screen readers already say it is an image.'
        for alt, reason in (
            ("", "alt text is empty."),
            ("   ", "alt text is empty."),
            ("image of a fox", opening),
            ("Picture of a fox in snow", opening),
            ("fox, snow, winter, cute", "alt text looks like a list of keywords."),
            (
                "a red fox in snow, cinematic",
                "alt text is the prompt copied; the prompt says what was asked for, not what the image shows.",
            ),
            ("fox fox fox fox fox", "alt text repeats 'fox' 5 times, like keyword stuffing."),
        ):
            _, body = await gql(
                client, tenant.token, APPROVE, {"input": {"generationIds": [g], "altText": alt}}
            )
            errors = body["data"]["approve"]["userErrors"]
            assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", "altText")], alt
            assert errors[0]["message"] == f"{reason} {HOW_TO}"  # says what is wrong and how to write it
        for alt, message in (
            ("x" * 251, "at most 250 characters (got 251)"),
            ("fox\x00", "control characters such as NUL are not allowed"),
        ):
            _, body = await gql(
                client, tenant.token, APPROVE, {"input": {"generationIds": [g], "altText": alt}}
            )
            errors = body["data"]["approve"]["userErrors"]
            assert [(e["code"], e["field"], e["message"]) for e in errors] == [
                ("INVALID_INPUT", "altText", message)
            ], alt
        assert await events_of(tenant, "generation.approved") == 0

    async def test_a_rejected_generation_stays_rejected(self, client, tenant):
        g = gid(await tenant.generation(await tenant.session("S")))
        _, body = await gql(client, tenant.token, REJECT, {"ids": [g], "reason": "off-brand"})
        assert body["data"]["reject"]["generations"] == [
            {"id": g, "reviewState": "REJECTED", "review": {"reason": "off-brand"}}
        ]
        _, body = await gql(
            client, tenant.token, APPROVE, {"input": {"generationIds": [g], "altText": GOOD_ALT}}
        )
        assert [(e["code"], e["index"]) for e in body["data"]["approve"]["userErrors"]] == [
            ("INVALID_STATE", 0)
        ]

    async def test_approve_and_reject_racing_one_wins_the_other_is_invalid_state(
        self, client, tenant
    ):  # row 33
        for _ in range(5):
            g = gid(await tenant.generation(await tenant.session("S")))
            (_, a), (_, r) = await asyncio.gather(
                gql(client, tenant.token, APPROVE, {"input": {"generationIds": [g], "altText": GOOD_ALT}}),
                gql(client, tenant.token, REJECT, {"ids": [g], "reason": "no"}),
            )
            approve, reject = a["data"]["approve"], r["data"]["reject"]
            # exactly one side wins; the other is told INVALID_STATE for the one id and changes nothing
            if approve["userErrors"]:
                winner, loser, state = reject, approve, "REJECTED"
            else:
                winner, loser, state = approve, reject, "APPROVED"
            assert winner["userErrors"] == [] and [x["reviewState"] for x in winner["generations"]] == [state]
            assert loser["generations"] == []
            assert [(e["code"], e["index"], e["id"]) for e in loser["userErrors"]] == [
                ("INVALID_STATE", 0, g)
            ]
            _, body = await gql(
                client, tenant.token, f'{{ node(id: "{g}") {{ ... on Generation {{ reviewState }} }} }}'
            )
            assert body["data"]["node"]["reviewState"] == state, (a, r)
        assert (
            await events_of(tenant, "generation.approved") + await events_of(tenant, "generation.rejected")
            == 5
        )

    async def test_a_bulk_approve_is_all_or_nothing(self, client, tenant):
        session = await tenant.session("S")
        ok, rejected = (
            gid(await tenant.generation(session)),
            gid(await tenant.generation(session, review_state="rejected")),
        )
        _, body = await gql(
            client, tenant.token, APPROVE, {"input": {"generationIds": [ok, rejected], "altText": GOOD_ALT}}
        )
        assert [(e["code"], e["index"], e["id"]) for e in body["data"]["approve"]["userErrors"]] == [
            ("INVALID_STATE", 1, rejected)
        ]
        _, body = await gql(
            client, tenant.token, f'{{ node(id: "{ok}") {{ ... on Generation {{ reviewState }} }} }}'
        )
        assert body["data"]["node"]["reviewState"] == "PENDING"


class TestEscalate:
    async def test_a_creator_escalates_a_pending_generation(self, client, tenant):
        g = gid(await tenant.generation(await tenant.session("S")))
        _, token = await tenant.member(Role.CREATOR)
        _, body = await gql(
            client, token, ESCALATE, {"input": {"generationId": g, "concern": "RIGHTS", "reason": "logo?"}}
        )
        assert body["data"]["escalate"]["generation"]["escalation"] == {
            "concern": "RIGHTS",
            "reason": "logo?",
            "escalatedBy": {"role": "CREATOR"},
        }
        assert await events_of(tenant, "generation.escalated") == 1

    async def test_only_pending_generations_escalate(self, client, tenant):
        g = gid(await tenant.generation(await tenant.session("S"), review_state="approved"))
        _, body = await gql(
            client, tenant.token, ESCALATE, {"input": {"generationId": g, "concern": "CLAIMS", "reason": "x"}}
        )
        assert [e["code"] for e in body["data"]["escalate"]["userErrors"]] == ["INVALID_STATE"]
        _, body = await gql(
            client,
            tenant.token,
            ESCALATE,
            {"input": {"generationId": gid(2**40), "concern": "CLAIMS", "reason": "x"}},
        )
        assert [e["code"] for e in body["data"]["escalate"]["userErrors"]] == ["NOT_FOUND"]
        # a malformed id is a malformed request (the README's one rule): top-level, naming the field
        _, body = await gql(
            client,
            tenant.token,
            ESCALATE,
            {"input": {"generationId": "nope", "concern": "CLAIMS", "reason": "x"}},
        )
        assert codes(body) == ["NOT_FOUND"] and body["errors"][0]["extensions"]["field"] == "generationId"


async def test_an_escalation_may_leave_the_concern_out(client, tenant):
    g = gid(await tenant.generation(await tenant.session("S")))
    _, body = await gql(
        client, tenant.token, ESCALATE, {"input": {"generationId": g, "reason": "is this our logo?"}}
    )
    assert body["data"]["escalate"]["generation"]["escalation"]["concern"] is None
    assert body["data"]["escalate"]["generation"]["escalation"]["reason"] == "is this our logo?"
