"""A server's stop within a bound: background tasks cancelled, then adapters closed, each step named.

A step that does not finish in time is logged (which one) and given up (a task left running, a
close cancelled), so a stop takes at most `STOP_SECONDS` and the log says what held it. A
server that hangs on its way out cannot be restarted by its supervisor until it is killed,
and tells nobody why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence

log = logging.getLogger("atelier.shutdown")

STOP_SECONDS = 6.0
"""The whole stop's bound: tasks and closes share it (uvicorn's supervisor, and tests, wait 10 s)."""


class Stopping:
    """The steps of one stop, sharing its deadline."""

    def __init__(self, within: float = STOP_SECONDS) -> None:
        self._deadline = time.monotonic() + within

    async def cancel(self, tasks: Sequence[asyncio.Task[object] | None]) -> None:
        """Cancel the tasks and wait for them all together, naming any still running at the deadline
        and any that had failed before (their error would otherwise go unseen)."""
        running = [task for task in tasks if task is not None]
        for task in running:
            task.cancel()
        if not running:
            return
        done, pending = await asyncio.wait(running, timeout=self._left())
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("shutdown: task %s had failed", task.get_name(), exc_info=task.exception())
        for task in pending:
            log.error("shutdown: task %s did not stop when cancelled; leaving it", task.get_name())

    async def close(self, name: str, closing: Awaitable[object]) -> None:
        """Await one close; one past the deadline is cancelled and named, one that fails is logged,
        and the stop goes on to the next either way."""
        try:
            async with asyncio.timeout(self._left()):
                await closing
        except TimeoutError:
            log.error("shutdown: %s did not close in time; cancelled", name)
        except Exception:
            log.exception("shutdown: closing %s failed", name)

    def _left(self) -> float:
        return max(0.05, self._deadline - time.monotonic())
