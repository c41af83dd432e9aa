"""Counting the SQL statements a request sends (transaction control excluded)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.events.log import VERSION_READ
from storage.sql.direct_reads import watch_statements


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, *args: Any
    ) -> None:
        if conn.get_execution_options().get("atelier_background"):
            return  # the event relay's polling, not the request's work
        if context is not None and context.execution_options.get(VERSION_READ):
            return  # the response cache's read, the same for every page (tests/graph/cache count it)
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    def direct(statement: str, options: Any) -> None:  # storage.sql.direct_reads: below the events
        if not options.get(VERSION_READ):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)
    try:
        with watch_statements(engine, direct):
            yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before_cursor_execute)
