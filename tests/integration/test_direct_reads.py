"""Built-once reads on SQLite run below SQLAlchemy's execution layer and answer exactly as it does."""

from __future__ import annotations

import asyncio
import enum
import gc
import sqlite3
import weakref
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from storage.sql import direct_reads as direct
from storage.sql import prepared
from storage.sql.database import create_engine
from storage.sql.inline_reads import GaveWay, InlineReads
from storage.sql.reader import SqlReader
from storage.sql.sqlite_driver import OneTripConnection
from storage.sql.tables.columns import UtcDateTime


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


metadata = sa.MetaData()
things = sa.Table(
    "things",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("org_id", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("made_at", UtcDateTime, nullable=False),
    sa.Column("shown", sa.Boolean, nullable=False),
    sa.Column("colour", sa.Enum(Colour), nullable=True),
    sa.Column("extra", sa.JSON, nullable=True),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("label_text", sa.Text, key="label", nullable=True),
)
links = sa.Table(
    "links",
    metadata,
    sa.Column("thing_id", sa.Integer, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
)
other_links = links.alias("other_links")
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'direct.db'}", pool_size=2)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(
            things.insert(),
            [
                {
                    "id": i,
                    "org_id": 1 + i % 2,
                    "name": f"thing {i} ✓" if i % 3 else "x'; DROP TABLE things; --",
                    "made_at": START + timedelta(minutes=i),
                    "shown": i % 4 == 0,
                    "colour": [Colour.RED, Colour.BLUE, None][i % 3],
                    "extra": {"n": i, "tags": ["a", "b"][: i % 3]} if i % 5 else None,
                    "score": i / 7 if i % 2 else None,
                    "label": f"label {i}",
                }
                for i in range(1, 41)
            ],
        )
        await conn.execute(
            links.insert(), [{"thing_id": i, "label": f"l{j}"} for i in range(1, 41, 3) for j in range(3)]
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def reads(engine):
    reads = direct.direct_reads(engine)
    assert reads is not None
    return reads


def _in(ids):
    return things.c.id.in_(ids)


# built once, as storage.sql.prepared's statements are: each with the values it binds
STATEMENTS = {
    "rows by ids": (prepared.rows_by_ids(things), prepared.values(1, [2, 4, 7, 9, 40])),
    "an empty IN list": (prepared.rows_by_ids(things), prepared.values(1, [])),
    "a typed bound time and a literal": (
        sa.select(things.c.id, things.c.made_at, things.c.colour)
        .where(things.c.made_at > sa.bindparam("after", type_=UtcDateTime), things.c.name != "none")
        .order_by(things.c.id.desc())
        .limit(sa.bindparam("limit")),
        {"after": START + timedelta(minutes=30), "limit": 4},
    ),
    "labels, aggregates, a coerced boolean": (
        sa.select(
            things.c.org_id,
            sa.func.count().label("n"),
            sa.type_coerce(sa.func.max(things.c.id) > 30, sa.Boolean).label("late"),
            sa.func.coalesce(sa.func.sum(things.c.score), 0),
            sa.func.max(things.c.made_at),
        )
        .where(things.c.org_id.in_(prepared.ids()))
        .group_by(things.c.org_id)
        .order_by(things.c.org_id),
        {prepared.IDS: [1, 2, 3]},
    ),
    "a scalar subquery per row and a join": (
        sa.select(
            things.c.id,
            links.c.label,
            sa.select(sa.func.count())
            .select_from(other_links)
            .where(other_links.c.thing_id == things.c.id)
            .scalar_subquery()
            .label("links"),
        )
        .join(links, links.c.thing_id == things.c.id)
        .where(things.c.org_id == prepared.org_id(), things.c.shown.is_(False))
        .order_by(things.c.id, links.c.label),
        {prepared.ORG_ID: 2},
    ),
    "nothing found": (sa.select(things).where(things.c.name == sa.bindparam("name")), {"name": "nobody"}),
    "names that need escaping": (
        sa.select(things.c.id, things.c.label).where(
            things.c.name != sa.bindparam("a.b"), things.c.id.in_(sa.bindparam("x.y", expanding=True))
        ),
        {"a.b": "none", "x.y": [1, 2]},
    ),
}


@pytest.fixture(params=["inline", "on the pool's thread"])
def where(request, reads, monkeypatch):
    """Each comparison runs both ways a read may go."""
    if request.param != "inline":
        monkeypatch.setattr(reads, "_inline", None)
    return request.param


class TestSameAnswers:
    @pytest.mark.parametrize("name", list(STATEMENTS))
    async def test_rows_keys_and_types_are_sqlalchemys(self, engine, reads, where, name):
        statement, values = STATEMENTS[name]
        async with engine.connect() as conn:
            expected = await conn.execute(statement, values)
            keys, rows = list(expected.keys()), expected.all()
        got = await reads.result(statement, values)
        assert list(got.keys()) == keys
        got_rows = got.all()
        assert [r._mapping for r in got_rows] == [r._mapping for r in rows]
        assert [[type(v) for v in r] for r in got_rows] == [[type(v) for v in r] for r in rows]
        if rows:
            assert getattr(got_rows[0], keys[0]) == getattr(rows[0], keys[0])
            for column in statement.selected_columns:  # by Column object and by key, as SQLAlchemy's
                assert got_rows[0]._mapping[column] == rows[0]._mapping[column]

    async def test_textual_statements_go_through_sqlalchemy(self, engine, reads):
        textual = sa.text("SELECT id, name AS n FROM things WHERE id = :id")
        columns = (
            sa.select(sa.text("id"), sa.literal_column("name"))
            .select_from(things)
            .where(things.c.id == sa.bindparam("id"))
        )
        reader = SqlReader(engine)
        seen: list[str] = []
        with direct.watch_statements(engine, lambda sql, options: seen.append(sql)):
            for statement in (textual, columns):
                assert await reads.result(statement, {"id": 3}) is None
                (row,) = await reader._rows(statement, {"id": 3})
                assert tuple(row) == (3, "x'; DROP TABLE things; --")
        assert seen == []

    async def test_a_second_run_binds_new_values(self, reads):
        statement, _ = STATEMENTS["rows by ids"]
        first = (await reads.result(statement, prepared.values(2, [1, 3]))).all()  # odd ids are org 2's
        second = (await reads.result(statement, prepared.values(1, [2, 4, 6]))).all()
        assert [r.id for r in first] == [1, 3] and sorted(r.id for r in second) == [2, 4, 6]

    async def test_the_reader_sends_built_once_statements_here_and_the_rest_through_sqlalchemy(self, engine):
        reader = SqlReader(engine)
        seen: list[str] = []
        statement, values = STATEMENTS["rows by ids"]
        with direct.watch_statements(engine, lambda sql, options: seen.append(sql)):
            assert len(await reader._rows(statement, values)) == 3
            assert await reader._scalar(sa.select(sa.func.count()).select_from(things)) == 40
            assert (
                await reader._scalar(
                    sa.select(sa.func.count()).where(things.c.org_id == prepared.org_id()),
                    {prepared.ORG_ID: 1},
                )
                == 20
            )
        assert len(seen) == 2 and all("things" in sql for sql in seen)

    async def test_scalar_one_keeps_its_rules(self, engine):
        reader = SqlReader(engine)
        with pytest.raises(sa.exc.NoResultFound):
            await reader._scalar(*STATEMENTS["nothing found"])
        with pytest.raises(sa.exc.MultipleResultsFound):
            await reader._scalar(
                sa.select(things.c.id).where(things.c.org_id == prepared.org_id()), {prepared.ORG_ID: 1}
            )


class TestErrorsAndConnections:
    async def test_a_failing_statement_raises_sqlalchemys_error_without_its_values(self, engine, reads):
        broken = sa.select(sa.func.no_such_function(things.c.id).label("x")).where(
            things.c.name == sa.bindparam("name")
        )
        with pytest.raises(sa.exc.OperationalError) as raised:
            await reads.result(broken, {"name": "a secret value"})
        assert "no such function" in str(raised.value) and "a secret value" not in str(raised.value)
        assert engine.sync_engine.pool.checkedout() == 0
        statement, values = STATEMENTS["rows by ids"]
        assert len((await reads.result(statement, values)).all()) == 3  # the connection went on

    async def test_a_missing_value_is_refused_before_any_connection(self, engine, reads):
        statement, _ = STATEMENTS["rows by ids"]
        with pytest.raises(sa.exc.InvalidRequestError, match="org_id"):
            await reads.result(statement, {prepared.IDS: [1]})
        assert engine.sync_engine.pool.checkedout() == 0

    async def test_many_at_once_share_the_pool_and_give_every_connection_back(
        self, engine, reads, monkeypatch
    ):
        monkeypatch.setattr(reads, "_inline", None)  # every read on the pool's threads
        statement, _ = STATEMENTS["rows by ids"]
        answers = await asyncio.gather(
            *(reads.result(statement, prepared.values(1 + i % 2, [i, i + 2])) for i in range(1, 61))
        )
        # a thing's organisation is 1 + id % 2, the one each read asks for
        assert [sorted(r.id for r in a.all()) for a in answers] == [
            [x for x in (i, i + 2) if x <= 40] for i in range(1, 61)
        ]
        pool = engine.sync_engine.pool
        assert pool.checkedout() == 0 and pool.overflow() <= 0  # overflow connections were closed

    async def test_after_dispose_the_new_pool_serves_and_inline_connections_open_again(
        self, engine, reads, monkeypatch
    ):
        statement, values = STATEMENTS["rows by ids"]
        inline = reads._inline
        await reads.result(statement, values)  # inline: this thread's connection opens
        (inline_connection,) = inline._opened
        with monkeypatch.context() as threaded:
            threaded.setattr(reads, "_inline", None)
            await reads.result(statement, values)  # on the pool
        old = engine.sync_engine.pool
        assert old.checkedin() == 1
        await engine.dispose()
        assert engine.sync_engine.pool is not old
        with pytest.raises(sqlite3.ProgrammingError):  # dispose closed it
            inline_connection.execute("SELECT 1")
        assert len((await reads.result(statement, values)).all()) == 3  # inline, a new connection
        assert len(inline._opened) == 1 and inline._opened[0] is not inline_connection
        with monkeypatch.context() as threaded:
            threaded.setattr(reads, "_inline", None)
            assert len((await reads.result(statement, values)).all()) == 3
        assert old.checkedin() == 0 and engine.sync_engine.pool.checkedin() == 1  # the new pool served

    async def test_one_reads_per_engine_and_its_option_engines(self, engine):
        reads = direct.direct_reads(engine)
        assert direct.direct_reads(engine.execution_options(isolation_level="AUTOCOMMIT")) is reads

    async def test_an_engine_gone_takes_its_reads_and_connections_with_it(self, tmp_path):
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'gone.db'}")
        reads = direct.direct_reads(engine)
        assert reads is not None
        await reads.result(sa.select((sa.literal(1) + sa.bindparam("n")).label("n")), {"n": 1})
        connections = list(reads._inline._opened)
        gone = weakref.ref(engine.sync_engine)
        await engine.dispose()
        del engine, reads
        gc.collect()
        assert gone() is None  # nothing held it: not the registry of direct reads
        assert all(key is not None for key in direct._direct)
        for connection in connections:
            with pytest.raises(sqlite3.ProgrammingError):
                connection.execute("SELECT 1")

    async def test_statements_built_per_call_only_cost_compiling_again(self, reads, monkeypatch):
        monkeypatch.setattr(direct, "KEPT_STATEMENTS", 3)
        for i in range(10):
            built = sa.select(things.c.id).where(things.c.id == sa.bindparam("id"))
            assert [r.id for r in (await reads.result(built, {"id": i + 1})).all()] == [i + 1]
        assert len(reads._compiled) <= 3


SLOW_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT count(*) FROM n"
)
_a, _b, _c, _d = (things.alias(name) for name in "abcd")
SLOW = (
    sa.select(sa.func.count().label("n"))
    .select_from(_a.join(_b, sa.true()).join(_c, sa.true()).join(_d, sa.true()))
    .where(_a.c.id > sa.bindparam("floor"))
)
"""Every combination of four things above a floor: none above 40, 2,560,000 above 0."""


@pytest.fixture
def trips(monkeypatch) -> list[str]:
    """The statements that went to a connection's thread."""
    sent: list[str] = []
    run = OneTripConnection.run

    async def counted(self, sql, parameters):
        sent.append(sql)
        return await run(self, sql, parameters)

    monkeypatch.setattr(OneTripConnection, "run", counted)
    return sent


class TestOnTheLoopsThread:
    async def test_a_read_runs_inline_and_sees_what_was_just_committed(self, engine, reads, trips):
        statement = sa.select(things.c.name).where(things.c.id == sa.bindparam("id"))
        async with engine.begin() as conn:
            await conn.execute(things.update().where(things.c.id == 7).values(name="renamed"))
        assert (await reads.result(statement, {"id": 7})).scalar_one() == "renamed"
        assert trips == []  # no trip to a thread

    async def test_a_read_over_budget_is_interrupted_and_runs_on_a_thread_then_tries_again(
        self, reads, trips, monkeypatch
    ):
        monkeypatch.setattr(direct, "THREADED_RUNS", 2)
        assert (await reads.result(SLOW, {"floor": 40})).scalar_one() == 0
        assert trips == []
        assert (await reads.result(SLOW, {"floor": 0})).scalar_one() == 40**4
        assert len(trips) == 1  # interrupted inline, answered by the thread
        for _ in range(2):  # the next runs go straight to the thread
            assert (await reads.result(SLOW, {"floor": 40})).scalar_one() == 0
        assert len(trips) == 3
        assert (await reads.result(SLOW, {"floor": 40})).scalar_one() == 0
        assert len(trips) == 3  # then inline again

    async def test_a_read_that_would_wait_on_a_lock_waits_on_a_thread_not_on_the_loop(
        self, engine, reads, tmp_path
    ):
        await engine.dispose()  # an exclusive lock in WAL mode wants the file to itself (inline too)
        holder = sqlite3.connect(tmp_path / "direct.db", isolation_level=None)
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE things SET name = 'held' WHERE id = 1")
        ticks = 0

        async def ticking():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        async def release():
            await asyncio.sleep(0.3)
            holder.execute("COMMIT")
            holder.execute("PRAGMA locking_mode=NORMAL")
            holder.execute("SELECT 1 FROM things LIMIT 1")  # gives up the exclusive lock
            holder.close()

        ticker = asyncio.create_task(ticking())
        statement = sa.select(things.c.name).where(things.c.id == sa.bindparam("id"))
        answer, _ = await asyncio.gather(reads.result(statement, {"id": 1}), release())
        ticker.cancel()
        assert answer.scalar_one() == "held"
        assert ticks >= 20  # the loop went on while the read waited

    async def test_nothing_written_inline(self, reads):
        inline = reads._inline
        with pytest.raises(GaveWay):
            inline.rows("DELETE FROM things", ())
        assert inline.rows("SELECT count(*) FROM things", ()) == [(40,)]

    async def test_an_engine_made_elsewhere_and_a_database_not_a_plain_file_read_as_before(self, tmp_path):
        elsewhere = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'elsewhere.db'}")
        uri = create_engine(f"sqlite+aiosqlite:///file:{tmp_path / 'uri.db'}?uri=true")
        try:
            assert direct.direct_reads(elsewhere) is None  # its connections are not one-trip ones
            assert await SqlReader(elsewhere)._scalar(sa.select(sa.bindparam("n") + 1), {"n": 2}) == 3
            reads = direct.direct_reads(uri)
            assert reads is not None and reads._inline is None
            assert (
                await reads.result(sa.select(sa.literal(1) + sa.bindparam("n")), {"n": 2})
            ).scalar_one() == 3
        finally:
            await elsewhere.dispose()
            await uri.dispose()

    @pytest.mark.parametrize(
        "budgets",
        [{"budget_seconds": 0.001, "wall_seconds": 10}, {"budget_seconds": 10, "wall_seconds": 0.001}],
    )
    async def test_either_budget_interrupts_a_read(self, tmp_path, engine, budgets):
        inline = InlineReads(str(tmp_path / "direct.db"), **budgets)
        try:
            with pytest.raises(GaveWay) as gave_way:
                inline.rows(SLOW_SQL, (3_000_000,))
            assert gave_way.value.over_budget
            assert inline.rows("SELECT count(*) FROM things", ()) == [(40,)]  # and the connection goes on
        finally:
            inline.close()
