"""What every repository shares: the unit of work's connection, and dialect-aware inserts."""

from __future__ import annotations

from collections.abc import Mapping
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


def per_row(key: sa.ColumnElement[Any], column: sa.Column[Any], values: Mapping[Any, Any]) -> Any:
    """A column's new value in a multi-row UPDATE, each row's own picked by `key`.

    One value when every row gets the same (the usual bulk change), else
    `CASE key WHEN ... THEN ... END`: one statement either way.
    """
    distinct = set(values.values())
    if len(distinct) == 1:
        return distinct.pop()
    return sa.case({k: sa.literal(v, column.type) for k, v in values.items()}, value=key, else_=column)
