"""Studio sessions: open, edit and close them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import NotFound
from domain.kernel.text import clean_text
from domain.studio.events import SessionClosed, SessionCreated, SessionUpdated
from domain.studio.model import AspectRatio, Platform, Session, SessionState
from domain.studio.writes import NewSession
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.studio.services import Studio

MAX_TITLE = 200


async def _require_brand_kit(uow: UnitOfWork, org_id: int, brand_kit_id: int | None) -> None:
    if brand_kit_id is not None and await uow.library.brand_kit(org_id, brand_kit_id) is None:
        raise NotFound("no such brand kit", field="brandKitId")


async def create_session(
    studio: Studio,
    actor: Actor,
    *,
    title: str,
    platform: Platform | None = None,
    brand_kit_id: int | None = None,
    aspect_ratio: AspectRatio = AspectRatio.SQUARE,
) -> Session:
    """Open a Studio session."""
    actor.require(Permission.GENERATE)
    title = clean_text(title, field="title", max_length=MAX_TITLE, required=True, single_line=True)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        await _require_brand_kit(uow, actor.org_id, brand_kit_id)
        session = await uow.sessions.add(
            NewSession(actor.org_id, title, platform, brand_kit_id, aspect_ratio, actor.member_id, now)
        )
        uow.record(SessionCreated.by(actor, session.id, now, title=title))
        await uow.commit()
    return session


async def update_session(
    studio: Studio,
    actor: Actor,
    *,
    session_id: int,
    title: str | Keep = KEEP,
    platform: Platform | Keep | None = KEEP,
    brand_kit_id: int | Keep | None = KEEP,
    aspect_ratio: AspectRatio | Keep = KEEP,
) -> Session:
    """Change a session's title, platform, brand kit or aspect ratio; fields not given stay."""
    actor.require(Permission.GENERATE)
    changes: dict[str, object] = {}
    if not isinstance(title, Keep):
        changes["title"] = clean_text(
            title, field="title", max_length=MAX_TITLE, required=True, single_line=True
        )
    if not isinstance(platform, Keep):
        changes["platform"] = platform
    if not isinstance(aspect_ratio, Keep):
        changes["aspect_ratio"] = aspect_ratio
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        session = await uow.sessions.get(actor.org_id, session_id, for_update=True)
        if session is None:
            raise NotFound("no such session", field="id")
        if not isinstance(brand_kit_id, Keep):
            await _require_brand_kit(uow, actor.org_id, brand_kit_id)
            changes["brand_kit_id"] = brand_kit_id
        updated = replace(session, **changes)  # type: ignore[arg-type]
        if updated != session:
            await uow.sessions.update(updated)
            uow.record(SessionUpdated.by(actor, session.id, now, fields=tuple(sorted(changes))))
            await uow.commit()
    return updated


async def close_session(studio: Studio, actor: Actor, *, session_id: int) -> Session:
    """Close a session; its unkept generations start to expire. Closing it again changes nothing."""
    actor.require(Permission.GENERATE)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        session = await uow.sessions.get(actor.org_id, session_id, for_update=True)
        if session is None:
            raise NotFound("no such session", field="id")
        if session.state is SessionState.CLOSED:
            return session
        closed = replace(session, state=SessionState.CLOSED, closed_at=now)
        await uow.sessions.update(closed)
        generations = await uow.generations.in_session(actor.org_id, session_id)
        liked = await uow.likes.liked_by_anyone(actor.org_id, [g.id for g in generations])
        await uow.generations.set_expiries(
            actor.org_id,
            {
                g.id: studio.retention.expiry(
                    created_at=g.created_at, closed_at=now, kept=g.kept or g.id in liked
                )
                for g in generations
            },
        )
        uow.record(SessionClosed.by(actor, session.id, now))
        await uow.commit()
    return closed
