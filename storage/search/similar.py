"""SimilarAssetReads over SQL: hashes by asset, and live assets by band value through the band indexes."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import tables as t
from storage.sql.reader import SqlReader

A, F = t.assets, t.image_facts
BAND_COLUMNS = (F.c.phash_band_0, F.c.phash_band_1, F.c.phash_band_2, F.c.phash_band_3)


class SqlSimilarAssetReads(SqlReader):
    """SimilarAssetReads over SQL: an index lookup per band value, each band's values one parameter."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._postgresql = engine.dialect.name == "postgresql"

    async def hashes(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        rows = await self._rows(
            sa.select(F.c.subject_id, F.c.perceptual_hash).where(
                F.c.org_id == org_id, F.c.subject_type == "asset", F.c.subject_id.in_(asset_ids)
            )
        )
        return {r.subject_id: r.perceptual_hash for r in rows}

    async def banded_live_assets(
        self, org_id: int, band_values: Sequence[Collection[int]]
    ) -> Sequence[tuple[int, int]]:
        # a UNION of one select per band, not an OR: SQLite would walk the organisation's facts
        # testing the OR, where each select alone searches its band's index
        per_band = [
            sa.select(F.c.subject_id, F.c.perceptual_hash)
            .join(A, sa.and_(A.c.org_id == F.c.org_id, A.c.id == F.c.subject_id))
            .where(
                F.c.org_id == org_id,
                F.c.subject_type == "asset",
                self._among(column, values),
                A.c.trashed_at.is_(None),
            )
            for column, values in zip(BAND_COLUMNS, band_values, strict=True)
            if values
        ]
        if not per_band:
            return []
        rows = await self._rows(sa.union(*per_band) if len(per_band) > 1 else per_band[0])
        return [(r.subject_id, r.perceptual_hash) for r in rows]

    def _among(self, column: sa.ColumnElement[int], values: Collection[int]) -> sa.ColumnElement[bool]:
        """`column` is one of `values`, sent as a single parameter: a page's values reach tens of
        thousands, past both drivers' limits on parameters."""
        ordered = sorted(values)
        if self._postgresql:
            return column == sa.any_(sa.bindparam(None, ordered, type_=postgresql.ARRAY(sa.Integer)))
        each = sa.func.json_each(sa.bindparam(None, json.dumps(ordered), type_=sa.Text)).table_valued("value")
        return column.in_(sa.select(each.c.value))
