"""A database to benchmark on: SQLite in a temporary folder, or a fresh one on a PostgreSQL server."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine


class BenchError(Exception):
    """Something that stops the benchmark, with a message for the person running it."""


@dataclass(frozen=True)
class Database:
    """The database to benchmark on."""

    url: str

    @property
    def backend(self) -> str:
        return sa.make_url(self.url).get_backend_name()


@contextlib.asynccontextmanager
async def fresh_database(server_url: str | None, data_dir: Path) -> AsyncIterator[Database]:
    """SQLite in `data_dir`, or a database with a random name on the PostgreSQL server at `server_url`."""
    if server_url is None:
        yield Database(f"sqlite+aiosqlite:///{data_dir / 'atelier.db'}")
        return
    admin_url = sa.make_url(server_url)
    if admin_url.get_backend_name() != "postgresql":
        raise BenchError("--database-url must be a PostgreSQL URL; omit it for SQLite")
    name = f"atelier_bench_{secrets.token_hex(6)}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield Database(admin_url.set(database=name).render_as_string(hide_password=False))
        finally:
            async with admin.connect() as conn:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
