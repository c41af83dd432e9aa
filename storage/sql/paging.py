"""Keyset pagination in SQL: order, seek past the cursor, fetch one extra row to know if more follow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

from domain.kernel.pagination import Key, Page, PageRequest

T = TypeVar("T")


def newest_first(stmt: sa.Select[Any], id_col: sa.ColumnElement[int], page: PageRequest) -> sa.Select[Any]:
    """Order by id descending and seek past `page.after`."""
    if page.after is not None:
        stmt = stmt.where(id_col < page.after[0])
    return stmt.order_by(id_col.desc()).limit(page.first + 1)


def by_name(
    stmt: sa.Select[Any], key_col: sa.ColumnElement[str], id_col: sa.ColumnElement[int], page: PageRequest
) -> sa.Select[Any]:
    """Order by (name_key, id) ascending and seek past `page.after`."""
    if page.after is not None:
        name, last_id = page.after
        stmt = stmt.where(sa.or_(key_col > name, sa.and_(key_col == name, id_col > last_id)))
    return stmt.order_by(key_col.asc(), id_col.asc()).limit(page.first + 1)


def to_page(
    rows: Sequence[Any], first: int, mapper: Callable[[Any], T], key: Callable[[Any], Key]
) -> Page[T]:
    """A page from rows fetched with limit first + 1."""
    visible = rows[:first]
    return Page(
        items=[mapper(r) for r in visible], keys=[key(r) for r in visible], has_next=len(rows) > first
    )


def id_key(row: Any) -> Key:
    return (row.id,)


def name_key(row: Any) -> Key:
    return (row.name_key, row.id)


def newest_first_per_group(
    stmt: sa.Select[Any],
    id_col: sa.ColumnElement[int],
    group_col: sa.ColumnElement[int],
    groups: Sequence[int],
    page: PageRequest,
) -> sa.Select[Any]:
    """The first page of each group, newest first, with the group as column `grp`.

    One group (a folder's or a session's page, the common case) is a keyset `LIMIT` the group's
    index answers by seeking; several rank their rows with `row_number()`, which reads every
    row of every group asked for, so it is kept for lists of groups."""
    if page.after is not None:
        stmt = stmt.where(id_col < page.after[0])
    if len(groups) == 1:
        return stmt.add_columns(group_col.label("grp")).order_by(id_col.desc()).limit(page.first + 1)
    rn = sa.func.row_number().over(partition_by=group_col, order_by=id_col.desc())
    ranked = stmt.add_columns(group_col.label("grp"), rn.label("rn")).subquery()
    return sa.select(ranked).where(ranked.c.rn <= page.first + 1).order_by(ranked.c.grp, ranked.c.rn)
