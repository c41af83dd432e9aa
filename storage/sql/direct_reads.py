"""Built-once reads on SQLite, run below SQLAlchemy's execution layer.

A read of `SqlReader` that binds its values (a statement of storage.sql.prepared, built once
per process) costs SQLAlchemy about 150 µs of the event loop beyond the statement itself: an
AsyncConnection and its greenlets, the execution context, events, the result's metadata. Here
such a statement is compiled once; each run binds its values with SQLAlchemy's own compiled
form (`construct_expanded_state`: defaults, `IN` lists, bind processors), takes a connection
from the engine's own pool, runs in one trip to the connection's thread
(storage.sql.sqlite_driver) and comes back as SQLAlchemy `Row`s through its result processors:
the same rows, types and errors as `Connection.execute`, in about half the time (README,
*The execution path*). Statements built for one call, and every statement on PostgreSQL, go
through SQLAlchemy as before.

A read runs on the event loop's own thread first, within a budget (storage.sql.inline_reads);
one that gives way runs on a connection of the engine's pool, on its thread, as above.

SQLAlchemy's statement events do not see these statements; `watch` does (tests count them).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine, IteratorResult, Result
from sqlalchemy.engine.base import OptionEngine
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

from storage.sql.inline_reads import GaveWay, InlineReads
from storage.sql.sqlite_driver import OneTripConnection

Watcher = Callable[[str, Mapping[str, Any]], None]
"""Told of each statement as it runs: its SQL and the statement's execution options."""

THREADED_RUNS = 64
"""Runs a statement makes on a thread after it went over the inline budget, before it tries again
(its values, or the data, may have made that one run long)."""

KEPT_STATEMENTS = 4096
"""Compiled statements kept per engine: far more than the built-once statements there are; a
caller passing statements built per call would only cost compiling them again."""


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement compiled for the engine's dialect, with what binding values and reading rows need."""

    compiled: SQLCompiler
    processors: Mapping[str, Callable[[Any], Any]]
    metadata: SimpleResultMetaData
    options: Mapping[str, Any]

    def bind(self, values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """The SQL and positional parameters for these values (`IN` lists expanded, values processed)."""
        # names as the compiled statement knows them (SQLAlchemy's execution context asks the same)
        state = self.compiled.construct_expanded_state(values, escape_names=False)
        processors = {**self.processors, **state.processors} if state.processors else self.processors
        parameters = state.parameters
        return state.statement, tuple(
            processors[name](parameters[name]) if name in processors else parameters[name]
            for name in state.positiontup or ()
        )


class DirectReads:
    """Runs an engine's built-once reads straight on its SQLite driver (see the module)."""

    def __init__(self, engine: Engine) -> None:
        # weakly: the registry below is keyed by the engine, and a strong reference here would
        # keep every engine (its pool, its file, its inline connections) for the process's life
        self._engine = weakref.ref(engine)
        self._dialect = engine.dialect
        # by id, each with its statement (so that the id stays its own); None: not one to run here
        self._compiled: dict[int, tuple[sa.Executable, _Compiled | None]] = {}
        self._threaded: dict[int, int] = {}  # statements over the inline budget: runs left on a thread
        self._watchers: list[Watcher] = []
        self._inline = _inline_reads(engine)
        # `dispose()` replaces the pool and may mean the file is replaced too: inline connections close
        event.listen(engine, "engine_disposed", self._disposed)

    async def result(self, statement: sa.Executable, values: Mapping[str, Any]) -> Result[Any] | None:
        """What `Connection.execute(statement, values)` would give, buffered; None for a statement
        whose rows this cannot give exactly as SQLAlchemy does (textual columns): run it there."""
        compiled = self._compile(statement)
        engine = self._engine()
        if compiled is None or engine is None:
            return None
        sql, parameters = compiled.bind(values)
        for watcher in self._watchers:
            watcher(sql, compiled.options)
        if self._inline is not None and not self._runs_threaded(id(statement)):
            try:
                return IteratorResult(compiled.metadata, iter(self._inline.rows(sql, parameters)))
            except GaveWay as gave_way:
                if gave_way.over_budget:
                    self._threaded[id(statement)] = THREADED_RUNS
        # the pool may open (or close) a connection, which the adapter awaits inside a greenlet
        record = await greenlet_spawn(engine.pool.connect)
        try:
            driver = record.driver_connection
            if not isinstance(driver, OneTripConnection):
                raise TypeError("direct reads need the connections of storage.sql.sqlite_driver")
            rows = await driver.run(sql, parameters)
        except sqlite3.Error as e:
            # SQLAlchemy's wrapping, as Connection.execute raises it; the values stay out of messages
            raise sa.exc.DBAPIError.instance(
                sql, parameters, e, sqlite3.Error, hide_parameters=True, dialect=self._dialect
            ) from e
        finally:
            # shielded, as SQLAlchemy's own AsyncConnection closes: a cancelled request still
            # hands its connection back
            await asyncio.shield(greenlet_spawn(record.close))
        return IteratorResult(compiled.metadata, iter(rows))

    def close(self) -> None:
        """Close the inline connections (the pool's are the engine's to close)."""
        if self._inline is not None:
            self._inline.close()

    def _disposed(self, engine: Engine) -> None:
        self.close()

    def _runs_threaded(self, key: int) -> bool:
        left = self._threaded.get(key)
        if left is None:
            return False
        if left <= 1:
            del self._threaded[key]
        else:
            self._threaded[key] = left - 1
        return True

    @contextmanager
    def watch(self, watcher: Watcher) -> Iterator[None]:
        """Tell `watcher` of every statement run here while the block runs."""
        self._watchers.append(watcher)
        try:
            yield
        finally:
            self._watchers.remove(watcher)

    def _compile(self, statement: sa.Executable) -> _Compiled | None:
        key = id(statement)
        known = self._compiled.get(key)
        if known is not None and known[0] is statement:
            return known[1]
        if len(self._compiled) >= KEPT_STATEMENTS:
            self._compiled.clear()
            self._threaded.clear()
        kept = _compiled(statement, self._dialect)
        self._compiled[key] = (statement, kept)
        return kept


def _compiled(statement: sa.Executable, dialect: Dialect) -> _Compiled | None:
    """The statement compiled with what binding and reading need; None when its rows' keys are not
    all known from the compiled statement (textual SQL or columns: SQLAlchemy reads them from the
    cursor's description)."""
    if not isinstance(statement, sa.ClauseElement) or isinstance(statement, sa.TextClause):
        return None
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    columns = compiled._result_columns  # SQLAlchemy's own record of the row's keys and types
    if compiled._textual_ordered_columns or any(not column.keyname for column in columns):
        return None
    processors = {
        name: processor
        for name, bind in compiled.binds.items()
        if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    readers = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
    # each key with the objects that name it too (its Column, its `key`), as SQLAlchemy's rows have
    metadata = SimpleResultMetaData(
        [column.keyname for column in columns],
        extra=[column.objects for column in columns],
        _processors=readers,
    )
    return _Compiled(compiled, processors, metadata, dict(statement.get_execution_options()))


def _inline_reads(engine: Engine) -> InlineReads | None:
    """Inline reads of the engine's database file; None for a database that is not a plain file.
    The path made absolute now, as SQLAlchemy's dialect makes it when the engine is created."""
    url = engine.url
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:") or url.query:
        return None
    return InlineReads(os.path.abspath(database))


_direct: weakref.WeakKeyDictionary[Engine, DirectReads] = weakref.WeakKeyDictionary()


def enable(engine: AsyncEngine) -> None:
    """Run the engine's built-once reads directly (storage.sql.database's SQLite engines, whose
    connections are storage.sql.sqlite_driver's)."""
    _direct[engine.sync_engine] = DirectReads(engine.sync_engine)


def direct_reads(engine: AsyncEngine) -> DirectReads | None:
    """The engine's direct reads (one per engine, shared by its readers); None for an engine not
    enabled (PostgreSQL, or one made elsewhere)."""
    root = engine.sync_engine
    while isinstance(root, OptionEngine):  # made by execution_options(): its parent's pool and events
        root = root._proxied
    return _direct.get(root)


def watch_statements(engine: AsyncEngine, watcher: Watcher) -> AbstractContextManager[None]:
    """`DirectReads.watch` for the engine's direct reads (nothing to watch on PostgreSQL)."""
    reads = direct_reads(engine)
    return nullcontext() if reads is None else reads.watch(watcher)
