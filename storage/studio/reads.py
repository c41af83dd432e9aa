"""Reads of brand kits, sessions and generations."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import BrandKit, Generation, LikeTally, Session
from domain.studio.queries import LIKE_COUNT, LIKED_BY_VIEWER
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.paging import by_name, id_key, name_key, newest_first, to_page
from storage.sql.projected import page_values, projected_page, projected_select
from storage.sql.reader import SqlReader, counts, grouped
from storage.studio import mapping

G = t.generations
S = t.sessions


def _session_where(org_id: int, f: SessionFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [S.c.org_id == org_id]
    if f.state is not None:
        where.append(S.c.state == f.state.value)
    return where


def _generation_where(org_id: int, f: GenerationFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [G.c.org_id == org_id]
    if f.session_id is not None:
        where.append(G.c.session_id == f.session_id)
    if f.liked_by is not None:
        lk = t.generation_likes
        where.append(
            G.c.id.in_(
                sa.select(lk.c.generation_id).where(lk.c.org_id == org_id, lk.c.member_id == f.liked_by)
            )
        )
    if f.review_state is not None:
        where.append(G.c.review_state == f.review_state.value)
    if f.saved is not None:
        where.append(G.c.saved_asset_id.is_not(None) if f.saved else G.c.saved_asset_id.is_(None))
    return where


@functools.cache
def _generations_of() -> sa.Select[Any]:  # bind `org_id` and `ids` (the sessions)
    return sa.select(G).where(G.c.org_id == prepared.org_id(), G.c.session_id.in_(prepared.ids()))


@functools.cache
def _like_counts() -> sa.Select[Any]:
    lk = t.generation_likes
    return (
        sa.select(lk.c.generation_id.label("grp"), sa.func.count().label("n"))
        .where(lk.c.org_id == prepared.org_id(), lk.c.generation_id.in_(prepared.ids()))
        .group_by(lk.c.generation_id)
    )


@functools.cache
def _like_tallies() -> sa.Select[Any]:
    lk = t.generation_likes
    mine = sa.case((lk.c.member_id == sa.bindparam("member_id"), 1), else_=0)
    return (
        sa.select(
            lk.c.generation_id.label("grp"), sa.func.count().label("n"), sa.func.max(mine).label("mine")
        )
        .where(lk.c.org_id == prepared.org_id(), lk.c.generation_id.in_(prepared.ids()))
        .group_by(lk.c.generation_id)
    )


def _like_tallies_beside(rows: sa.Subquery) -> dict[str, sa.ColumnElement[Any]]:
    """A page's like count and whether the viewer (bound as `member_id`) likes each generation."""
    lk = t.generation_likes
    likes = (lk.c.org_id == prepared.org_id(), lk.c.generation_id == rows.c.id)
    return {
        LIKE_COUNT: sa.select(sa.func.count()).where(*likes).scalar_subquery(),
        # a count, not EXISTS, which PostgreSQL may answer from a hash of all the viewer's likes; typed
        # so that SQLite's 0 and 1 come back as False and True, as PostgreSQL's do
        LIKED_BY_VIEWER: sa.type_coerce(
            sa.select(sa.func.count())
            .where(*likes, lk.c.member_id == sa.bindparam("member_id"))
            .scalar_subquery()
            > 0,
            sa.Boolean,
        ),
    }


@functools.cache
def _session_generation_rows(projection: Projection, after: bool) -> sa.Select[Any]:
    """A session's page of generations as projected rows: bind `org_id`, `session_id`, `member_id`
    and the page (storage.sql.projected)."""
    where = [G.c.org_id == prepared.org_id(), G.c.session_id == sa.bindparam("session_id", type_=sa.Integer)]
    return projected_select(G, projection, where, after=after, extras=_like_tallies_beside)


class SqlStudioReads(SqlReader):
    """StudioReads over SQL."""

    async def brand_kits(self, org_id: int, page: PageRequest) -> Page[BrandKit]:
        b = t.brand_kits
        rows = await self._rows(by_name(sa.select(b).where(b.c.org_id == org_id), b.c.name_key, b.c.id, page))
        return to_page(rows, page.first, mapping.brand_kit, name_key)

    async def count_brand_kits(self, org_id: int) -> int:
        b = t.brand_kits
        return int(await self._scalar(sa.select(sa.func.count()).select_from(b).where(b.c.org_id == org_id)))

    async def brand_kits_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, BrandKit]:
        return await self._by_ids(t.brand_kits, org_id, ids, mapping.brand_kit)

    async def sessions(self, org_id: int, filter: SessionFilter, page: PageRequest) -> Page[Session]:
        stmt = newest_first(sa.select(S).where(*_session_where(org_id, filter)), S.c.id, page)
        return to_page(await self._rows(stmt), page.first, mapping.session, id_key)

    async def count_sessions(self, org_id: int, filter: SessionFilter) -> int:
        stmt = sa.select(sa.func.count()).select_from(S).where(*_session_where(org_id, filter))
        return int(await self._scalar(stmt))

    async def sessions_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Session]:
        return await self._by_ids(S, org_id, ids, mapping.session)

    async def generations(self, org_id: int, filter: GenerationFilter, page: PageRequest) -> Page[Generation]:
        stmt = newest_first(sa.select(G).where(*_generation_where(org_id, filter)), G.c.id, page)
        return to_page(await self._rows(stmt), page.first, mapping.generation, id_key)

    async def count_generations(self, org_id: int, filter: GenerationFilter) -> int:
        stmt = sa.select(sa.func.count()).select_from(G).where(*_generation_where(org_id, filter))
        return int(await self._scalar(stmt))

    async def generation_pages(
        self, org_id: int, session_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Generation]]:
        stmt = _generations_of()
        return await self._group_pages(
            stmt, G.c.id, G.c.session_id, org_id, session_ids, page, mapping.generation
        )

    async def count_session_generations(self, org_id: int, session_ids: Sequence[int]) -> Mapping[int, int]:
        return await self._group_counts(_generations_of(), G.c.session_id, org_id, session_ids)

    async def session_generation_rows(
        self, org_id: int, member_id: int, session_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        stmt = _session_generation_rows(projection, page.after is not None)
        values = page_values(page, org_id=org_id, session_id=session_id, member_id=member_id)
        rows = await self._rows(stmt, values)
        total = None
        if projection.total and not rows:  # a page past the end still tells the list's size
            counted = await self.count_session_generations(org_id, [session_id])
            total = counted.get(session_id, 0)
        return projected_page(rows, page, Generation, projection, total)

    async def generations_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Generation]:
        return await self._by_ids(G, org_id, ids, mapping.generation)

    async def context_assets_of_generations(
        self, org_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]:
        ca, a = t.generation_context_assets, t.assets
        stmt = (
            sa.select(ca.c.generation_id, ca.c.asset_id)
            .join(a, a.c.id == ca.c.asset_id)
            .where(ca.c.org_id == org_id, ca.c.generation_id.in_(generation_ids), a.c.trashed_at.is_(None))
            .order_by(ca.c.generation_id, ca.c.position)
        )
        return grouped(await self._rows(stmt), "generation_id", lambda r: r.asset_id)

    async def like_counts(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, int]:
        return counts(await self._rows(_like_counts(), prepared.values(org_id, generation_ids)))

    async def like_tallies(
        self, org_id: int, member_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, LikeTally]:
        values = prepared.values(org_id, generation_ids, member_id=member_id)
        return {r.grp: LikeTally(r.n, bool(r.mine)) for r in await self._rows(_like_tallies(), values)}
