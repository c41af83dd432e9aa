"""aiosqlite connections that run a statement in one trip to their thread, not four.

aiosqlite runs each sqlite3 call on the connection's own thread and hands the result back to
the event loop: a future, a queue, a thread-safe wake-up. SQLAlchemy's adapter makes four
such calls per statement (open a cursor, execute, fetch all, close), each ~40 µs of the
loop's time; a page of three statements spent half a millisecond in them (README, *The
execution path*). Here a cursor's `execute` does all four in one call on the thread and
keeps what SQLAlchemy reads afterwards (the description, the rows, the row count, the last
row id), so a statement is one trip. Everything else is aiosqlite's, and SQLAlchemy sees the
same cursor interface, the same rows and the same sqlite3 exceptions.

This leans on two names aiosqlite does not document (`_execute`, the queue of calls to its
thread, and `_conn`, its sqlite3 connection); the whole suite runs through it on SQLite,
and `tests/integration/test_sqlite_driver.py` pins what it relies on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

MMAP_BYTES = 1 << 30
"""How much of a SQLite file reads map into memory (the rest is read as before)."""

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=NORMAL",
    # Reads map the file rather than copy each page into the connection's 2 MB cache:
    # a search or facet visits thousands of rows across the file, and the copies were
    # half its time at 100,000 assets. Virtual address space, shared with the OS cache.
    f"PRAGMA mmap_size={MMAP_BYTES}",
)
"""What every connection to the database file sets when it opens."""

Description = tuple[tuple[Any, ...], ...] | None
Outcome = tuple[Description, list[Any], int, int | None]


def connect(database: str | Path, **kwargs: Any) -> aiosqlite.Connection:
    """What `aiosqlite.connect` gives, with one-trip cursors (SQLAlchemy's `async_creator_fn`)."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(str(database), **kwargs)

    connection = OneTripConnection(connector, iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy's dialect sets it: no exit waits on it
    return connection


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors execute in one trip to its thread."""

    def cursor(self) -> _Opened:  # type: ignore[override]  # entered without a trip
        return _Opened(OneTripCursor(self))

    async def run(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """The rows of one statement, in one trip (storage.sql.direct_reads runs reads so)."""
        return (await self._execute(_run, self._conn, sql, parameters))[1]


class _Opened:
    """What SQLAlchemy enters to get a cursor: no sqlite3 cursor exists until a statement runs."""

    def __init__(self, cursor: OneTripCursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> OneTripCursor:
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        await self._cursor.close()


class OneTripCursor:
    """The part of aiosqlite's cursor SQLAlchemy uses, each statement run and fetched in one trip."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> OneTripCursor:
        conn = self._connection
        outcome = await conn._execute(_run, conn._conn, sql, () if parameters is None else parameters)
        self._keep(outcome)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> OneTripCursor:
        conn = self._connection
        self._keep(await conn._execute(_run, conn._conn, sql, parameters, many=True))
        return self

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        self._rows = []

    def _keep(self, outcome: Outcome) -> None:
        self.description, self._rows, self.rowcount, self.lastrowid = outcome


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, many: bool = False) -> Outcome:
    """On the connection's thread: the statement, its rows and what its cursor says of it."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        return _outcome(cursor)
    finally:
        cursor.close()


def _outcome(cursor: sqlite3.Cursor) -> Outcome:
    description = cursor.description
    rows = cursor.fetchall() if description else []
    return description, rows, cursor.rowcount, cursor.lastrowid
