"""Both answer stores of the response cache keep the same promises: the memory one and Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from storage.answers.memory import MemoryAnswers
from storage.answers.redis import PREFIX, RedisAnswers

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
async def store(request) -> AsyncIterator[MemoryAnswers | RedisAnswers]:
    if request.param == "memory":
        yield MemoryAnswers(capacity=100, max_bytes=1_000_000)
        return
    answers = RedisAnswers.connect(REDIS_URL, ttl_seconds=60)
    yield answers
    await answers.close()


def key() -> str:
    return secrets.token_hex(32)


async def test_an_answer_put_is_got_back_byte_for_byte(store):
    k, answer = key(), b'{"cost":3}\n{"folders":{"totalCount":1}}'
    assert await store.get(k) is None
    await store.put(k, answer)
    assert await store.get(k) == answer


async def test_a_put_replaces_the_answer_under_its_key(store):
    k = key()
    await store.put(k, b"one")
    await store.put(k, b"two")
    assert await store.get(k) == b"two"


async def test_the_memory_store_drops_the_least_recently_used_past_its_bounds():
    store = MemoryAnswers(capacity=3, max_bytes=1_000_000)
    keys = [key() for _ in range(4)]
    for k in keys[:3]:
        await store.put(k, b"x")
    await store.get(keys[0])  # used: the second one is now the oldest
    await store.put(keys[3], b"x")
    assert [await store.get(k) is not None for k in keys] == [True, False, True, True]

    by_bytes = MemoryAnswers(capacity=100, max_bytes=1_000_000)
    for _ in range(5):
        await by_bytes.put(key(), b"x" * 240_000)
    assert len(by_bytes) == 4  # 960,000 bytes kept of 1,200,000
    await by_bytes.put(key(), b"x" * 300_000)  # over a quarter of the store: not kept
    assert len(by_bytes) == 4


async def test_redis_answers_expire():
    store = RedisAnswers.connect(REDIS_URL, ttl_seconds=60)
    k = key()
    try:
        await store.put(k, b"x")
        redis = Redis.from_url(REDIS_URL)
        assert 0 < await redis.ttl(PREFIX + k) <= 60  # no namespace given
        await redis.aclose()
    finally:
        await store.close()


async def test_redis_down_is_a_miss_and_a_dropped_put_not_an_error(caplog):
    store = RedisAnswers.connect("redis://127.0.0.1:1/0", ttl_seconds=60)  # nothing listens there
    try:
        await store.put(key(), b"x")
        assert await store.get(key()) is None
    finally:
        await store.close()
    warnings = [r for r in caplog.records if r.name == "atelier.cache"]
    assert len(warnings) == 1 and "Traceback" not in warnings[0].getMessage()
