"""Placements over SQL: the repository (in a unit of work) and the reads (a statement each)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.kernel.pagination import Page, PageRequest
from domain.library.placements.model import NewPlacement, Placement, PlacementState
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.paging import id_key, newest_first, to_page
from storage.sql.reader import SqlReader, counts, grouped
from storage.sql.repository import Repository
from storage.sql.rows import from_row, values_of

P = t.placements


def placement(r: Any) -> Placement:
    return from_row(Placement, r)


def _count_by_asset(org_id: int, asset_ids: Sequence[int]) -> sa.Select[Any]:
    return (
        sa.select(P.c.asset_id.label("grp"), sa.func.count().label("n"))
        .where(P.c.org_id == org_id, P.c.asset_id.in_(asset_ids))
        .group_by(P.c.asset_id)
    )


@functools.cache
def _placements_of() -> sa.Select[Any]:  # bind `org_id` and `ids` (the projects)
    return sa.select(P).where(P.c.org_id == prepared.org_id(), P.c.project_id.in_(prepared.ids()))


class SqlPlacementRepository(Repository):
    """PlacementRepository over SQL."""

    async def add(self, placement_: NewPlacement) -> tuple[Placement, bool]:
        stmt = self._insert_ignoring_duplicates(P).values(values_of(placement_)).returning(*P.c)
        rows = await self._rows(stmt)
        if rows:
            return placement(rows[0]), True
        # it exists: a twin proposal (this one's or a racing one's) made it
        found = await self._rows(
            sa.select(P).where(
                P.c.org_id == placement_.org_id,
                P.c.asset_id == placement_.asset_id,
                P.c.target_ref == placement_.target_ref,
                P.c.kind == placement_.kind.value,
            )
        )
        return placement(found[0]), False

    async def get(self, org_id: int, placement_id: int) -> Placement | None:
        rows = await self._rows(sa.select(P).where(P.c.org_id == org_id, P.c.id == placement_id))
        return placement(rows[0]) if rows else None

    async def approve(self, placement_: Placement) -> bool:
        stmt = (
            sa.update(P)
            .where(
                P.c.org_id == placement_.org_id,
                P.c.id == placement_.id,
                P.c.state == PlacementState.PROPOSED.value,
            )
            .values(
                state=placement_.state.value,
                approved_by_id=placement_.approved_by_id,
                approved_at=placement_.approved_at,
            )
            .returning(P.c.id)
        )
        return bool(await self._rows(stmt))

    async def remove(self, org_id: int, placement_id: int) -> Placement | None:
        rows = await self._rows(
            sa.delete(P).where(P.c.org_id == org_id, P.c.id == placement_id).returning(*P.c)
        )
        return placement(rows[0]) if rows else None

    async def count_by_asset(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        if not asset_ids:
            return {}
        return counts(await self._rows(_count_by_asset(org_id, asset_ids)))

    async def remove_for_assets(self, org_id: int, asset_ids: Sequence[int]) -> Sequence[Placement]:
        if not asset_ids:
            return []
        stmt = sa.delete(P).where(P.c.org_id == org_id, P.c.asset_id.in_(asset_ids)).returning(*P.c)
        return sorted((placement(r) for r in await self._rows(stmt)), key=lambda p: p.id)


class SqlPlacementReads(SqlReader):
    """PlacementReads over SQL."""

    async def placements_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Placement]:
        return await self._by_ids(P, org_id, ids, placement)

    async def placements_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Placement]]:
        stmt = sa.select(P).where(P.c.org_id == org_id, P.c.asset_id.in_(asset_ids)).order_by(P.c.id)
        return grouped(await self._rows(stmt), "asset_id", placement)

    async def count_placements_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        return counts(await self._rows(_count_by_asset(org_id, asset_ids)))

    async def placements_of_target(self, org_id: int, target_ref: str, page: PageRequest) -> Page[Placement]:
        stmt = newest_first(
            sa.select(P).where(P.c.org_id == org_id, P.c.target_ref == target_ref), P.c.id, page
        )
        return to_page(await self._rows(stmt), page.first, placement, id_key)

    async def count_placements_of_target(self, org_id: int, target_ref: str) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(P)
            .where(P.c.org_id == org_id, P.c.target_ref == target_ref)
        )
        return int(await self._scalar(stmt))

    async def project_placement_pages(
        self, org_id: int, project_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Placement]]:
        stmt = _placements_of()
        return await self._group_pages(stmt, P.c.id, P.c.project_id, org_id, project_ids, page, placement)

    async def count_project_placements(self, org_id: int, project_ids: Sequence[int]) -> Mapping[int, int]:
        return await self._group_counts(_placements_of(), P.c.project_id, org_id, project_ids)
