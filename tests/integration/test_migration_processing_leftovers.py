"""The processing-leftovers migration deletes the processing rows that subjects already deleted left
behind, and only those (found by its file name: its number may change when branches merge)."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import alembic_config, migrate
from tests.builders import make_tenant
from tests.conftest import create_database, drop_database
from tests.graph.processing.rows import processed


def revision_before_the_migration() -> str:
    from alembic.script import ScriptDirectory

    [script] = [
        s
        for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()
        if s.path.endswith("_processing_leftovers.py")
    ]
    assert isinstance(script.down_revision, str)
    return script.down_revision


async def test_upgrading_deletes_jobs_facts_and_renditions_of_subjects_that_no_longer_exist(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        await migrate(engine, revision_before_the_migration())
        tenant = await make_tenant(engine)
        session = await tenant.session("S")
        asset, generation = await tenant.asset("kept"), await tenant.generation(session, "kept")
        purged_asset, expired_generation = asset + 1000, generation + 1000
        for subject, subject_id in (
            ("asset", asset),
            ("generation", generation),
            ("asset", purged_asset),
            ("generation", expired_generation),
            ("generation", asset + 2000),  # an id no generation has, though an asset might
        ):
            await processed(engine, tenant.org_id, subject, subject_id)

        await migrate(engine)

        async with engine.connect() as conn:
            for table in (t.jobs, t.image_facts, t.renditions):
                left = await conn.execute(sa.select(table.c.subject_type, table.c.subject_id).distinct())
                assert {tuple(r) for r in left} == {("asset", asset), ("generation", generation)}, table.name
    finally:
        await engine.dispose()
        await drop_database(url)
