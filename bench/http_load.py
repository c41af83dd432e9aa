"""Load over HTTP for the benchmarks: checked requests, and timed requests from N keep-alive clients."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bench.fresh_database import BenchError


def percentile_95(samples: Sequence[float]) -> float:
    """The 95th percentile (inclusive method; the one sample when there is one)."""
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


@dataclass(frozen=True)
class Result:
    """Timed requests to one server at one concurrency."""

    target: str
    concurrency: int
    latencies_ms: list[float]
    seconds: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        return percentile_95(self.latencies_ms)

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def line(self) -> str:
        return (
            f"{self.target:<8} c={self.concurrency:<2}  median {self.median_ms:7.2f} ms"
            f"  p95 {self.p95_ms:7.2f} ms  {self.per_second:7.0f} req/s"
        )


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def graphql_body(
    query: str, operation: str | None = None, variables: Mapping[str, Any] | None = None
) -> bytes:
    return orjson.dumps({"query": query, "operationName": operation, "variables": dict(variables or {})})


async def fetch(name: str, url: str, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """One request, checked: HTTP 200 and no GraphQL errors; the decoded answer."""
    async with httpx.AsyncClient(timeout=60.0) as client:
        response = await client.post(url, content=body, headers=dict(headers))
    answer: dict[str, Any] = response.json() if response.content else {}
    if response.status_code != 200:
        raise BenchError(f"{name} answered HTTP {response.status_code}: {response.text[:500]}")
    if answer.get("errors"):
        raise BenchError(f"{name} answered with errors: {orjson.dumps(answer['errors']).decode()[:500]}")
    return answer


async def run_requests(
    clients: Sequence[httpx.AsyncClient], name: str, url: str, body: bytes, total: int
) -> tuple[list[float], float]:
    """`total` requests shared by one worker per client; (latencies in ms, wall seconds)."""
    remaining = total
    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = time.perf_counter()
            response = await client.post(url, content=body)
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or b'"errors"' in response.content:
                raise BenchError(f"{name} failed under load: HTTP {response.status_code}")

    began = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for client in clients:
            group.create_task(worker(client))
    return latencies, time.perf_counter() - began


async def measure(
    name: str,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    concurrency: int,
    requests: int,
    warmup: int,
) -> Result:
    """Warm up, then time `requests` requests from `concurrency` keep-alive clients."""
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(headers=dict(headers), timeout=60.0))
            for _ in range(concurrency)
        ]
        await run_requests(clients, name, url, body, max(warmup, concurrency))
        latencies, seconds = await run_requests(clients, name, url, body, requests)
    return Result(name, concurrency, latencies, seconds)
