"""A server's stop is bounded: a task that ignores its cancellation, or a close that hangs, is named and left."""

from __future__ import annotations

import asyncio
import logging
import time

from graph.server.shutdown import Stopping


async def stubborn() -> None:
    """Ignores its first cancellation (the bug a stop must survive); the second stops it."""
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(10)


async def test_tasks_that_stop_stop_and_the_rest_are_named_within_the_bound(caplog):
    polite = asyncio.create_task(asyncio.sleep(10), name="polite")
    stuck = asyncio.create_task(stubborn(), name="stuck")
    await asyncio.sleep(0)
    began = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="atelier.shutdown"):
        await Stopping(within=0.3).cancel([polite, None, stuck])
    assert time.monotonic() - began < 1.0
    assert polite.cancelled() and not stuck.done()
    assert [r.getMessage() for r in caplog.records] == [
        "shutdown: task stuck did not stop when cancelled; leaving it"
    ]
    stuck.cancel()  # the second cancellation stops it
    await asyncio.wait([stuck])


async def test_closes_share_the_deadline_and_a_hung_one_is_named(caplog):
    closed = []

    async def close(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        closed.append(name)

    stopping = Stopping(within=0.3)
    began = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="atelier.shutdown"):
        await stopping.close("quick", close("quick", 0))
        await stopping.close("hung", close("hung", 10))
        await stopping.close("late", close("late", 0.2))  # past the deadline: it gets a moment only
    assert time.monotonic() - began < 1.0
    assert closed == ["quick"]
    assert [r.getMessage() for r in caplog.records] == [
        "shutdown: hung did not close in time; cancelled",
        "shutdown: late did not close in time; cancelled",
    ]


async def test_a_task_that_had_failed_is_logged_and_a_failing_close_does_not_stop_the_rest(caplog):
    async def fails() -> None:
        raise RuntimeError("boom")

    failed = asyncio.create_task(fails(), name="failed")
    await asyncio.sleep(0)
    closed = []

    async def broken() -> None:
        raise OSError("socket gone")

    async def fine() -> None:
        closed.append("fine")

    stopping = Stopping(within=1)
    with caplog.at_level(logging.ERROR, logger="atelier.shutdown"):
        await stopping.cancel([failed])
        await stopping.close("broken", broken())
        await stopping.close("fine", fine())
    assert closed == ["fine"]
    assert [r.getMessage() for r in caplog.records] == [
        "shutdown: task failed had failed",
        "shutdown: closing broken failed",
    ]
