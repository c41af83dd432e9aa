"""Processing's integration fixtures: a database of the module's own (claims span organisations), a real pool.

The pool is one per module (spawning processes costs about a second); tests leave no job
due behind them (`settled`), so each test's claims see only its own jobs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.blobs.local import LocalBlobStore
from storage.processing.pool import PoolImageProcessor
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from tests.conftest import create_database, drop_database


@pytest.fixture(scope="module")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    url = await create_database(tmp_path_factory.mktemp("processing-db"))
    yield url
    await drop_database(url)


@pytest.fixture(scope="module")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A database of this module's own: the claim spans every organisation."""
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def blobs(tmp_path_factory: pytest.TempPathFactory) -> LocalBlobStore:
    return LocalBlobStore(tmp_path_factory.mktemp("processing-blobs"))


@pytest.fixture(scope="module")
async def processor(blobs: LocalBlobStore) -> AsyncIterator[PoolImageProcessor]:
    pool = PoolImageProcessor(blobs, processes=2)
    yield pool
    await pool.close()


@pytest.fixture(autouse=True)
async def settled(engine: AsyncEngine) -> AsyncIterator[None]:
    """Whatever a test queued and left is not due for the next one."""
    yield
    async with engine.begin() as conn:
        await conn.execute(sa.update(t.jobs).values(due_at=None))
