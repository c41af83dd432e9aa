"""The one way read adapters talk to the database."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.pagination import Key, Page, PageRequest
from storage.sql import prepared
from storage.sql.direct_reads import direct_reads
from storage.sql.paging import group_page_values, id_key, newest_first_per_group, to_page

T = TypeVar("T")


class SqlReader:
    """Runs one statement on a connection of its own and returns all rows.

    A statement given with `values` is one built once (storage.sql.prepared): on SQLite it runs
    below SQLAlchemy's execution layer (storage.sql.direct_reads); one built for the call
    carries its values inside and goes through SQLAlchemy, whose compiled cache knows it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._direct = direct_reads(engine)

    async def _rows(self, stmt: sa.Executable, values: Mapping[str, Any] | None = None) -> Sequence[Any]:
        """All rows of `stmt`, with `values` for its bound parameters (statements of storage.sql.prepared)."""
        return await self._taken(stmt, values, sa.Result.all)

    async def _scalar(self, stmt: sa.Executable, values: Mapping[str, Any] | None = None) -> Any:
        return await self._taken(stmt, values, sa.Result.scalar_one)

    async def _taken(
        self, stmt: sa.Executable, values: Mapping[str, Any] | None, take: Callable[[sa.Result[Any]], T]
    ) -> T:
        """`take` of the statement's result, read before its connection goes back to the pool."""
        if values is not None and self._direct is not None:
            direct = await self._direct.result(stmt, values)
            if direct is not None:
                return take(direct)
        async with self._engine.connect() as conn:
            return take(await conn.execute(stmt, values))

    async def _by_ids(
        self, table: sa.Table, org_id: int, ids: Sequence[int], mapper: Callable[[Any], T]
    ) -> dict[int, T]:
        """An organisation's rows of `table` with these ids, mapped, by id."""
        return by_id(await self._rows(prepared.rows_by_ids(table), prepared.values(org_id, ids)), mapper)

    async def _group_pages(
        self,
        stmt: sa.Select[Any],
        id_col: sa.ColumnElement[int],
        group_col: sa.ColumnElement[int],
        org_id: int,
        groups: Sequence[int],
        page: PageRequest,
        mapper: Callable[[Any], T],
    ) -> dict[int, Page[T]]:
        """The same page of each group's rows of `stmt`, newest first (groups without rows left out).
        `stmt` is built once, bound by `org_id` and `ids` (the groups): storage.sql.prepared."""
        paged = newest_first_per_group(
            stmt, id_col, group_col, one_group=len(groups) == 1, after=page.after is not None
        )
        rows = await self._rows(paged, prepared.values(org_id, groups, **group_page_values(page)))
        return grouped_pages(rows, page.first, mapper, id_key)

    async def _group_counts(
        self, stmt: sa.Select[Any], group_col: sa.ColumnElement[int], org_id: int, groups: Sequence[int]
    ) -> dict[int, int]:
        """How many rows of `stmt` each group has (groups without rows left out); `stmt` as above."""
        return counts(await self._rows(_counted(stmt, group_col), prepared.values(org_id, groups)))


@functools.cache
def _counted(stmt: sa.Select[Any], group_col: sa.ColumnElement[int]) -> sa.Select[int, int]:
    return stmt.with_only_columns(group_col.label("grp"), sa.func.count().label("n")).group_by(group_col)


def by_id(rows: Iterable[Any], mapper: Callable[[Any], T]) -> dict[int, T]:
    return {r.id: mapper(r) for r in rows}


def grouped(rows: Iterable[Any], group: str, mapper: Callable[[Any], T]) -> dict[int, list[T]]:
    out: dict[int, list[T]] = defaultdict(list)
    for r in rows:
        out[getattr(r, group)].append(mapper(r))
    return dict(out)


def grouped_pages(
    rows: Iterable[Any], first: int, mapper: Callable[[Any], T], key: Callable[[Any], Key]
) -> dict[int, Page[T]]:
    """Pages per group from rows of a `row_number() OVER (PARTITION BY grp)` query, rn <= first + 1."""
    by_group: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_group[r.grp].append(r)
    return {g: to_page(rs, first, mapper, key) for g, rs in by_group.items()}


def counts(rows: Iterable[Any]) -> dict[int, int]:
    return {r.grp: r.n for r in rows}
