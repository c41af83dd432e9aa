"""Migrations build the same schema as the code's metadata, on both databases, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.database import create_engine
from storage.migrate import current_revision, migrate
from storage.tables import metadata
from tests.conftest import create_database, drop_database


async def test_a_fresh_database_migrates_to_head_without_drift(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        assert await current_revision(engine) is None
        await migrate(engine)
        await migrate(engine)  # a second start changes nothing
        assert await current_revision(engine) == "0001"

        def diff(connection):
            return compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), metadata
            )

        async with engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()
        await drop_database(url)
