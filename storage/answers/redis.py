"""Answers in a Redis shared by every process, each expiring on its own.

The cache is an optimisation: when Redis fails, a get is a miss and a put is dropped, logged
once per failure kind, and the request is answered from the database as usual.
"""

from __future__ import annotations

import hashlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("atelier.cache")

PREFIX = "atelier:answer:"


class RedisAnswers:
    """AnswerStore over Redis: `SET key answer EX ttl`."""

    def __init__(
        self, redis: Redis, *, ttl_seconds: int, namespace: str = "", max_answer_bytes: int = 4_000_000
    ) -> None:
        self._redis, self._ttl, self._max = redis, ttl_seconds, max_answer_bytes
        self._prefix = PREFIX + (f"{namespace}:" if namespace else "")
        self._failing: str | None = None

    @classmethod
    def connect(cls, url: str, *, ttl_seconds: int, database_url: str = "") -> RedisAnswers:
        """A store on the Redis at `url`. Answers are kept apart per database: two deployments
        sharing one Redis have the same organisation ids and versions, not the same data."""
        # a cache that answers slowly is worse than none: short timeouts, then a miss
        redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        namespace = hashlib.sha256(database_url.encode()).hexdigest()[:16] if database_url else ""
        return cls(redis, ttl_seconds=ttl_seconds, namespace=namespace)

    async def get(self, key: str) -> bytes | None:
        try:
            answer = await self._redis.get(self._prefix + key)
        except RedisError as e:
            self._failed(e)
            return None
        self._failing = None
        return answer if isinstance(answer, bytes) else None

    async def put(self, key: str, answer: bytes) -> None:
        if len(answer) > self._max:
            return
        try:
            await self._redis.set(self._prefix + key, answer, ex=self._ttl)
        except RedisError as e:
            self._failed(e)

    async def close(self) -> None:
        await self._redis.aclose()

    def _failed(self, error: RedisError) -> None:
        kind = type(error).__name__
        if kind != self._failing:
            log.warning("response cache: Redis failed (%s); answering from the database", kind)
            self._failing = kind
