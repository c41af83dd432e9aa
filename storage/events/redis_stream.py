"""The live feed across processes: the sequenced log copied to one Redis stream, read by every process.

Every process publishes: after running the sequencer it reads the log past the stream's last
id and adds each event under the explicit id `<seq>-0`. Redis refuses an id not above the
stream's last one, so when two processes publish the same events each lands once, and the
stream's ids stay the log's cursors, consecutive. The stream's last id is the publishers'
memory: a process that crashed, or a stream that fell behind while no server ran, resumes
from it. Every process's relay then reads the stream with a blocking XREAD from its position
instead of polling the database; seq is consecutive, so a hole in the ids (entries trimmed
by MAXLEN, a Redis that lost its data) is noticed and filled from the database. Plain pub/sub
would drop what a reader missed while it was disconnected; a stream keeps it by id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from domain.events.model import EventQuery, LoggedEvent
from domain.events.ports import EventLogMaintenance, EventLogReads
from storage.events.live import READ_BATCH, EventRelay

log = logging.getLogger("atelier.events")

BLOCK_MS = 5_000
"""How long one XREAD waits for new entries before it asks again (a cancelled relay stops at once)."""


def connect_redis(url: str) -> Redis:
    """A client whose reads outwait a blocking XREAD (redis-py 8 gives up on a socket after 5 s)."""
    return Redis.from_url(url, socket_timeout=BLOCK_MS / 1000 + 10, socket_connect_timeout=5)


def encode(event: LoggedEvent) -> bytes:
    """The stream entry's one field: the whole event, so readers need not ask the database."""
    return orjson.dumps(
        {
            "seq": event.seq,
            "org": event.org_id,
            "type": event.type,
            "v": event.version,
            "st": event.subject_type,
            "sid": event.subject_id,
            "actor": event.actor_id,
            "p": event.payload,
            "at": event.occurred_at.isoformat(),
        }
    )


def decode(data: bytes) -> LoggedEvent:
    """An entry's event, as `encode` wrote it."""
    d = orjson.loads(data)
    return LoggedEvent(
        seq=d["seq"],
        org_id=d["org"],
        type=d["type"],
        version=d["v"],
        subject_type=d["st"],
        subject_id=d["sid"],
        actor_id=d["actor"],
        payload=d["p"],
        occurred_at=datetime.fromisoformat(d["at"]),
    )


def seq_of(entry_id: bytes | str) -> int:
    """The cursor an entry id `<seq>-0` stands for."""
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    return int(text.partition("-")[0])


def _reraise_cancellation() -> None:
    """redis-py may turn a cancelled read into a connection error: a stopping relay must still stop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class StreamPublisher:
    """Copies the sequenced log to the stream in cursor order, each event once whoever else publishes."""

    def __init__(
        self,
        redis: Redis,
        stream: str,
        reads: EventLogReads,
        maintenance: EventLogMaintenance,
        *,
        maxlen: int,
    ) -> None:
        self._redis = redis
        self._stream = stream
        self._reads = reads
        self._maintenance = maintenance
        self._maxlen = maxlen
        self.position: int | None = None
        """The last cursor known to be in the stream; None until the first step asks Redis."""
        self.origin: int | None = None
        """Where a new stream begins: the relay's start, so events committed as it starts are not skipped."""

    async def last_id(self) -> int | None:
        """The cursor of the stream's last entry ever added (trimming keeps it); None: no stream yet."""
        try:
            info = await self._redis.xinfo_stream(self._stream)
        except ResponseError:  # "no such key"
            return None
        return seq_of(info["last-generated-id"])

    async def step(self) -> int:
        """Sequence, then publish what follows the stream's end; the number of events read from the log."""
        await self._maintenance.sequence()
        if self.position is None:
            last = await self.last_id()
            if last is None:  # a new stream starts where this process began: the past is in the log
                last = self.origin if self.origin is not None else await self._reads.head()
            self.position = last
        batch = await self._reads.read(None, EventQuery(after=self.position), limit=READ_BATCH)
        if batch:
            await self._add(batch)
        return len(batch)

    async def _add(self, batch: Sequence[LoggedEvent]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for event in batch:
            pipe.xadd(
                self._stream,
                {"e": encode(event)},
                id=f"{event.seq}-0",
                maxlen=self._maxlen,
                approximate=True,
            )
        results = await pipe.execute(raise_on_error=False)
        refused = False
        for result in results:
            if isinstance(result, ResponseError) and "equal or smaller" in str(result):
                refused = True  # another process published it first
            elif isinstance(result, Exception):
                raise result
        self.position = batch[-1].seq
        if refused:  # another publisher is ahead: skip what it has published already
            self.position = max(self.position, await self.last_id() or 0)


class StreamRelay(EventRelay):
    """LiveEvents across processes: publishes the log to the Redis stream and fans the stream out here."""

    def __init__(
        self,
        redis: Redis,
        stream: str,
        reads: EventLogReads,
        maintenance: EventLogMaintenance,
        *,
        maxlen: int,
        poll_seconds: float = 0.25,
        buffer: int = 10_000,
    ) -> None:
        super().__init__(reads, maintenance, poll_seconds=poll_seconds, buffer=buffer)
        self._redis = redis
        self._stream = stream
        self.publisher = StreamPublisher(redis, stream, reads, maintenance, maxlen=maxlen)

    @classmethod
    def connect(
        cls, url: str, stream: str, reads: EventLogReads, maintenance: EventLogMaintenance, **options: object
    ) -> StreamRelay:
        """A relay over the Redis at `url` (connections are made when first used)."""
        return cls(connect_redis(url), stream, reads, maintenance, **options)  # type: ignore[arg-type]

    async def start(self) -> None:
        await super().start()
        if self.publisher.origin is None:
            self.publisher.origin = self.position

    async def _follow(self) -> None:
        """Publish and read until cancelled; then close the Redis connections."""
        await self.start()
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._publish_loop(), name="event-stream-publisher")
                group.create_task(self._read_loop(), name="event-stream-reader")
        finally:
            await self._redis.aclose()

    async def _publish_loop(self) -> None:
        # a local commit pokes (the unit of work's hook): publish now; others' commits at the next poll
        while True:
            try:
                while await self.publisher.step() >= READ_BATCH:
                    pass
            except Exception:
                _reraise_cancellation()
                log.exception("event stream publisher round failed; retrying")
                self.publisher.position = None  # ask Redis where the stream is again
            # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation that
            # lands as a poke arrives, and a stopping server then waits out a whole poll
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll):
                    await self._poked.wait()
            self._poked.clear()

    async def _read_loop(self) -> None:
        while True:
            try:
                await self.read_once(block_ms=BLOCK_MS)
            except (RedisError, OSError):
                _reraise_cancellation()
                log.warning("event stream read failed; retrying", exc_info=True)
                await asyncio.sleep(self._poll)

    async def read_once(self, *, block_ms: int | None) -> int:
        """Hand out the entries after the position (waiting up to `block_ms` for some); the number."""
        assert self.position is not None
        answer: Any = await self._redis.xread(
            {self._stream: f"{self.position}-0"}, count=READ_BATCH, block=block_ms
        )
        handed = 0
        for _stream, entries in answer or ():
            for entry_id, fields in entries:
                seq = seq_of(entry_id)
                if seq <= self.position:
                    continue
                if seq > self.position + 1:
                    handed += await self._fill(until=seq)
                self.publish([decode(fields[b"e"])])
                handed += 1
        return handed

    async def _fill(self, *, until: int) -> int:
        """Events before `until` the stream no longer holds (trimmed, or lost with Redis), from the log."""
        assert self.position is not None
        filled = 0
        while self.position < until - 1:
            batch = await self._reads.read(
                None, EventQuery(after=self.position), limit=min(READ_BATCH, until - 1 - self.position)
            )
            batch = [e for e in batch if e.seq < until]
            if not batch:  # pruned from the log too: nothing left to hand out
                log.warning(
                    "events %d-%d are in neither the stream nor the log", self.position + 1, until - 1
                )
                self.position = until - 1
                break
            self.publish(batch)
            filled += len(batch)
        return filled
