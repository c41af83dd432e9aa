"""SQLite connections run a statement in one trip to aiosqlite's thread, and answer as aiosqlite does."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from storage.sql import sqlite_driver
from storage.sql.database import create_engine, is_sqlite


@pytest.fixture
async def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one_trip.db'}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
    yield engine
    await engine.dispose()


class TestOneTrip:
    async def test_the_engines_connections_are_one_trip(self, sqlite_engine):
        async with sqlite_engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.driver_connection, sqlite_driver.OneTripConnection)
        assert is_sqlite(sqlite_engine)

    async def test_a_statement_is_one_trip(self, sqlite_engine, monkeypatch):
        trips = []
        execute = sqlite_driver.OneTripConnection._execute

        async def counted(self, fn, *args, **kwargs):
            trips.append(getattr(fn, "__name__", fn))
            return await execute(self, fn, *args, **kwargs)

        async with sqlite_engine.connect() as conn:
            monkeypatch.setattr(sqlite_driver.OneTripConnection, "_execute", counted)
            rows = (await conn.execute(sa.text("SELECT 1 AS one, 'x' AS two"))).all()
        assert [tuple(r) for r in rows] == [(1, "x")]
        assert trips == ["_run"]

    async def test_writes_report_their_rows_and_ids_and_returning_rows(self, sqlite_engine):
        async with sqlite_engine.begin() as conn:
            inserted = await conn.execute(sa.text("INSERT INTO t (name) VALUES ('a')"))
            assert inserted.lastrowid == 1 and inserted.rowcount == 1
            many = await conn.execute(sa.text("INSERT INTO t (name) VALUES (:n)"), [{"n": "b"}, {"n": "c"}])
            assert many.rowcount == 2
            returned = await conn.execute(sa.text("UPDATE t SET name = name || '!' RETURNING id, name"))
            assert sorted(tuple(r) for r in returned) == [(1, "a!"), (2, "b!"), (3, "c!")]
            deleted = await conn.execute(sa.text("DELETE FROM t WHERE id > 1"))
            assert deleted.rowcount == 2
        async with sqlite_engine.connect() as conn:
            assert (await conn.execute(sa.text("SELECT name FROM t"))).scalars().all() == ["a!"]

    async def test_errors_are_sqlites_and_the_connection_goes_on(self, sqlite_engine):
        async with sqlite_engine.connect() as conn:
            with pytest.raises(sa.exc.IntegrityError, match="UNIQUE constraint failed"):
                await conn.execute(sa.text("INSERT INTO t (name) VALUES ('a'), ('a')"))
            await conn.rollback()
            with pytest.raises(sa.exc.OperationalError):
                await conn.execute(sa.text("SELECT nothing FROM nowhere"))
            assert (await conn.execute(sa.text("SELECT count(*) FROM t"))).scalar_one() == 0

    async def test_the_names_it_leans_on_are_still_aiosqlites(self):
        # `_execute` queues a call on the connection's thread, `_conn` is its sqlite3 connection
        connection = await sqlite_driver.connect(":memory:")
        try:
            assert isinstance(connection._conn, sqlite3.Connection)
            assert await connection._execute(lambda: 42) == 42
        finally:
            await connection.close()
