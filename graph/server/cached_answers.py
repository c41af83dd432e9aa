"""The response cache at the HTTP edge: the key of a request's answer, the answer as stored and as
sent again, and the headers that let a browser revalidate (ETag, 304) or ask past the cache."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from strawberry.types import ExecutionResult

from graph.context import Context, Ports
from graph.server.response_cache import CacheKey, ResponseCache
from graph.server.response_cache import Request as CachedRequest

CACHE_HEADER = "atelier-cache"
"""`hit` or `miss` on answers the response cache may hold; absent on those it may not."""


class NotModified(Exception):
    """A GET whose `If-None-Match` names the answer it would get: 304, nothing executed."""

    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


async def key_of(
    cache: ResponseCache | None, ports: Ports, method: str, request_data: Any, context: Context
) -> CacheKey | None:
    """The answer's key when the response cache may hold it; None to execute as usual.
    The data version is read before the query runs, so the answer shows at least that much."""
    query = request_data.query
    if cache is None or not isinstance(query, str) or method not in ("GET", "POST"):
        return None
    if not cache.cacheable(query, request_data.operation_name, request_data.variables):
        return None
    version = await ports.services.events.data_version(context.actor)
    if version is None:  # committed events still wait for cursors: answer afresh, keep nothing
        return None
    return cache.key(
        CachedRequest(
            document=query,
            operation_name=request_data.operation_name,
            variables=request_data.variables,
            actor=context.actor,
            base_url=str(context.request.base_url),
            link_window=ports.links.window(ports.services.files.clock.now()),
        ),
        version,
    )


def asks_past_the_cache(request: Request) -> bool:
    """`Cache-Control: no-cache` (or `no-store`): the answer is made afresh, and kept."""
    directives = request.headers.get("cache-control", "").lower()
    return "no-cache" in directives or "no-store" in directives


def revalidation_headers(etag: str) -> dict[str, str]:
    # private: the answer is one member's; no-cache: a browser asks again, and gets 304 if unchanged
    return {"etag": etag, "cache-control": "private, no-cache", "vary": "Authorization"}


def stored(result: ExecutionResult) -> bytes:
    """The answer as the cache keeps it: its extensions (small) on the first line, then its data."""
    return orjson.dumps(result.extensions or {}) + b"\n" + orjson.dumps(result.data)


def answer_of(stored: bytes) -> ExecutionResult:
    # the data goes out as the bytes it was stored as: orjson splices a Fragment without decoding it
    extensions, data = stored.split(b"\n", 1)
    spliced: Any = orjson.Fragment(data)
    return ExecutionResult(data=spliced, errors=None, extensions=orjson.loads(extensions) or None)
