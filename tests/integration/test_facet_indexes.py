"""The plans of facet counts on SQLite (PostgreSQL's planner may rightly scan tables this small):
a column facet of the whole library counted from the column's covering index alone (the path
PostgreSQL takes; SQLite reads the counts its triggers keep), and a search's facets finding their
matches once in each of their two statements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from domain.library.filters import AssetFilter
from domain.search.model import AssetQuery, SearchText
from storage.search.reads import SqlAssetSearchReads
from storage.sql.database import is_sqlite

INDEXES = {
    "folder": "ix_assets_org_folder_live_id",
    **{kind: f"ix_assets_org_live_{kind}" for kind in ("mime_type", "ai_generated", "provider", "model")},
}
KINDS = ["tag", "project", *sorted(INDEXES)]


async def plans_of(engine, tenant, reads: SqlAssetSearchReads, query: AssetQuery, kinds) -> list[list[str]]:
    """The facets' counts, and the plans of the statements that counted them."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if conn.get_execution_options().get("atelier_background"):
            return  # the event relay's polling on the shared engine, not the facets
        if "assets" in statement:
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        counts = await reads.facets(tenant.org_id, query, kinds, 50)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    assert all(sum(c.count for c in counts[kind]) >= 1 for kind in kinds if kind in INDEXES), counts
    async with engine.connect() as conn:
        return [
            [row[-1] for row in await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            for statement, parameters in sent
        ]


@pytest.fixture
async def one(engine, tenant):
    if not is_sqlite(engine):
        pytest.skip("SQLite only: PostgreSQL's planner may rightly scan a table this small")
    await tenant.asset("one", ai_generated=True, provider="procedural", model="m1")


@pytest.mark.parametrize("kind", sorted(INDEXES))
async def test_a_column_facet_of_the_whole_library_is_counted_from_its_covering_index(
    engine, tenant, one, kind
):
    reads = SqlAssetSearchReads(engine, kept_counts=False)
    (plan,) = await plans_of(engine, tenant, reads, AssetQuery(AssetFilter()), [kind])
    assert f"SEARCH assets USING COVERING INDEX {INDEXES[kind]} (org_id=?)" in plan, plan
    assert not any("FOR GROUP BY" in step for step in plan), plan  # the index's order is the group's


async def test_a_searchs_facets_match_the_words_once_for_every_kind(engine, tenant, one):
    query = AssetQuery(AssetFilter(), search=SearchText.parse("one"))
    plans = await plans_of(engine, tenant, SqlAssetSearchReads(engine), query, KINDS)
    assert len(plans) == 2  # the column kinds and the link kinds, at once on two connections
    for plan in plans:
        assert sum("asset_search VIRTUAL TABLE" in step for step in plan) == 1, plan
        assert "MATERIALIZE m" in plan, plan
        assert not any(step.startswith("SCAN assets") for step in plan), plan
        # each match looked up in the narrow index of migration 0017, not in its row
        assert any("COVERING INDEX ix_assets_facet_columns (id=?" in step for step in plan), plan


async def test_a_search_of_the_trash_counts_its_facets_through_the_same_index(engine, tenant, one):
    await tenant.asset(
        "one trashed", trashed_at=datetime.now(UTC), ai_generated=True, provider="procedural", model="m1"
    )
    reads = SqlAssetSearchReads(engine)
    query = AssetQuery(AssetFilter(trashed=True), search=SearchText.parse("one"))
    counts = await reads.facets(tenant.org_id, query, KINDS, 50)
    assert [(c.value, c.count) for c in counts["ai_generated"]] == [(True, 1)]


async def test_a_searchs_count_looks_its_matches_up_in_the_same_index(engine, tenant, one):
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if "count(" in statement and "asset_search" in statement:
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        query = AssetQuery(AssetFilter(), search=SearchText.parse("one"))
        assert await SqlAssetSearchReads(engine).count(tenant.org_id, query) == 1
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    ((statement, parameters),) = sent
    async with engine.connect() as conn:
        plan = [row[-1] for row in await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert any("COVERING INDEX ix_assets_facet_columns (id=?" in step for step in plan), plan
