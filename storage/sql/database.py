"""Engines for the embedded default (SQLite in the data folder) and for PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.sql import direct_reads, sqlite_driver

WRITE = "atelier_write"
BACKGROUND = "atelier_background"
"""An execution option marking statements of background loops (the event relay), not of requests."""
"""Execution option set by the unit of work: its transaction must take SQLite's write lock up front."""

READ = "atelier_read"
"""Execution option set by a reading unit of work: one snapshot for its statements, and no write lock."""


POSTGRESQL_POOL_SIZE = 24
"""Connections a PostgreSQL engine keeps. A page runs its relation batches at once, each on a
connection of its own, so eight concurrent requests hold about twenty: with 8 kept, the rest were
opened and closed again around single statements, each time a connection and its prepared
statements (the library page at eight clients served 59 requests a second; with 24 kept, 99)."""
SQLITE_POOL_SIZE = 8
"""Connections a SQLite engine keeps: opening one is cheap, and each kept one is a thread of
aiosqlite's and a mapping of the file (24 measured no faster at eight clients)."""
POOL_OVERFLOW = 8
"""Connections opened beyond the kept ones at a peak, and closed when it passes."""


def create_engine(url: str, *, pool_size: int | None = None) -> AsyncEngine:
    """An async engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and IMMEDIATE writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kept = pool_size or SQLITE_POOL_SIZE
        engine = create_async_engine(
            url,
            pool_size=kept,
            max_overflow=POOL_OVERFLOW,
            # one trip to aiosqlite's thread per statement (storage/sql/sqlite_driver.py)
            connect_args={"async_creator_fn": sqlite_driver.connect},
        )
        _tune_sqlite(engine)
        _hints_for_sqlite(engine)
        direct_reads.enable(engine)  # built-once reads below SQLAlchemy's execution layer
        return engine
    kept = pool_size or POSTGRESQL_POOL_SIZE
    return create_async_engine(url, pool_size=kept, max_overflow=POOL_OVERFLOW, pool_pre_ping=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    """Whether this engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def transaction_options(engine: AsyncEngine, *, read_only: bool) -> dict[str, Any]:
    """Execution options for a unit of work's transaction: SQLite's write lock only for writes, and
    PostgreSQL's READ ONLY for reads (reset when the connection goes back to the pool)."""
    if not read_only:
        return {WRITE: True}
    if is_sqlite(engine):
        return {READ: True}
    return {"postgresql_readonly": True}


def _hints_for_sqlite(engine: AsyncEngine) -> None:
    """Table hints (`Select.with_hint(table, text, "sqlite")`) rendered after the table, as SQLite's
    `INDEXED BY` wants them: SQLAlchemy's SQLite compiler renders none."""
    dialect = engine.sync_engine.dialect
    base = dialect.statement_compiler

    class HintedCompiler(base):  # type: ignore[valid-type,misc]
        def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
            return text

    dialect.statement_compiler = HintedCompiler


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over BEGIN from the driver so that writes can start IMMEDIATE:
        # a deferred write transaction that meets another writer fails with
        # SQLITE_BUSY at its first write, whatever the busy timeout says.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in sqlite_driver.PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    # DBAPI connections (by id: the adapter takes no weak references) with a BEGIN of ours still
    # open: only those need a ROLLBACK when they go back to the pool. Tracked here rather than
    # asked of aiosqlite, whose state is private. A stale id can only cost one needless rollback.
    open_transactions: set[int] = set()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Reads are single statements, each consistent on its own, so they run without
        # BEGIN (autocommit): that saves a round trip to aiosqlite's thread per batch.
        options = conn.get_execution_options()
        if options.get(WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif options.get(READ):
            # DEFERRED: in WAL mode it reads a snapshot and never waits for a writer
            conn.exec_driver_sql("BEGIN")
        else:
            return
        open_transactions.add(id(conn.connection.dbapi_connection))

    dialect = engine.sync_engine.dialect
    do_rollback, do_commit = dialect.do_rollback, dialect.do_commit

    def _key(connection: Any) -> int:
        # the pool hands its proxy (with a public `dbapi_connection`), a Connection the raw one
        return id(getattr(connection, "dbapi_connection", connection))

    def _rollback_if_open(connection: Any) -> None:
        # after an autocommit read there is nothing to roll back; asking aiosqlite's thread
        # anyway would cost a round trip on every connection return
        if _key(connection) in open_transactions:
            open_transactions.discard(_key(connection))
            do_rollback(connection)

    def _commit(connection: Any) -> None:
        open_transactions.discard(_key(connection))
        do_commit(connection)

    # Dialect.do_rollback and do_commit are SQLAlchemy's documented per-dialect hooks
    dialect.do_rollback = _rollback_if_open  # type: ignore[method-assign,assignment]
    dialect.do_commit = _commit  # type: ignore[method-assign,assignment]
