"""Likes: per member, idempotent, and they outlive the session."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.studio.events import GenerationLiked, GenerationUnliked
from domain.studio.model import Generation
from domain.studio.selection import load_generations

if TYPE_CHECKING:
    from domain.studio.services import Studio


async def like(studio: Studio, actor: Actor, *, generation_ids: list[int]) -> list[Generation]:
    """Like generations; liking a liked one changes nothing. A liked generation is kept."""
    actor.require(Permission.GENERATE)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        # locked: a cleanup deleting one meanwhile must not turn the like into a foreign-key error
        generations = await load_generations(uow, actor.org_id, generation_ids, for_update=True)
        new = await uow.likes.add(actor.org_id, actor.member_id, generation_ids, now)
        await uow.generations.set_expiries(actor.org_id, {g.id: None for g in generations if g.expires_at})
        for id in sorted(new):
            uow.record(GenerationLiked.by(actor, id, now))
        await uow.commit()
    return [replace(g, expires_at=None) for g in generations]


async def unlike(studio: Studio, actor: Actor, *, generation_ids: list[int]) -> list[Generation]:
    """Take back the actor's likes; a generation nobody likes any more starts to expire again."""
    actor.require(Permission.GENERATE)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        # locked: a cleanup deleting one meanwhile must not turn the like into a foreign-key error
        generations = await load_generations(uow, actor.org_id, generation_ids, for_update=True)
        removed = await uow.likes.remove(actor.org_id, actor.member_id, generation_ids)
        still_liked = await uow.likes.liked_by_anyone(actor.org_id, generation_ids)
        expiries = {}
        closed: dict[int, datetime | None] = {}  # per session: a bulk unlike usually spans one or two
        for g in generations:
            if g.id in removed and g.id not in still_liked and not g.kept:
                if g.session_id not in closed:
                    session = await uow.sessions.get(actor.org_id, g.session_id)
                    closed[g.session_id] = session.closed_at if session else None
                expiries[g.id] = studio.retention.expiry(
                    created_at=g.created_at, closed_at=closed[g.session_id], kept=False
                )
        await uow.generations.set_expiries(actor.org_id, expiries)
        for id in sorted(removed):
            uow.record(GenerationUnliked.by(actor, id, now))
        await uow.commit()
    return [replace(g, expires_at=expiries.get(g.id, g.expires_at)) for g in generations]
