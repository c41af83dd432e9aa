"""SessionRepository: SQL and fake alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain.studio.model import AspectRatio, Platform, SessionState
from tests.contracts.conftest import NOW


async def test_an_added_session_is_open_and_found_in_its_organisation_only(backend, orgs):
    kit = await backend.brand_kit(orgs.org.id)
    session = await backend.session(
        orgs.org.id, orgs.member.id, platform=Platform.INSTAGRAM, brand_kit_id=kit, title="Launch"
    )
    assert (session.state, session.closed_at, session.brand_kit_id) == (SessionState.OPEN, None, kit)
    async with backend.uow() as uow:
        assert await uow.sessions.get(orgs.org.id, session.id) == session
        assert await uow.sessions.get(orgs.org.id, session.id, for_update=True) == session
        assert await uow.sessions.get(orgs.other.id, session.id) is None
        assert await uow.sessions.get(orgs.org.id, session.id + 1_000_000) is None


async def test_update_stores_the_changeable_fields_and_nothing_else(backend, orgs):
    session = await backend.session(orgs.org.id, orgs.member.id)
    closed = replace(
        session,
        title="Renamed",
        platform=Platform.LINKEDIN,
        aspect_ratio=AspectRatio.LANDSCAPE,
        state=SessionState.CLOSED,
        closed_at=NOW + timedelta(hours=1),
        created_by_id=None,  # not a changeable field
        created_at=NOW + timedelta(days=1),
    )
    async with backend.uow() as uow:
        await uow.sessions.update(closed)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.get(orgs.org.id, session.id) == replace(
            closed, created_by_id=session.created_by_id, created_at=session.created_at
        )


async def test_update_through_another_organisation_changes_nothing(backend, orgs):
    session = await backend.session(orgs.org.id, orgs.member.id)
    async with backend.uow() as uow:
        await uow.sessions.update(replace(session, org_id=orgs.other.id, title="Hijacked"))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.get(orgs.org.id, session.id) == session
