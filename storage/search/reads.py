"""AssetSearchReads over SQL: a page in any order, its count, its facets, an asset by content hash."""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.filters import AssetFilter
from domain.library.model import Asset
from domain.search.model import AssetQuery, AssetSort, FacetCount, FacetKind, SortField
from storage.library import mapping
from storage.library.projection import ASSET_LISTS, asset_relation
from storage.search import facets
from storage.search.conditions import asset_conditions
from storage.search.fulltext import FullText
from storage.search.ordering import bind_key, key_of, order_and_seek, sort_columns
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.paging import to_page
from storage.sql.projected import page_values, projected_page, projected_select
from storage.sql.reader import SqlReader

A = t.assets


def _whole_library(query: AssetQuery) -> bool:
    """Every live asset: no words, no filter."""
    return query.search is None and query.filter == AssetFilter()


_PLAIN_KEYS = frozenset(SortField) - {SortField.UPDATED_AT, SortField.RELEVANCE}
"""Orders whose cursor keys are bound as they are (no time or score to convert)."""
_AFTER = ("after_0", "after_1")


@functools.cache
def _whole_library_page(sort: AssetSort, after: bool) -> sa.Select[Any]:
    """A page of every live asset in this order: bind `org_id`, `limit` and, past a cursor, its key."""
    columns = sort_columns(sort, A.c.id, None)
    bound_org: Any = prepared.org_id()  # the general path's conditions, the organisation bound
    stmt = sa.select(A).where(*asset_conditions(bound_org, AssetFilter()))
    key: Any = tuple(sa.bindparam(name) for name in _AFTER[: len(columns)]) if after else None
    return order_and_seek(stmt, columns, sort, key, sa.bindparam("limit"))


@functools.cache
def _whole_library_rows(projection: Projection, after: bool, counts_kept: bool) -> sa.Select[Any]:
    """Every live asset newest first as projected rows: bind `org_id` and the page. The total is
    the kept count where there is one (SQLite), as `count` reads it."""
    bound_org: Any = prepared.org_id()
    where = asset_conditions(bound_org, AssetFilter())
    total = facets.kept_total().scalar_subquery() if counts_kept else None
    return projected_select(A, projection, where, after=after, related=asset_relation, total=total)


class SqlAssetSearchReads(SqlReader):
    """AssetSearchReads over SQL; the full-text index is FTS5 on SQLite, tsvector on PostgreSQL."""

    def __init__(self, engine: AsyncEngine, *, kept_counts: bool | None = None) -> None:
        super().__init__(engine)
        self._text = FullText(engine.dialect.name)
        # kept on SQLite only (see migration 0016): PostgreSQL counts from the covering indexes
        self._counts_kept = engine.dialect.name == "sqlite" if kept_counts is None else kept_counts

    async def page(self, org_id: int, query: AssetQuery, page: PageRequest) -> Page[Asset]:
        sort, search = query.sort, query.search
        if _whole_library(query) and sort.field in _PLAIN_KEYS:  # the library's first view, built once
            values: dict[str, Any] = {prepared.ORG_ID: org_id, "limit": page.first + 1}
            if page.after is not None:
                values.update(zip(_AFTER, bind_key(sort, page.after), strict=False))
            stmt = _whole_library_page(sort, page.after is not None)
            rows = await self._rows(stmt, values)
            return to_page(rows, page.first, mapping.asset, lambda r: key_of(sort, r))
        where = asset_conditions(org_id, query.filter)
        if search is None:
            stmt = sa.select(A).where(*where)
            columns = sort_columns(sort, A.c.id, None)
        elif sort.field in (SortField.CREATED_AT, SortField.RELEVANCE):
            # the index drives: newest first follows its ids, relevance its scores
            joined, match, index_id = self._text.joined(org_id, search)
            score = self._text.score(search) if sort.field is SortField.RELEVANCE else None
            selected = [A] if score is None else [A, score.label("score")]
            stmt = sa.select(*selected).select_from(joined).where(match, *where)
            columns = sort_columns(sort, index_id, score)
        else:
            stmt = sa.select(A).where(*where, A.c.id.in_(self._text.matching_ids(org_id, search)))
            columns = sort_columns(sort, A.c.id, None)
        rows = await self._rows(order_and_seek(stmt, columns, sort, page.after, page.first + 1))
        return to_page(rows, page.first, mapping.asset, lambda r: key_of(sort, r))

    async def whole_library_rows(
        self, org_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        stmt = _whole_library_rows(projection, page.after is not None, self._counts_kept)
        rows = await self._rows(stmt, page_values(page, org_id=org_id))
        total = None
        if projection.total and not rows:  # a page past the end still tells the list's size
            total = await self.count(org_id, AssetQuery(AssetFilter()))
        return projected_page(rows, page, Asset, projection, total, ASSET_LISTS)

    async def count(self, org_id: int, query: AssetQuery) -> int:
        if self._counts_kept and _whole_library(query):
            return int(await self._scalar(facets.kept_total(), {prepared.ORG_ID: org_id}))
        stmt = sa.select(sa.func.count()).select_from(A).where(*self._where(org_id, query))
        if query.search is not None:
            stmt = facets.looked_up_by_id(stmt)
        return int(await self._scalar(stmt))

    async def facets(
        self, org_id: int, query: AssetQuery, kinds: Sequence[FacetKind], limit: int
    ) -> Mapping[FacetKind, Sequence[FacetCount]]:
        whole_library = _whole_library(query)
        if whole_library and self._counts_kept:
            return facets.most_frequent(await self._rows(facets.kept(org_id, kinds)), kinds, limit)
        where = self._where(org_id, query)
        statements = facets.counted(
            org_id, where, kinds, whole_library=whole_library, matches_by_id=query.search is not None
        )
        # each on a connection of its own: on SQLite a thread, on PostgreSQL a backend, at once
        parts = await asyncio.gather(*(self._rows(stmt) for stmt in statements))
        return facets.most_frequent(itertools.chain.from_iterable(parts), kinds, limit)

    async def by_sha256(self, org_id: int, sha256: str) -> Asset | None:
        stmt = (
            sa.select(A)
            .where(A.c.org_id == org_id, A.c.blob_key == sha256)
            .order_by(A.c.trashed_at.is_not(None), A.c.id.desc())
            .limit(1)
        )
        rows = await self._rows(stmt)
        return mapping.asset(rows[0]) if rows else None

    def _where(self, org_id: int, query: AssetQuery) -> list[sa.ColumnElement[bool]]:
        where = asset_conditions(org_id, query.filter)
        if query.search is not None:
            where.append(A.c.id.in_(self._text.matching_ids(org_id, query.search)))
        return where
