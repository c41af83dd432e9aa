"""The retention sweep's SQL and the entity's rule (`Generation.kept`, `is_expired`) agree on every case."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from storage.unit_of_work import SqlUnitOfWork

NOW = datetime.now(UTC)
EXPIRIES = {"never": None, "past": NOW - timedelta(days=1), "future": NOW + timedelta(days=1)}


async def test_the_sweep_selects_and_deletes_exactly_what_the_entity_calls_expired(engine, tenant):
    session = await tenant.session("S", state="closed")
    asset = await tenant.asset("saved")
    liked: set[int] = set()
    for state, saved, like, expiry in itertools.product(
        ("pending", "approved", "rejected"), (False, True), (False, True), EXPIRIES
    ):
        g = await tenant.generation(
            session,
            f"{state} saved={saved} liked={like} {expiry}",
            review_state=state,
            saved_asset_id=asset if saved else None,
            expires_at=EXPIRIES[expiry],
        )
        if like:
            await tenant.like(g)
            liked.add(g)

    async with SqlUnitOfWork(engine).reading() as uow:
        ours = list(await uow.generations.in_session(tenant.org_id, session))
        selected = {
            g.id for g in await uow.generations.expired(NOW, limit=10_000) if g.org_id == tenant.org_id
        }
    by_rule = {g.id for g in ours if g.is_expired(NOW, liked=g.id in liked)}
    assert len(ours) == 36 and len(by_rule) == 2  # pending or rejected, unsaved, unliked, past
    assert selected == by_rule

    async with SqlUnitOfWork(engine) as uow:
        deleted = {g.id for g in ours if await uow.generations.delete_if_expired(g, NOW)}
        await uow.commit()
    assert deleted == by_rule
