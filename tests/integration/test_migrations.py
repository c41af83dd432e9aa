"""Migrations build the same schema as the code's metadata, on both databases, and run twice safely."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.sql.database import create_engine
from storage.sql.migrate import alembic_config, current_revision, migrate
from storage.sql.tables import metadata
from tests.conftest import create_database, drop_database


async def insert_old_organisation(conn) -> int:
    """An organisation written with plain SQL, as a database at an old revision takes it."""
    import sqlalchemy as sa

    statement = sa.text(
        "INSERT INTO organisations (slug, name, storage_quota_bytes, credit_budget, created_at) "
        "VALUES ('old', 'Old', 1, 1, CURRENT_TIMESTAMP) RETURNING id"
    )
    return (await conn.execute(statement)).scalar_one()


def outside_the_metadata(name, type_, parent_names) -> bool:
    """The full-text index (an FTS5 table and its shadow tables, or a tsvector table) of migration
    0009, SQLite's facet counts of 0016 and its facet columns by id of 0017 are raw DDL that the
    metadata does not hold."""
    if type_ == "index" and name == "ix_assets_facet_columns":
        return False
    return not (
        type_ == "table" and name is not None and name.startswith(("asset_search", "asset_facet_counts"))
    )


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
                MigrationContext.configure(
                    connection, opts={"compare_type": True, "include_name": outside_the_metadata}
                ),
                metadata,
            )

        async with engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()
        await drop_database(url)


async def test_upgrading_keeps_existing_rows_and_their_links(tmp_path):
    """SQLite rebuilds tables for some ALTERs; with foreign keys on that could cascade away links."""
    import sqlalchemy as sa

    from storage.sql import tables as t
    from tests.builders import make_tenant

    url = await create_database(tmp_path)
    engine = create_engine(url)
    try:
        await migrate(engine, "0001")
        async with engine.begin() as conn:
            org = await insert_old_organisation(conn)
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


async def test_upgrading_rekeys_names_and_keeps_rows_that_now_share_a_key(tmp_path):
    """0003 recomputes name keys (NFC before case folding); rows that collide are kept apart, not merged."""
    import sqlalchemy as sa

    from domain.library.model import name_key
    from storage.demo.seeding import insert_tag
    from storage.sql import tables as t

    url = await create_database(tmp_path)
    engine = create_engine(url)
    nfc, nfd = "café", "cafe\u0301"
    try:
        await migrate(engine, "0002")
        async with engine.begin() as conn:
            org = await insert_old_organisation(conn)

            async def add(table, name, **values):
                # the keys as the code before 0003 made them
                row = {"org_id": org, "name": name, "name_key": name.strip().casefold(), **values}
                return (
                    await conn.execute(
                        sa.insert(table).values(created_at=sa.func.now(), **row).returning(table.c.id)
                    )
                ).scalar_one()

            first = await add(t.tags, nfc)
            second = await add(t.tags, nfd.upper())
            alone = await add(t.tags, f"{nfd} noir")
            # a row whose new key is another changing row's old one
            await add(t.projects, "Ǆ", description="")
            await add(t.projects, nfd, description="")
            root = await add(t.folders, nfd, parent_id=None)
            await add(t.folders, nfc, parent_id=None)
            await add(t.folders, nfc, parent_id=root)
        await migrate(engine)
        async with engine.begin() as conn:
            tags = dict((await conn.execute(sa.select(t.tags.c.id, t.tags.c.name_key))).all())
            assert tags == {first: nfc, second: f"{nfc}\x01{second}", alone: f"{nfc} noir"}
            projects = sorted((await conn.execute(sa.select(t.projects.c.name_key))).scalars())
            assert projects == sorted([nfc, "ǆ"])
            folders = (
                (await conn.execute(sa.select(t.folders.c.name_key).order_by(t.folders.c.id))).scalars().all()
            )
            assert folders[0] == nfc and folders[1].startswith(f"{nfc}\x01") and folders[2] == nfc
            # the new rule finds the older tag, which a save would reuse
            assert (
                await conn.execute(sa.select(t.tags.c.id).where(t.tags.c.name_key == name_key(nfd)))
            ).scalar_one() == first
            await insert_tag(conn, org, "Noir")  # and the table takes new rows
        async with engine.begin() as conn:  # and back

            def downgrade(connection):
                config = alembic_config()
                config.attributes["connection"] = connection
                command.downgrade(config, "0002")

            await conn.run_sync(downgrade)
        async with engine.connect() as conn:
            keys = set((await conn.execute(sa.select(t.tags.c.name_key))).scalars())
        assert keys == {nfc, nfd, f"{nfd} noir", "noir"}
    finally:
        await engine.dispose()
        await drop_database(url)
