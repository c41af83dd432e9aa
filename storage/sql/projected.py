"""Projected pages (domain.kernel.projection) as one statement: the columns a view reads, and plain rows.

A list's port gives the statement its extras and related entities (correlated subqueries beside
each row) and its conditions; this module chooses the entity's columns by field name, pages
newest first and turns the rows into a `ProjectedPage` without an object per row. A related
entity comes back as JSON built in the database (`json_array`/`json_group_array` on SQLite,
`json_build_array`/`json_agg` on PostgreSQL), one array per entity, so a page with its folders
and tags is still one statement.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from domain.kernel.pagination import PageRequest
from domain.kernel.projection import ProjectedPage, Projection, Related
from storage.sql.paging import group_page_values
from storage.sql.rows import enum_fields

TOTAL = "projected_total"
"""The column holding the whole list's count, on every row, when the projection asks for it."""


class json_row(FunctionElement[Any]):
    """One row's values as a JSON array."""

    inherit_cache = True


class json_rows(FunctionElement[Any]):
    """An aggregate of `json_row`s as a JSON array, in the order its rows come."""

    inherit_cache = True


@compiles(json_row, "sqlite")
def _sqlite_row(element: json_row, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array({compiler.process(element.clauses, **kw)})"


@compiles(json_row, "postgresql")
def _postgresql_row(element: json_row, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_array({compiler.process(element.clauses, **kw)})"  # json keeps order; jsonb not


@compiles(json_rows, "sqlite")
def _sqlite_rows(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


@compiles(json_rows, "postgresql")
def _postgresql_rows(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg({compiler.process(element.clauses, **kw)})"


def related_one(target: sa.Table, related: Related, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    """The one `target` row of each row (correlated by `where`), `[id, *fields]`, or NULL."""
    values = json_row(target.c.id, *(target.c[f] for f in related.fields))
    return sa.select(values).where(*where).scalar_subquery()


def related_many(
    target: sa.Table,
    related: Related,
    link: sa.Table,
    on: sa.ColumnElement[bool],
    where: Sequence[sa.ColumnElement[bool]],
    order_by: Sequence[sa.ColumnElement[Any]],
    correlate: sa.FromClause,
) -> sa.ScalarSelect[Any]:
    """The `target` rows linked to each row of `correlate`, in `order_by`'s order, `[[id, *fields], ...]`."""
    # SQLite before 3.44 has no ORDER BY inside an aggregate: it aggregates an ordered subquery
    ordered = (
        sa.select(target.c.id, *(target.c[f] for f in related.fields))
        .join_from(link, target, on)
        .where(*where)
        .order_by(*order_by)
        .correlate(correlate)
        .subquery()
    )
    return sa.select(json_rows(json_row(*ordered.c))).scalar_subquery()


Beside = Callable[[sa.Subquery], Mapping[str, sa.ColumnElement[Any]]]
"""A list's extras, computed beside each row of the page (the subquery holding the page's rows)."""


def no_extras(rows: sa.Subquery) -> dict[str, sa.ColumnElement[Any]]:
    """The extras of a list that computes none."""
    return {}


RelatedTo = Callable[[Related, sa.Subquery], sa.ColumnElement[Any]]
"""A list's related entities of each row of the page, as JSON."""


def no_relations(related: Related, rows: sa.Subquery) -> sa.ColumnElement[Any]:
    """The related entities of a list that reads none (the domain's projection refused them already)."""
    raise ValueError(f"this list has no {related.name} to project")


def projected_select(
    table: sa.Table,
    projection: Projection,
    where: Sequence[sa.ColumnElement[bool]],
    *,
    after: bool,
    extras: Beside = no_extras,
    related: RelatedTo = no_relations,
    total: sa.ColumnElement[int] | None = None,
) -> sa.Select[Any]:
    """Newest first: `id`, the projection's fields, extras and related entities (and the total: the
    rows `where` selects, counted, unless the list keeps its count elsewhere); bind `limit` and,
    with `after`, `after_id`.

    The page is chosen first (a subquery with its LIMIT) and the extras and related entities
    computed over its rows only: beside an unlimited scan PostgreSQL may plan them for every
    row of the list (a hash of all the viewer's likes, say) before the LIMIT applies."""
    chosen = sa.select(table).where(*where)
    if after:
        chosen = chosen.where(table.c.id < sa.bindparam("after_id"))
    rows = chosen.order_by(table.c.id.desc()).limit(sa.bindparam("limit")).subquery("page")
    beside = extras(rows)
    columns: list[sa.ColumnElement[Any]] = [rows.c.id]
    columns += [rows.c[name] for name in projection.fields]
    columns += [beside[name].label(name) for name in projection.extras]
    columns += [related(r, rows).label(f"related_{r.name}") for r in projection.related]
    if projection.total:
        if total is None:
            counted = sa.select(table.c.id).where(*where).subquery()
            total = sa.select(sa.func.count()).select_from(counted).scalar_subquery()
        columns.append(total.label(TOTAL))
    return sa.select(*columns).order_by(rows.c.id.desc())


def page_values(page: PageRequest, **more: Any) -> dict[str, Any]:
    """The values `projected_select`'s statement binds for this page (as a group's page binds them)."""
    return {**group_page_values(page), **more}


def projected_page(
    rows: Sequence[Any],
    page: PageRequest,
    entity: type,
    projection: Projection,
    total: int | None,
    many: Collection[str] = (),
) -> ProjectedPage:
    """The page of rows fetched by `projected_select`; `total` when the projection asked for it and no
    row carried it (an empty page); `many` names the relations to many."""
    visible = rows[: page.first]
    convert = _converter(entity, projection, frozenset(many))
    width = 1 + len(projection.fields) + len(projection.extras) + len(projection.related)
    values = [convert(tuple(r)[:width]) for r in visible]
    if projection.total and rows:
        total = rows[0][width]
    return ProjectedPage(
        rows=values, keys=[(v[0],) for v in values], has_next=len(rows) > page.first, total=total
    )


@functools.cache
def _converter(
    entity: type, projection: Projection, many: frozenset[str]
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Enum fields from their column values to the entity's enums, as reading an entity does, and
    related entities from their JSON to tuples (a list of them for a relation to many)."""
    enums = enum_fields(entity)
    at: list[tuple[int, Callable[[Any], Any]]] = [
        (i + 1, _enum_of(enums[name])) for i, name in enumerate(projection.fields) if name in enums
    ]
    first_related = 1 + len(projection.fields) + len(projection.extras)
    for i, related in enumerate(projection.related):
        at.append((first_related + i, _rows_of if related.name in many else _row_of))
    if not at:
        return lambda values: values

    def convert(values: tuple[Any, ...]) -> tuple[Any, ...]:
        converted = list(values)
        for position, read in at:
            converted[position] = read(converted[position])
        return tuple(converted)

    return convert


def _enum_of(enum_type: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else enum_type(value)


def _json(value: Any) -> Any:
    # SQLite answers text; PostgreSQL's json through asyncpg too, unless a codec decoded it already
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _row_of(value: Any) -> tuple[Any, ...] | None:
    return None if value is None else tuple(_json(value))


def _rows_of(value: Any) -> list[tuple[Any, ...]]:
    # json_agg over no rows is NULL on PostgreSQL, json_group_array's is []
    return [] if value is None else [tuple(r) for r in _json(value)]
