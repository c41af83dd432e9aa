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

The progress handler runs between SQLite's virtual-machine steps, so a single step that does
much work (an unfiltered `count(*)` of a large table is one step, and so is a full-text
query's first search or a sort's) finishes before it can be interrupted. The statements run
here are the built-once reads of storage.sql.prepared: point reads, batches by id and pages,
each filtered row by row.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

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
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []  # every thread's, so that close() reaches them
        self._generation = 0  # moved by close(): a thread's connection from before opens again

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
        """Close every thread's connection; each thread opens a new one at its next read."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._generation += 1
        for connection in opened:
            connection.close()

    def _connection(self) -> tuple[sqlite3.Connection, list[float]]:
        """This thread's connection and the deadlines its progress handler reads."""
        local = self._local
        if getattr(local, "generation", None) == self._generation:
            return local.connection, local.deadlines
        # the file is in WAL mode already (the engine's connections set it); this one only reads,
        # and `mode=rw` opens the file that is there rather than create an empty one
        connection = sqlite3.connect(
            f"file:{quote(self._database)}?mode=rw",
            uri=True,
            timeout=0,
            isolation_level=None,
            check_same_thread=False,  # used by its own thread only; close() may come from another
        )
        connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        connection.execute("PRAGMA query_only=1")
        deadlines = [0.0, 0.0]

        def over_budget() -> bool:
            return time.thread_time() > deadlines[0] or time.perf_counter() > deadlines[1]

        connection.set_progress_handler(over_budget, CHECK_EVERY)
        with self._lock:
            self._opened.append(connection)
            local.generation = self._generation
        local.connection, local.deadlines = connection, deadlines
        return connection, deadlines
