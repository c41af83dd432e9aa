"""The orphan sweep's question about library files is answered from an index, not a scan of assets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.sql.database import is_sqlite


async def test_the_migrated_database_indexes_assets_by_blob_key(engine):
    def indexes(connection: sa.Connection) -> dict[str, list[str | None]]:
        return {i["name"] or "": i["column_names"] for i in sa.inspect(connection).get_indexes("assets")}

    async with engine.connect() as conn:
        assert (await conn.run_sync(indexes))["ix_assets_blob_key"] == ["blob_key"]


async def test_sqlite_plans_the_sweeps_lookup_with_the_index(engine):
    if not is_sqlite(engine):
        pytest.skip("SQLite only: PostgreSQL's planner may rightly scan a small table")
    async with engine.connect() as conn:
        plan = await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT blob_key FROM assets WHERE blob_key IN (?, ?)", ("a" * 64, "b" * 64)
        )
        assert any("ix_assets_blob_key" in row[-1] for row in plan.all())
