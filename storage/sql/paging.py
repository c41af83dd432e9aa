"""Keyset pagination in SQL: order, seek past the cursor, fetch one extra row to know if more follow."""

from __future__ import annotations

import functools
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


@functools.cache  # constructs hash by identity, and those passed here are built once
def newest_first_per_group(
    stmt: sa.Select[Any],
    id_col: sa.ColumnElement[int],
    group_col: sa.ColumnElement[int],
    *,
    one_group: bool,
    after: bool,
) -> sa.Select[Any]:
    """The first page of each group, newest first, with the group as column `grp`; bind `limit`
    (first + 1) and, with `after`, `after_id`.

    One group (a folder's or a session's page, the common case) is a keyset `LIMIT` the group's
    index answers by seeking; several rank their rows with `row_number()`, which reads every
    row of every group asked for, so it is kept for lists of groups. `stmt` is a statement
    built once (storage.sql.prepared), and so is this one for each shape."""
    limit: sa.BindParameter[int] = sa.bindparam("limit")
    paged = stmt.where(id_col < sa.bindparam("after_id")) if after else stmt
    if one_group:
        built = paged.add_columns(group_col.label("grp")).order_by(id_col.desc()).limit(limit)
    else:
        rn = sa.func.row_number().over(partition_by=group_col, order_by=id_col.desc())
        ranked = paged.add_columns(group_col.label("grp"), rn.label("rn")).subquery()
        built = sa.select(ranked).where(ranked.c.rn <= limit).order_by(ranked.c.grp, ranked.c.rn)
    return built


def group_page_values(page: PageRequest) -> dict[str, Any]:
    """The values `newest_first_per_group`'s statement binds for this page."""
    values: dict[str, Any] = {"limit": page.first + 1}
    if page.after is not None:
        values["after_id"] = page.after[0]
    return values
