"""GenerationRepository: SQL and fake alike (the sweep's rule itself: test_retention_rule.py)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from domain.studio.model import Concern, Escalation, ReviewNotes, ReviewState
from tests.contracts.conftest import NOW


async def test_added_generations_are_pending_and_found_in_their_organisation_only(backend, orgs):
    session = await backend.session(orgs.org.id, orgs.member.id)
    [a, b] = await backend.generations(session, 2)
    assert (a.review_state, a.saved_asset_id, a.escalation) == (ReviewState.PENDING, None, None)
    async with backend.uow() as uow:
        unknown = b.id + 1_000_000
        found = await uow.generations.get_many(orgs.org.id, [b.id, unknown, a.id, b.id])
        assert list(found.items()) == [(a.id, a), (b.id, b)]  # found ones only, in id order
        locked = await uow.generations.get_many(orgs.org.id, [b.id, a.id], for_update=True)
        assert list(locked) == [a.id, b.id]
        assert await uow.generations.get_many(orgs.other.id, [a.id, b.id]) == {}
        assert await uow.generations.get_many(orgs.org.id, []) == {}


async def test_context_assets_keep_their_order_and_their_organisation(backend, orgs):
    first, second, third = await backend.assets(orgs.org.id, "one", "two", "three")
    session = await backend.session(orgs.org.id, orgs.member.id)
    [g] = await backend.generations(session, context_asset_ids=(third.id, first.id, second.id))
    [plain] = await backend.generations(session)
    async with backend.uow() as uow:
        context = await uow.generations.context_assets(orgs.org.id, [g.id, plain.id])
        assert {k: list(v) for k, v in context.items()} == {g.id: [third.id, first.id, second.id]}
        assert await uow.generations.context_assets(orgs.other.id, [g.id]) == {}


async def test_in_session_lists_the_sessions_generations_in_id_order(backend, orgs):
    session, elsewhere = [await backend.session(orgs.org.id, orgs.member.id) for _ in range(2)]
    made = await backend.generations(session, 3)
    await backend.generations(elsewhere)
    async with backend.uow() as uow:
        assert list(await uow.generations.in_session(orgs.org.id, session.id)) == made
        assert list(await uow.generations.in_session(orgs.other.id, session.id)) == []


class TestSetReviews:
    async def test_stores_each_ones_fields_where_the_state_is_still_the_expected_one(self, backend, orgs):
        session = await backend.session(orgs.org.id, orgs.member.id)
        a, b, moved = await backend.generations(session, 3)
        async with backend.uow() as uow:  # another review got to `moved` first
            assert await uow.generations.set_reviews(
                [moved.reject("off brand", by=orgs.member.id, at=NOW)], expected=ReviewState.PENDING
            ) == {moved.id}
            await uow.commit()
        approved = [
            g.approve(ReviewNotes(alt_text=f"alt {g.id}", source=f"src {g.id}"), by=orgs.member.id, at=NOW)
            for g in (a, b, moved)
        ]
        async with backend.uow() as uow:
            stored = await uow.generations.set_reviews(approved, expected=ReviewState.PENDING)
            await uow.commit()
        assert stored == {a.id, b.id}
        async with backend.uow() as uow:
            found = await uow.generations.get_many(orgs.org.id, [a.id, b.id, moved.id])
        assert found[a.id] == approved[0] and found[b.id] == approved[1]  # each its own notes
        assert found[a.id].expires_at is None and found[a.id].review.alt_text == f"alt {a.id}"
        assert found[moved.id].review_state is ReviewState.REJECTED
        assert found[moved.id].review == ReviewNotes(reason="off brand")

    async def test_a_generation_of_another_organisation_is_not_stored(self, backend, orgs):
        session = await backend.session(orgs.org.id, orgs.member.id)
        [g] = await backend.generations(session)
        forged = replace(g.reject("no", by=orgs.other_member.id, at=NOW), org_id=orgs.other.id)
        async with backend.uow() as uow:
            assert await uow.generations.set_reviews([forged], expected=ReviewState.PENDING) == set()
            assert await uow.generations.set_reviews([], expected=ReviewState.PENDING) == set()
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.generations.get_many(orgs.org.id, [g.id]))[g.id] == g


async def test_an_escalation_is_stored_and_cleared(backend, orgs):
    session = await backend.session(orgs.org.id, orgs.member.id)
    [g] = await backend.generations(session)
    escalated = g.escalate(Concern.RIGHTS, "a logo", by=orgs.member.id, at=NOW)
    async with backend.uow() as uow:
        await uow.generations.set_escalation(escalated)
        await uow.generations.set_escalation(replace(escalated, org_id=orgs.other.id, escalation=None))
        await uow.commit()
    async with backend.uow() as uow:
        found = (await uow.generations.get_many(orgs.org.id, [g.id]))[g.id]
        assert found.escalation == Escalation(Concern.RIGHTS, "a logo", orgs.member.id, NOW)
        await uow.generations.set_escalation(replace(escalated, escalation=None))
        assert (await uow.generations.get_many(orgs.org.id, [g.id]))[g.id].escalation is None


class TestMarkSaved:
    async def test_the_first_save_links_its_asset_and_clears_the_expiry_and_a_second_loses(
        self, backend, orgs
    ):
        first, second = await backend.assets(orgs.org.id, "first", "second")
        [g] = await backend.generations(await backend.session(orgs.org.id, orgs.member.id))
        async with backend.uow() as uow:
            assert not await uow.generations.mark_saved(orgs.other.id, g.id, first.id)
            assert await uow.generations.mark_saved(orgs.org.id, g.id, first.id)
            assert not await uow.generations.mark_saved(orgs.org.id, g.id, second.id)
            assert not await uow.generations.mark_saved(orgs.org.id, g.id + 1_000_000, second.id)
            await uow.commit()
        async with backend.uow() as uow:
            found = (await uow.generations.get_many(orgs.org.id, [g.id]))[g.id]
        assert (found.saved_asset_id, found.expires_at) == (first.id, None)

    async def test_many_link_each_to_its_own_asset_and_leave_out_those_saved_first(self, backend, orgs):
        assets = await backend.assets(orgs.org.id, "a", "b", "c", "d")
        session = await backend.session(orgs.org.id, orgs.member.id)
        a, b, taken = await backend.generations(session, 3)
        async with backend.uow() as uow:
            assert await uow.generations.mark_saved(orgs.org.id, taken.id, assets[3].id)
            await uow.commit()
        wanted = {a.id: assets[0].id, b.id: assets[1].id, taken.id: assets[2].id}
        async with backend.uow() as uow:
            assert await uow.generations.mark_saved_many(orgs.other.id, wanted) == set()
            assert await uow.generations.mark_saved_many(orgs.org.id, wanted) == {a.id, b.id}
            assert await uow.generations.mark_saved_many(orgs.org.id, wanted) == set()
            assert await uow.generations.mark_saved_many(orgs.org.id, {}) == set()
            await uow.commit()
        async with backend.uow() as uow:
            found = await uow.generations.get_many(orgs.org.id, list(wanted))
        assert {i: g.saved_asset_id for i, g in found.items()} == {
            a.id: assets[0].id,
            b.id: assets[1].id,
            taken.id: assets[3].id,
        }
        assert {g.expires_at for g in found.values()} == {None}


async def test_expiries_are_set_per_generation_within_the_organisation(backend, orgs):
    a, b, c = await backend.generations(await backend.session(orgs.org.id, orgs.member.id), 3)
    later = NOW + timedelta(days=90)
    async with backend.uow() as uow:
        await uow.generations.set_expiries(orgs.org.id, {a.id: None, b.id: later})
        await uow.generations.set_expiries(orgs.other.id, {c.id: None})
        await uow.generations.set_expiries(orgs.org.id, {})
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.generations.get_many(orgs.org.id, [a.id, b.id, c.id])
    assert [found[i].expires_at for i in (a.id, b.id, c.id)] == [None, later, c.expires_at]


class TestTheSweepsQueries:
    async def test_expired_lists_the_oldest_first_up_to_the_limit_and_count_agrees(self, backend, orgs):
        session = await backend.session(orgs.org.id, orgs.member.id)
        # far in the past: older than anything another test leaves behind, so ours come first
        old = NOW - timedelta(days=36500)
        made = [
            (await backend.generations(session, expires_at=old + timedelta(minutes=m)))[0]
            for m in (3, 1, 2, 1)
        ]
        async with backend.uow() as uow:
            first_three = await uow.generations.expired(NOW, limit=3)
            everything = await uow.generations.expired(NOW, limit=100_000)
            count = await uow.generations.count_expired(NOW)
        by_expiry_then_id = [made[1], made[3], made[2], made[0]]
        assert list(first_three) == by_expiry_then_id[:3]
        assert [g for g in everything if g.org_id == orgs.org.id] == by_expiry_then_id
        assert count == len(everything)

    async def test_delete_if_expired_deletes_only_within_the_organisation(self, backend, orgs):
        [g] = await backend.generations(
            await backend.session(orgs.org.id, orgs.member.id), expires_at=NOW - timedelta(days=1)
        )
        async with backend.uow() as uow:
            assert not await uow.generations.delete_if_expired(replace(g, org_id=orgs.other.id), NOW)
            assert not await uow.generations.delete_if_expired(g, NOW - timedelta(days=2))  # not yet
            assert await uow.generations.delete_if_expired(g, NOW)
            assert not await uow.generations.delete_if_expired(g, NOW)  # gone already
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.generations.get_many(orgs.org.id, [g.id]) == {}

    async def test_blobs_in_use_are_the_keys_rows_of_the_area_refer_to(self, backend, orgs):
        [g] = await backend.generations(await backend.session(orgs.org.id, orgs.member.id))
        [asset] = await backend.assets(orgs.org.id, "kept")
        unused = secrets.token_hex(32)  # no row of any test holds it, whatever ran before
        async with backend.uow() as uow:
            keys = [g.blob_key, asset.blob_key, unused]
            assert await uow.generations.blobs_in_use("scratch", keys) == {g.blob_key}
            assert await uow.generations.blobs_in_use("library", keys) == {asset.blob_key}
            assert await uow.generations.blobs_in_use("scratch", []) == set()
