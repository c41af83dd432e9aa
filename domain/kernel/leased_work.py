"""The loop of a worker over leased work (processing jobs, webhook deliveries): claim, run, hand back.

Up to `limit` items run at once; it claims again once no more than `refill_at` are running
(by default as soon as one finishes) or more may be due, and sleeps when there is nothing.
Claiming at a low-water mark takes several items in one claim where claiming at every
finish would take them one at a time, a transaction each. When cancelled it cancels what is in flight and
hands those claims back at once, rather than when their leases pass (a deploy would
otherwise delay them by a lease). A failed claim (the database away) is logged and retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("atelier.work")


async def serve_leased(
    *,
    what: str,
    claim: Callable[[int], Awaitable[Sequence[T]]],
    run: Callable[[T], Coroutine[Any, Any, None]],
    release: Callable[[list[T]], Awaitable[None]],
    limit: int,
    poll_seconds: float,
    name: Callable[[T], str],
    refill_at: int | None = None,
) -> None:
    """Work until cancelled; `what` names the work in log lines (`processing jobs`)."""
    refill = limit - 1 if refill_at is None else min(refill_at, limit - 1)
    running: dict[asyncio.Task[None], T] = {}
    try:
        while True:
            claimed: Sequence[T] = []
            if len(running) <= refill:
                try:
                    claimed = await claim(limit - len(running))
                except Exception:  # the database is away: keep the worker alive, try again later
                    log.exception("claiming %s failed", what)
            for item in claimed:
                task = asyncio.create_task(run(item), name=name(item))
                running[task] = item
                task.add_done_callback(running.pop)
            if claimed and len(running) < limit:
                continue  # more may be due: claim again before sleeping
            if running:
                await asyncio.wait(running, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            else:
                await asyncio.sleep(poll_seconds)
    finally:
        stopped = dict(running)
        for task in stopped:
            task.cancel()
        await asyncio.gather(*stopped, return_exceptions=True)
        await asyncio.shield(_release(what, release, list(stopped.values())))


async def _release(what: str, release: Callable[[list[T]], Awaitable[None]], items: list[T]) -> None:
    if not items:
        return
    try:
        await release(items)
    except Exception:  # the database is away: the leases will pass
        log.exception("releasing %d %s failed", len(items), what)
