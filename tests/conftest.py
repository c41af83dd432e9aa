"""Shared fixtures: one real database per test run (SQLite file or PostgreSQL), one app over it.

`ATELIER_TEST_DATABASE=sqlite` (default) or `postgresql` picks the database. For
PostgreSQL a database with a random name is created on the server at
`ATELIER_TEST_PG_URL` and dropped afterwards. Tests isolate themselves by working
in an organisation of their own, which also proves that nothing crosses tenants.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from domain.kernel import prompt_guard
from graph.relay.ids import Cursors
from graph.server.app import create_app
from graph.server.bootstrap import Adapters
from graph.server.settings import Settings
from storage.blobs.local import LocalBlobStore
from storage.clock import SystemClock
from storage.reads import SqlReads
from storage.secret_scanner import DetectSecretsScanner
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from tests.builders import Tenant, make_tenant

BACKEND = os.environ.get("ATELIER_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("ATELIER_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# Hermetic: the developer's own ATELIER_* settings (a database URL, a cost limit, an
# OpenAI key) must not leak into what the tests build; tests set what they need.
for _name in [n for n in os.environ if n.startswith("ATELIER_") and not n.startswith("ATELIER_TEST_")]:
    del os.environ[_name]


async def create_database(tmp: Path) -> str:
    """A fresh, empty database of the selected backend; returns its URL."""
    if BACKEND == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / f'atelier-{secrets.token_hex(4)}.db'}"
    if BACKEND != "postgresql":
        raise RuntimeError(f"ATELIER_TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}")
    name = f"atelier_test_{secrets.token_hex(6)}"
    admin = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    if BACKEND != "postgresql":
        return
    name = sa.make_url(url).database
    admin = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def secret_scanner() -> DetectSecretsScanner:
    """The scanner the app binds, bound for every test: unit tests check real detection too."""
    scanner = DetectSecretsScanner()
    prompt_guard.use(scanner)
    return scanner


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
async def database_url(data_dir: Path) -> AsyncIterator[str]:
    url = await create_database(data_dir)
    yield url
    await drop_database(url)


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str) -> Settings:
    # no periodic sweep in the test app: a test that wants one runs it itself
    # nor a processing worker: the tests of processing run the worker's steps themselves
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        cleanup_interval_seconds=0,
        worker="off",
        worker_processes=2,
    )


@pytest.fixture(scope="session")
def cursors(settings: Settings) -> Cursors:
    """Cursors signed as the app signs them, to forge well-signed keys of the wrong shape."""
    return Cursors(settings.signing_key())


@pytest.fixture(scope="session")
async def adapters(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Adapters]:
    adapters = Adapters(
        settings, engine, SqlReads.over(engine), LocalBlobStore(settings.data_dir / "blobs"), SystemClock()
    )
    yield adapters
    await adapters.processor.close()  # its pool starts only if a test processed an image


@pytest.fixture(scope="session")
async def client(settings: Settings, adapters: Adapters) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, adapters=adapters)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as c:
            yield c


@pytest.fixture
async def tenant(engine: AsyncEngine) -> Tenant:
    """A fresh organisation with an admin member and token."""
    return await make_tenant(engine)
