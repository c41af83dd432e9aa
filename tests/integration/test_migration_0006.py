"""0006 recomputes name keys from the name as it shows, keeping rows that now share a key apart."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from domain.library.model import name_key
from storage.demo.seeding import insert_tag
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import alembic_config, migrate
from tests.conftest import create_database, drop_database
from tests.integration.test_migrations import insert_old_organisation


def key_0003(name: str) -> str:
    """The key as the code at 0003 made it."""
    import unicodedata

    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name.strip()).casefold())


async def test_upgrading_rekeys_names_as_they_show_and_keeps_rows_that_now_share_a_key(tmp_path):
    url = await create_database(tmp_path)
    engine = create_engine(url)
    family, people = "👨\u200d👩\u200d👧", "👨👩👧"
    try:
        await migrate(engine, "0003")
        async with engine.begin() as conn:
            org = await insert_old_organisation(conn)

            async def add(table, name, **values):
                row = {"org_id": org, "name": name, "name_key": key_0003(name), **values}
                return (
                    await conn.execute(
                        sa.insert(table).values(created_at=sa.func.now(), **row).returning(table.c.id)
                    )
                ).scalar_one()

            hero = await add(t.tags, "Hero")
            hidden = await add(t.tags, "hero\u200b")
            spaced = await add(t.tags, "summer  sale")
            nbsp = await add(t.tags, "Summer\u00a0Sale")
            kept_apart = [await add(t.tags, family), await add(t.tags, people)]
            await add(t.projects, "Zed", description="")
            await add(t.projects, "Zed\ufe0f", description="")
            root = await add(t.folders, "Campaigns", parent_id=None)
            await add(t.folders, "campaigns\u2060", parent_id=None)
            await add(t.folders, "Campaigns", parent_id=root)  # another parent: no collision
        await migrate(engine)
        async with engine.begin() as conn:
            tags = dict((await conn.execute(sa.select(t.tags.c.id, t.tags.c.name_key))).all())
            assert tags[hero] == "hero" and tags[hidden] == f"hero\x01{hidden}"
            assert tags[spaced] == "summer sale" and tags[nbsp] == f"summer sale\x01{nbsp}"
            assert [tags[i] for i in kept_apart] == [family, people]
            projects = (
                (await conn.execute(sa.select(t.projects.c.name_key).order_by(t.projects.c.id)))
                .scalars()
                .all()
            )
            assert projects[0] == "zed" and projects[1].startswith("zed\x01")
            folders = (
                (await conn.execute(sa.select(t.folders.c.name_key).order_by(t.folders.c.id))).scalars().all()
            )
            assert (
                folders[0] == "campaigns"
                and folders[1].startswith("campaigns\x01")
                and folders[2] == "campaigns"
            )
            # the domain's rule finds the older tag, which a save would reuse
            assert (
                await conn.execute(sa.select(t.tags.c.id).where(t.tags.c.name_key == name_key("HERO\u200b")))
            ).scalar_one() == hero
            await insert_tag(conn, org, "Noir")  # and the table takes new rows
        async with engine.begin() as conn:  # and back

            def downgrade(connection):
                config = alembic_config()
                config.attributes["connection"] = connection
                command.downgrade(config, "0003")

            await conn.run_sync(downgrade)
        async with engine.connect() as conn:
            keys = set((await conn.execute(sa.select(t.tags.c.name_key))).scalars())
        assert keys == {"hero", "hero\u200b", "summer  sale", "summer\u00a0sale", family, people, "noir"}
    finally:
        await engine.dispose()
        await drop_database(url)
