"""The contract suites' fixture: each test runs once on the SQL adapters and once on the fakes.

`backend` is a `Backend`: fresh units of work of one kind (SQL over the session's
database, SQLite or PostgreSQL by ATELIER_TEST_DATABASE, or one FakeUnitOfWork), and
builders that lay rows down through the ports themselves, so a suite checks what a
port promises and nothing of how a test database gets filled. The few rows no port
writes (brand kits) and what only the adapter can show (committed events) come from
the backend's own hooks. The SQL database is shared by the whole run: every test works
in organisations it creates, with random slugs and blob keys, and global queries (the
sweeps, `blobs_in_use`) are filtered to its own rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.access import Role
from domain.library.model import Asset
from domain.library.writes import NewAsset
from domain.organisations.model import Member, Organisation
from domain.organisations.ports import DirectoryReads
from domain.studio.model import AspectRatio, Generation, Session
from domain.studio.writes import NewGeneration, NewSession
from domain.unit_of_work import UnitOfWork
from storage.demo import seeding
from storage.reads import SqlReads
from storage.sql import tables as t
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import in_transaction
from tests.unit.builders import FakeTenant
from tests.unit.fakes import FakeDirectoryReads, FakeUnitOfWork

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def blob_key() -> str:
    """A key no other test's row uses: the blob queries span organisations."""
    return secrets.token_hex(32)


@dataclass
class Backend:
    """One implementation of the ports, with builders that go through them."""

    name: str
    uow: Callable[[], UnitOfWork]
    """A unit of work to enter (`async with backend.uow() as uow:`)."""
    directory: DirectoryReads
    committed_events: Callable[[int], Awaitable[list[tuple[str, int]]]]
    """(type, subject id) of an organisation's committed events, oldest first."""
    brand_kit: Callable[[int], Awaitable[int]]
    """A brand kit of the organisation (no port writes one); its id."""

    async def organisation(self, name: str = "Org") -> Organisation:
        async with self.uow() as uow:
            org = await uow.organisations.add(slug=f"org-{secrets.token_hex(5)}", name=name, created_at=NOW)
            await uow.commit()
        return org

    async def member(self, org_id: int, role: Role = Role.ADMIN) -> Member:
        async with self.uow() as uow:
            member = await uow.members.add(
                org_id,
                name=role.value,
                email=f"{secrets.token_hex(4)}@example.com",
                role=role,
                created_at=NOW,
            )
            await uow.commit()
        return member

    async def session(self, org_id: int, member_id: int, **values: Any) -> Session:
        new: dict[str, Any] = {
            "org_id": org_id,
            "title": "Shoot",
            "platform": None,
            "brand_kit_id": None,
            "aspect_ratio": AspectRatio.SQUARE,
            "created_by_id": member_id,
            "created_at": NOW,
        } | values
        async with self.uow() as uow:
            session = await uow.sessions.add(NewSession(**new))
            await uow.commit()
        return session

    async def generations(self, session: Session, count: int = 1, **values: Any) -> list[Generation]:
        """`count` pending generations of the session, each with a blob key of its own."""
        made = []
        async with self.uow() as uow:
            for i in range(count):
                new: dict[str, Any] = {
                    "org_id": session.org_id,
                    "session_id": session.id,
                    "prompt": f"a red fox in snow {i}",
                    "negative_prompt": "",
                    "platform": None,
                    "brand_kit_id": None,
                    "aspect_ratio": AspectRatio.SQUARE,
                    "width": 64,
                    "height": 64,
                    "provider": "procedural",
                    "model": "procedural-v1",
                    "seed": i,
                    "credits_used": 1,
                    "blob_key": blob_key(),
                    "mime_type": "image/png",
                    "byte_size": 100,
                    "created_by_id": session.created_by_id,
                    "created_at": NOW,
                    "expires_at": NOW + timedelta(days=30),
                } | values
                made.append(await uow.generations.add(NewGeneration(**new)))
            await uow.commit()
        return made

    async def assets(self, org_id: int, *names: str, **values: Any) -> list[Asset]:
        async with self.uow() as uow:
            added = await uow.library.add_assets([new_asset(org_id, name, **values) for name in names])
            await uow.commit()
        return list(added)


def new_asset(org_id: int, name: str = "Asset", **values: Any) -> NewAsset:
    fields: dict[str, Any] = {
        "org_id": org_id,
        "name": name,
        "description": "",
        "alt_text": "",
        "folder_id": None,
        "blob_key": blob_key(),
        "mime_type": "image/png",
        "byte_size": 100,
        "width": 64,
        "height": 64,
        "provenance": None,
        "created_at": NOW,
    } | values
    return NewAsset(**fields)


def _sql(engine: AsyncEngine) -> Backend:
    async def committed_events(org_id: int) -> list[tuple[str, int]]:
        e = t.events
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.select(e.c.type, e.c.subject_id).where(e.c.org_id == org_id).order_by(e.c.id)
            )
            return [(r.type, r.subject_id) for r in rows]

    async def brand_kit(org_id: int) -> int:
        async def add(conn: AsyncConnection) -> int:
            return await seeding.insert_brand_kit(
                conn, org_id, f"Kit {secrets.token_hex(3)}", colors=["#000000"]
            )

        return await in_transaction(engine, add)

    return Backend(
        "sql", lambda: SqlUnitOfWork(engine), SqlReads.over(engine).directory, committed_events, brand_kit
    )


def _fake() -> Backend:
    fake = FakeUnitOfWork()

    async def committed_events(org_id: int) -> list[tuple[str, int]]:
        return [(e.type, e.subject_id) for e in fake.events if e.org_id == org_id]

    async def brand_kit(org_id: int) -> int:
        org = fake.committed.organisations[org_id]
        return FakeTenant(fake, org, None, org.slug).brand_kit(f"Kit {secrets.token_hex(3)}").id

    return Backend("fake", lambda: fake, FakeDirectoryReads(fake), committed_events, brand_kit)


@pytest.fixture(params=["sql", "fake"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "sql":
        return _sql(request.getfixturevalue("engine"))
    return _fake()


@dataclass
class Orgs:
    """Two organisations of one backend, each with an admin: ours and another."""

    org: Organisation
    member: Member
    other: Organisation
    other_member: Member


@pytest.fixture
async def orgs(backend: Backend) -> Orgs:
    org, other = await backend.organisation("Ours"), await backend.organisation("Theirs")
    return Orgs(org, await backend.member(org.id), other, await backend.member(other.id))
