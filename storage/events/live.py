"""The live feed in one process: a relay that tails the log and hands each event to listeners.

One task per process follows the log by cursor (after running the sequencer, which on
PostgreSQL numbers newly committed rows) and pushes each event to the listeners of its
organisation. A commit in this process pokes it; commits elsewhere (another process, the
CLI) are seen at the next poll. Every listener has a bounded buffer: one that falls behind
loses its buffer and is told so, and its stream reads the log from its last cursor instead,
so a slow subscriber costs memory up to the bound and never loses an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence

from domain.events.model import EventQuery, LoggedEvent
from domain.events.ports import EventLogMaintenance, EventLogReads

log = logging.getLogger("atelier.events")

READ_BATCH = 1_000


class BufferedListener:
    """A listener with a bounded buffer (Listener)."""

    def __init__(self, relay: EventRelay, org_id: int, start: int, capacity: int) -> None:
        self.start = start
        self.org_id = org_id
        self._relay = relay
        self._capacity = capacity
        self._buffer: deque[LoggedEvent] = deque()
        self._lagged = False
        self._ready = asyncio.Event()

    def push(self, event: LoggedEvent) -> None:
        if len(self._buffer) >= self._capacity:
            self._buffer.clear()  # the stream catches up from the log instead
            self._lagged = True
        else:
            self._buffer.append(event)
        self._ready.set()

    async def next(self) -> LoggedEvent | None:
        while not self._buffer and not self._lagged:
            self._ready.clear()
            await self._ready.wait()
        if self._lagged:
            self._lagged = False
            return None
        return self._buffer.popleft()

    def close(self) -> None:
        self._relay.forget(self)
        self._buffer.clear()


class EventRelay:
    """LiveEvents in one process: tails the log and fans each event out to its organisation's listeners."""

    def __init__(
        self,
        reads: EventLogReads,
        maintenance: EventLogMaintenance,
        *,
        poll_seconds: float = 0.25,
        buffer: int = 10_000,
    ) -> None:
        self._reads = reads
        self._maintenance = maintenance
        self._poll = poll_seconds
        self._capacity = buffer
        self._listeners: dict[int, set[BufferedListener]] = {}
        self._poked = asyncio.Event()
        self._running = False
        self.position: int | None = None
        """The cursor of the last event handed to listeners; None until the relay starts."""

    def listen(self, org_id: int) -> BufferedListener:
        if self.position is None:
            raise RuntimeError("the event relay has not started (the app's lifespan starts it)")
        listener = BufferedListener(self, org_id, self.position, self._capacity)
        self._listeners.setdefault(org_id, set()).add(listener)
        return listener

    def forget(self, listener: BufferedListener) -> None:
        listeners = self._listeners.get(listener.org_id)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del self._listeners[listener.org_id]

    @property
    def listener_count(self) -> int:
        """Listeners open in this process (a leak test counts them)."""
        return sum(len(s) for s in self._listeners.values())

    def poke(self) -> None:
        self._poked.set()

    async def start(self) -> None:
        """Begin at the log's head: listeners made from now on get every later event."""
        if self.position is None:
            self.position = await self._reads.head()

    async def run(self) -> None:
        """Follow the log until cancelled; a failed round is logged and retried at the next poll.

        One loop per relay: a second call (a second app over the same adapters) returns at once."""
        if self._running:
            return
        self._running = True
        try:
            await self._follow()
        finally:
            self._running = False

    async def _follow(self) -> None:
        await self.start()
        while True:
            try:
                while await self.step() >= READ_BATCH:
                    pass  # a full batch: more may be waiting
            except Exception:
                log.exception("event relay round failed; retrying")
            # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation that
            # lands as a poke arrives, and a stopping server then waits out a whole poll
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll):
                    await self._poked.wait()
            self._poked.clear()

    async def step(self) -> int:
        """Sequence what was committed, then hand out what follows the position; the number handed out."""
        await self._maintenance.sequence()
        assert self.position is not None
        batch = await self._reads.read(None, EventQuery(after=self.position), limit=READ_BATCH)
        self.publish(batch)
        return len(batch)

    def publish(self, batch: Sequence[LoggedEvent]) -> None:
        """Hand events, in cursor order, to the listeners of their organisations."""
        for event in batch:
            for listener in tuple(self._listeners.get(event.org_id, ())):
                listener.push(event)
            self.position = event.seq
