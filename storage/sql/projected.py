"""Projected pages (domain.kernel.projection) as one statement: the columns a view reads, and plain rows.

A list's port gives the statement its extras (correlated subqueries beside each row) and its
conditions; this module chooses the entity's columns by field name, pages newest first and
turns the rows into a `ProjectedPage` without an object per row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.kernel.pagination import PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from storage.sql.rows import enum_fields

TOTAL = "projected_total"
"""The column holding the whole list's count, on every row, when the projection asks for it."""


def projected_select(
    table: sa.Table,
    projection: Projection,
    extras: Mapping[str, sa.ColumnElement[Any]],
    total: sa.ColumnElement[int],
    where: Sequence[sa.ColumnElement[bool]],
    *,
    after: bool,
) -> sa.Select[Any]:
    """Newest first: `id`, the projection's fields and extras (and the total); bind `limit` and,
    with `after`, `after_id`."""
    columns: list[sa.ColumnElement[Any]] = [table.c.id]
    columns += [table.c[name] for name in projection.fields]
    columns += [extras[name].label(name) for name in projection.extras]
    if projection.total:
        columns.append(total.label(TOTAL))
    stmt = sa.select(*columns).where(*where)
    if after:
        stmt = stmt.where(table.c.id < sa.bindparam("after_id"))
    return stmt.order_by(table.c.id.desc()).limit(sa.bindparam("limit"))


def page_values(page: PageRequest, **more: Any) -> dict[str, Any]:
    """The values `projected_select`'s statement binds for this page."""
    values = {"limit": page.first + 1, **more}
    if page.after is not None:
        values["after_id"] = page.after[0]
    return values


def projected_page(
    rows: Sequence[Any], page: PageRequest, entity: type, projection: Projection, total: int | None
) -> ProjectedPage:
    """The page of rows fetched by `projected_select`; `total` when the projection asked for it and no
    row carried it (an empty page)."""
    visible = rows[: page.first]
    convert = _converter(entity, projection)
    width = 1 + len(projection.fields) + len(projection.extras)
    values = [convert(tuple(r)[:width]) for r in visible]
    if projection.total and rows:
        total = rows[0][width]
    return ProjectedPage(
        rows=values, keys=[(v[0],) for v in values], has_next=len(rows) > page.first, total=total
    )


@functools.cache
def _converter(entity: type, projection: Projection) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Enum fields from their column values to the entity's enums, as reading an entity does."""
    enums = enum_fields(entity)
    at = [(i + 1, enums[name]) for i, name in enumerate(projection.fields) if name in enums]
    if not at:
        return lambda values: values

    def convert(values: tuple[Any, ...]) -> tuple[Any, ...]:
        converted = list(values)
        for position, enum_type in at:
            if (value := converted[position]) is not None:
                converted[position] = enum_type(value)
        return tuple(converted)

    return convert
