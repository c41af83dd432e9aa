"""Migrations build the same schema as the code's metadata, on both databases, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import create_engine
from storage.migrate import alembic_config, current_revision, migrate
from storage.tables import metadata
from tests.conftest import create_database, drop_database


async def test_a_fresh_database_migrates_to_head_without_drift(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        assert await current_revision(engine) is None
        await migrate(engine)
        await migrate(engine)  # a second start changes nothing
        assert (
            await current_revision(engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
        )

        def diff(connection):
            return compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), metadata
            )

        async with engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()
        await drop_database(url)


async def test_upgrading_keeps_existing_rows_and_their_links(tmp_path):
    """SQLite rebuilds tables for some ALTERs; with foreign keys on that could cascade away links."""
    import sqlalchemy as sa

    from storage import tables as t
    from tests.builders import make_tenant

    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        await migrate(engine, "0001")
        async with engine.begin() as conn:
            org = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO organisations (slug, name, storage_quota_bytes, credit_budget, created_at) "
                        "VALUES ('old', 'Old', 1, 1, CURRENT_TIMESTAMP) RETURNING id"
                    )
                )
            ).scalar_one()
            member = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO members (org_id, name, email, role, created_at) "
                        "VALUES (:o, 'm', 'm@x', 'admin', CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"o": org},
                )
            ).scalar_one()
            session = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO sessions (org_id, title, aspect_ratio, state, created_at) "
                        "VALUES (:o, 's', '1:1', 'open', CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"o": org},
                )
            ).scalar_one()
            generation = (
                await conn.execute(
                    sa.text(
                        "INSERT INTO generations (org_id, session_id, prompt, aspect_ratio, width, height, provider, model, "
                        "review_state, blob_key, mime_type, byte_size, created_at) VALUES (:o, :s, 'p', '1:1', 1, 1, 'x', 'x', "
                        "'pending', 'k', 'image/png', 1, CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {"o": org, "s": session},
                )
            ).scalar_one()
            await conn.execute(
                sa.text(
                    "INSERT INTO generation_likes (org_id, generation_id, member_id, created_at) "
                    "VALUES (:o, :g, :m, CURRENT_TIMESTAMP)"
                ),
                {"o": org, "g": generation, "m": member},
            )
        await migrate(engine)
        async with engine.connect() as conn:
            likes = (
                await conn.execute(sa.select(sa.func.count()).select_from(t.generation_likes))
            ).scalar_one()
            spent = (await conn.execute(sa.select(t.organisations.c.credits_spent))).scalar_one()
        assert (likes, spent) == (1, 0)
        await make_tenant(engine)  # and the new schema takes new rows
    finally:
        await engine.dispose()
        await drop_database(url)
