"""What every repository shares: the unit of work's connection, and dialect-aware inserts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


class Repository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _rows(self, stmt: sa.Executable) -> list[Any]:
        return list((await self._conn.execute(stmt)).all())

    def _insert_ignoring_duplicates(self, table: sa.Table) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING: the unique key, not a prior read, settles races."""
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        return dialect.insert(table).on_conflict_do_nothing()
