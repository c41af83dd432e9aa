"""The leased-work loop claims at its low-water mark: several items a claim, never past its limit."""

from __future__ import annotations

import asyncio

import pytest

from domain.kernel.leased_work import serve_leased


class Queue:
    """Items due in a queue; each runs until the test lets it finish."""

    def __init__(self, items: int) -> None:
        self.due = list(range(items))
        self.claims: list[tuple[int, int]] = []  # (asked for, running when asked)
        self.running: dict[int, asyncio.Event] = {}
        self.most_at_once = 0

    async def claim(self, limit: int) -> list[int]:
        self.claims.append((limit, len(self.running)))
        taken, self.due = self.due[:limit], self.due[limit:]
        return taken

    async def run(self, item: int) -> None:
        done = self.running[item] = asyncio.Event()
        self.most_at_once = max(self.most_at_once, len(self.running))
        await done.wait()
        del self.running[item]

    async def finish_one(self) -> None:
        for _ in range(100):
            if self.running:
                break
            await asyncio.sleep(0)
        next(iter(self.running.values())).set()
        for _ in range(20):
            await asyncio.sleep(0)

    async def release(self, items: list[int]) -> None:
        pass


async def serving(queue: Queue, refill_at: int | None) -> asyncio.Task[None]:
    task = asyncio.create_task(
        serve_leased(
            what="items",
            claim=queue.claim,
            run=queue.run,
            release=queue.release,
            limit=4,
            poll_seconds=0.01,
            name=str,
            refill_at=refill_at,
        )
    )
    for _ in range(20):
        await asyncio.sleep(0)
    return task


@pytest.mark.parametrize(("refill_at", "claimed"), [(2, [4, 2, 2, 2]), (None, [4, 1, 1, 1, 1, 1, 1])])
async def test_it_claims_when_running_falls_to_the_mark(refill_at, claimed):
    queue = Queue(items=10)
    task = await serving(queue, refill_at)
    try:
        for _ in range(6):
            await queue.finish_one()
        asked = [limit for limit, _ in queue.claims if limit]
        assert asked[: len(claimed)] == claimed
        assert queue.most_at_once <= 4
        mark = 3 if refill_at is None else refill_at
        assert all(running <= mark for _, running in queue.claims)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_every_item_is_run_once_with_a_mark():
    queue = Queue(items=9)
    task = await serving(queue, 2)
    try:
        for _ in range(9):
            await queue.finish_one()
        assert not queue.due and not queue.running
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
