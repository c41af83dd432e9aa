"""A search's facets of a column of assets are counted from the column's index alone; the whole
library's, on SQLite, are read from the counts its triggers keep."""

from __future__ import annotations

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


@pytest.mark.parametrize("kind", sorted(INDEXES))
async def test_sqlite_counts_a_column_facet_from_its_covering_index(engine, tenant, kind):
    if not is_sqlite(engine):
        pytest.skip("SQLite only: PostgreSQL's planner may rightly scan a table this small")
    await tenant.asset("one", ai_generated=True, provider="procedural", model="m1")
    query = AssetQuery(AssetFilter(), search=SearchText.parse("one"))
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if conn.get_execution_options().get("atelier_background"):
            return  # the event relay's polling on the shared engine, not the facet
        if statement.lstrip().upper().startswith("SELECT") and "FROM assets" in statement:
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        counts = await SqlAssetSearchReads(engine).facet(tenant.org_id, query, kind, 50)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    assert [c.count for c in counts] == [1]
    (statement, parameters), *_ = sent
    async with engine.connect() as conn:
        plan = [
            row[-1] for row in (await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
        ]
    assert f"SEARCH assets USING COVERING INDEX {INDEXES[kind]} (org_id=?)" in plan, plan
    assert not any("FOR GROUP BY" in step for step in plan), plan  # the index's order is the group's
