"""Migration 0011 gives existing facts the bands the domain computes, for signed hashes of every sign."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.perceptual_hash import bands
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from storage.sql.tables import image_facts
from tests.conftest import create_database, drop_database
from tests.integration.test_migrations import insert_old_organisation

HASHES = [0, -1, -2, 2**63 - 1, -(2**63), 0x0123_4567_89AB_CDEF, -0x0123_4567_89AB_CDEF]


async def test_upgrading_backfills_each_facts_bands_as_the_domain_computes_them(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        await migrate(engine, "0010")
        async with engine.begin() as conn:
            org = await insert_old_organisation(conn)
            for i, h in enumerate(HASHES):
                await conn.execute(
                    sa.text(
                        "INSERT INTO image_facts (org_id, subject_type, subject_id, format, colour_mode, "
                        "dominant_colours, perceptual_hash, processed_at) "
                        "VALUES (:o, 'asset', :i, 'PNG', 'RGB', '[]', :h, CURRENT_TIMESTAMP)"
                    ),
                    {"o": org, "i": i, "h": h},
                )
        await migrate(engine)
        f = image_facts
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(f.c.perceptual_hash, *(f.c[f"phash_band_{i}"] for i in range(4))).order_by(
                        f.c.subject_id
                    )
                )
            ).all()
        assert [(r[0], tuple(r[1:])) for r in rows] == [(h, bands(h)) for h in HASHES]
    finally:
        await engine.dispose()
        await drop_database(url)
