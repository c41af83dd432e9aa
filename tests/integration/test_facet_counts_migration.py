"""Migration 0016 on SQLite: the counts of a library that existed before it, and a live asset deleted
outright (its BEFORE trigger takes it out of its tags' counts before the links' cascade)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.library.filters import AssetFilter
from domain.search.model import AssetQuery
from storage.search.reads import SqlAssetSearchReads
from storage.sql import tables as t
from storage.sql.database import create_engine, is_sqlite
from storage.sql.migrate import migrate
from tests.builders import make_tenant
from tests.conftest import create_database, drop_database

KINDS = ("tag", "project", "folder", "mime_type", "ai_generated", "provider", "model")


async def facets(reads: SqlAssetSearchReads, org_id: int) -> dict:
    query = AssetQuery(AssetFilter())
    found = await reads.facets(org_id, query, KINDS, 100)
    return {kind: [(c.value, c.count) for c in found[kind]] for kind in KINDS}


async def both_ways(engine, org_id: int) -> tuple[dict, dict]:
    """The facets as kept, and as counted from the rows."""
    kept, counted = SqlAssetSearchReads(engine), SqlAssetSearchReads(engine, kept_counts=False)
    return await facets(kept, org_id), await facets(counted, org_id)


async def library(tenant) -> list[int]:
    red, blue = await tenant.tag("red"), await tenant.tag("blue")
    spring = await tenant.project("Spring")
    folder = await tenant.folder("Posts")
    made = [
        await tenant.asset("a", tags=(red, blue), projects=(spring,), folder_id=folder, provider="openai"),
        await tenant.asset("b", tags=(red,), ai_generated=False, provider=""),
        await tenant.asset("c", tags=(blue,), projects=(spring,), model="m2"),
    ]
    trashed = await tenant.asset("d", tags=(red,), folder_id=folder)
    await tenant.run(
        lambda conn: conn.execute(
            sa.update(t.assets).where(t.assets.c.id == trashed).values(trashed_at=sa.func.current_timestamp())
        )
    )
    return made


async def test_a_library_from_before_the_migration_is_counted_when_it_runs(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        if not is_sqlite(engine):
            pytest.skip("the counts are kept on SQLite only")
        await migrate(engine, "0015")
        tenant = await make_tenant(engine)
        await library(tenant)
        await migrate(engine)
        kept, counted = await both_ways(engine, tenant.org_id)
        assert kept == counted and kept["tag"] and kept["folder"]
    finally:
        await engine.dispose()
        await drop_database(url)


async def test_a_live_asset_deleted_outright_leaves_every_count(engine, tenant):
    made = await library(tenant)
    await tenant.run(lambda conn: conn.execute(sa.delete(t.assets).where(t.assets.c.id == made[0])))
    kept, counted = await both_ways(engine, tenant.org_id)
    assert kept == counted
    assert kept["project"] == [(kept["project"][0][0], 1)]  # only "c" is left in Spring
