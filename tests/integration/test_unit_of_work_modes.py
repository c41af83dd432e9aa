"""Reading and writing units of work: only writes take SQLite's write lock; reads never write."""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.blobs.local import LocalBlobStore
from storage.sql import tables as t
from storage.sql.database import create_engine, is_sqlite
from storage.sql.migrate import migrate
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import make_tenant
from tests.services import sql_studio


async def sqlite_engine(path: Path, *, busy_timeout_ms: int | None = None) -> AsyncEngine:
    engine = create_engine(f"sqlite+aiosqlite:///{path}", pool_size=2)
    if busy_timeout_ms is not None:

        @event.listens_for(engine.sync_engine, "connect")
        def _short_wait(dbapi_connection: Any, _record: Any) -> None:  # runs after the engine's own pragmas
            dbapi_connection.cursor().execute(f"PRAGMA busy_timeout={busy_timeout_ms}")

    await migrate(engine)
    return engine


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    return tmp_path / "modes.db"


@pytest.fixture
def writer_holding_the_lock(database_file: Path) -> Iterator[sqlite3.Connection]:
    """Another process's writer, in the middle of its transaction (migrate first)."""
    raw = sqlite3.connect(database_file, isolation_level=None)
    try:
        yield raw
    finally:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raw.close()


@pytest.fixture
async def impatient(database_file: Path) -> AsyncIterator[AsyncEngine]:
    """SQLite whose connections give up at once when another connection holds the write lock."""
    engine = await sqlite_engine(database_file, busy_timeout_ms=0)
    yield engine
    await engine.dispose()


class TestWhileAnotherWriterHoldsSQLitesLock:
    async def test_a_reading_unit_of_work_completes_and_a_writing_one_cannot_begin(
        self, impatient, writer_holding_the_lock
    ):
        writer_holding_the_lock.execute("BEGIN IMMEDIATE")
        uow = SqlUnitOfWork(impatient)
        async with uow.reading():
            assert await uow.organisations.get_by_slug("nobody") is None
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            async with uow:
                pass

    async def test_the_retention_sweeps_read_steps_complete(
        self, impatient, writer_holding_the_lock, tmp_path
    ):
        blobs = LocalBlobStore(tmp_path / "blobs")
        writer_holding_the_lock.execute("BEGIN IMMEDIATE")
        assert await sql_studio(impatient, blobs).expired_count() == 0
        assert await sql_studio(impatient, blobs).sweep_orphan_blobs() == 0

    async def test_a_writing_unit_of_work_waits_for_the_lock_and_then_writes(
        self, database_file, writer_holding_the_lock
    ):
        engine = await sqlite_engine(database_file)  # the default busy timeout: seconds
        try:
            writer_holding_the_lock.execute("BEGIN IMMEDIATE")

            async def write() -> None:
                async with SqlUnitOfWork(engine) as uow:
                    await uow.organisations.add(slug="waited", name="Waited", created_at=datetime.now(UTC))
                    await uow.commit()

            waiting = asyncio.create_task(write())
            await asyncio.sleep(0.3)
            assert not waiting.done()  # queued on the busy timeout behind the other writer
            writer_holding_the_lock.execute("COMMIT")
            await asyncio.wait_for(waiting, timeout=10)
            async with SqlUnitOfWork(engine).reading() as uow:
                waited = await uow.organisations.get_by_slug("waited")
                assert waited is not None and waited.name == "Waited"
        finally:
            await engine.dispose()


class TestAReadingUnitOfWork:
    async def test_refuses_to_record_or_commit_and_the_next_use_writes_again(self, engine):
        tenant = await make_tenant(engine)
        uow = SqlUnitOfWork(engine)
        async with uow.reading():
            org = await uow.organisations.get(tenant.org_id)
            assert org is not None and org.slug == tenant.slug
            with pytest.raises(RuntimeError, match="does not commit"):
                await uow.commit()
        slug = f"org-{secrets.token_hex(5)}"
        async with uow:
            await uow.organisations.add(slug=slug, name="Later", created_at=datetime.now(UTC))
            await uow.commit()
        async with uow.reading():
            later = await uow.organisations.get_by_slug(slug)
            assert later is not None and later.name == "Later"

    async def test_a_write_inside_it_never_lands(self, engine):
        slug = f"org-{secrets.token_hex(5)}"
        uow = SqlUnitOfWork(engine)
        if is_sqlite(engine):  # a DEFERRED transaction may write; leaving without commit rolls it back
            async with uow.reading():
                await uow.organisations.add(slug=slug, name="Never", created_at=datetime.now(UTC))
        else:  # READ ONLY: PostgreSQL refuses the statement
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                async with uow.reading():
                    await uow.organisations.add(slug=slug, name="Never", created_at=datetime.now(UTC))
        async with engine.connect() as conn:
            found = await conn.execute(sa.select(t.organisations.c.id).where(t.organisations.c.slug == slug))
            assert found.first() is None

    async def test_a_connection_back_from_a_reading_one_writes(self, engine):
        for _ in range(3):  # more turns than the pool needs to hand the same connection back
            async with SqlUnitOfWork(engine).reading() as uow:
                await uow.organisations.get_by_slug("nobody")
        slug = f"org-{secrets.token_hex(5)}"
        async with SqlUnitOfWork(engine) as uow:
            await uow.organisations.add(slug=slug, name="Writes", created_at=datetime.now(UTC))
            await uow.commit()
