"""Short reads run on the event loop's own thread, with a time budget and a way back to the thread pool.

A statement sent to aiosqlite's thread costs the event loop more than most of the reads a page
makes cost SQLite: the queue, the thread's wake-up and its turn at the GIL, the loop's wake-up
when the answer comes (about 60 µs of the loop each; the token, the data version, a node and
its page are four). Measured on the Studio page at eight clients: 1.6 ms of the loop a
request, 0.12 ms of SQLite's threads. So a built-once read first runs here, on a connection of
this thread's own, where the loop waits for it as it would for any Python code, under two
guards that keep a slow read from holding the loop:

- a budget (`BUDGET_SECONDS` of the thread's CPU time, and a wider one by the clock for reads
  waiting on the disk): SQLite's progress handler interrupts a statement that runs longer, and
  it goes to the thread pool, now and for its next runs (`DirectReads`);
- no waiting on locks (`busy_timeout=0`): a read that would wait gives way at once.

In WAL mode a read neither waits for writers nor stops them, so both guards are rare. The
connection is `query_only`: nothing run here can write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from typing import Any

from storage.sql.sqlite_driver import MMAP_BYTES

BUDGET_SECONDS = 0.002
"""The CPU time a read may take on the event loop's thread before it is interrupted and sent to a thread."""

WALL_BUDGET_SECONDS = 0.02
"""The time by the clock a read may hold the loop: a read waiting on the disk spends no CPU time
(a busy machine may deschedule the loop for a while, hence the margin)."""

CHECK_EVERY = 1000
"""SQLite virtual-machine steps between looks at the clock (a few microseconds of work)."""


class GaveWay(Exception):
    """The read did not run here (over budget, or it would wait on a lock): run it on a thread."""

    def __init__(self, *, over_budget: bool) -> None:
        super().__init__("over budget" if over_budget else "would wait or failed")
        self.over_budget = over_budget


class InlineReads:
    """Reads of one SQLite file on the calling thread, one connection per thread (see the module)."""

    def __init__(
        self,
        database: str,
        *,
        budget_seconds: float = BUDGET_SECONDS,
        wall_seconds: float = WALL_BUDGET_SECONDS,
    ) -> None:
        self._database = database
        self._budget = budget_seconds
        self._wall = wall_seconds
        self._local = threading.local()

    def rows(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """The statement's rows; GaveWay when it should run on a thread instead."""
        try:
            connection, deadlines = self._connection()
            deadlines[:] = time.thread_time() + self._budget, time.perf_counter() + self._wall
            cursor = connection.execute(sql, parameters)
            try:
                return cursor.fetchall()
            finally:
                cursor.close()
        except sqlite3.Error as e:
            # the thread runs it again: a real error is raised there, as any statement's is
            over = (
                isinstance(e, sqlite3.OperationalError)
                and getattr(e, "sqlite_errorcode", 0) == sqlite3.SQLITE_INTERRUPT
            )
            raise GaveWay(over_budget=over) from e

    def close(self) -> None:
        """Close this thread's connection (others close when their thread's storage goes)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            self._local.connection = None
            connection.close()

    def _connection(self) -> tuple[sqlite3.Connection, list[float]]:
        """This thread's connection and the deadlines its progress handler reads."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # the file is in WAL mode already (the engine's connections set it); this one only reads
            connection = sqlite3.connect(self._database, timeout=0, isolation_level=None)
            connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            connection.execute("PRAGMA query_only=1")
            deadlines = [0.0, 0.0]

            def over_budget() -> bool:
                return time.thread_time() > deadlines[0] or time.perf_counter() > deadlines[1]

            connection.set_progress_handler(over_budget, CHECK_EVERY)
            self._local.connection, self._local.deadlines = connection, deadlines
        return connection, self._local.deadlines
