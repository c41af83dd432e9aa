"""Migration 0009 on a database with a library: existing assets get their name keys and their index rows."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.pagination import PageRequest
from domain.library.filters import AssetFilter
from domain.search.model import AssetQuery, SearchText
from storage.search.fulltext import fts5_expression
from storage.search.reads import SqlAssetSearchReads
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from tests.conftest import create_database, drop_database
from tests.integration.test_migrations import insert_old_organisation


def test_each_term_reaches_fts5_as_a_quoted_string():
    assert fts5_expression(SearchText(terms=("fox", 'a"b'))) == '"fox" "a""b"'


async def test_upgrading_indexes_the_assets_already_there(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        await migrate(engine, "0008")
        async with engine.begin() as conn:
            org = await insert_old_organisation(conn)
            asset = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO assets (org_id, name, blob_key, mime_type, byte_size, width, height, "
                        "ai_generated, prompt, created_at, updated_at) VALUES (:o, 'Straße Poster', 'k', "
                        "'image/png', 1, 1, 1, true, 'a lighthouse', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
                        "RETURNING id"
                    ),
                    {"o": org},
                )
            ).scalar_one()
            tag = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO tags (org_id, name, name_key, created_at) "
                        "VALUES (:o, 'Harbour', 'harbour', CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"o": org},
                )
            ).scalar_one()
            await conn.execute(
                sa.text("INSERT INTO asset_tags (org_id, asset_id, tag_id) VALUES (:o, :a, :t)"),
                {"o": org, "a": asset, "t": tag},
            )
        await migrate(engine)
        async with engine.connect() as conn:
            key = (await conn.execute(sa.text("SELECT name_key FROM assets"))).scalar_one()
        assert key == "strasse poster"
        reads = SqlAssetSearchReads(engine)
        for words in (("lighthouse",), ("harbour", "poster")):
            query = AssetQuery(filter=AssetFilter(), search=SearchText(terms=words))
            page = await reads.page(org, query, PageRequest(first=5))
            assert [a.id for a in page.items] == [asset], words
    finally:
        await engine.dispose()
        await drop_database(url)
