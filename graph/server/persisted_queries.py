"""Persisted queries: Apollo's automatic protocol, and an optional allow-list for production.

A client sends `extensions.persistedQuery {version: 1, sha256Hash}` without the document;
on a miss it is told `PERSISTED_QUERY_NOT_FOUND` and sends the document once with its hash,
which is checked and kept. With an allow-list (`ATELIER_PERSISTED_QUERIES_FILE`) only the
listed documents run, by hash or in full, and nothing new is kept. A document known by its
hash reaches strawberry as the same string every time, so its parse and validation come
from their caches.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_HASH = re.compile(r"[0-9a-f]{64}")


class PersistedQueryRefused(Exception):
    """A persisted-query request that cannot run; answered in the API's one error shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class PersistedQueries:
    """The documents known by hash: an LRU of those clients registered, or a fixed allow-list."""

    def __init__(
        self,
        *,
        capacity: int = 5_000,
        max_bytes: int = 50_000_000,
        allow_list: Mapping[str, str] | None = None,
    ) -> None:
        self._known: OrderedDict[str, str] = OrderedDict()
        self._capacity, self._max_bytes, self._bytes = capacity, max_bytes, 0
        self._allow_list = dict(allow_list) if allow_list is not None else None

    def resolve(self, request: dict[str, Any]) -> None:
        """Fill in the document of a request that names one by hash; check and keep one sent in full."""
        extensions = request.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        query = request.get("query")
        if persisted is None:
            if (
                self._allow_list is not None
                and isinstance(query, str)
                and _sha256(query) not in self._allow_list
            ):
                raise _not_allowed()
            return
        digest = _checked_hash(persisted)
        if query is None:
            known = self._lookup(digest)
            if known is None:
                # Apollo's clients look for this message and code, then send the document once
                raise PersistedQueryRefused(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            request["query"] = known
            return
        if not isinstance(query, str) or _sha256(query) != digest:
            raise PersistedQueryRefused(400, "BAD_REQUEST", "provided sha256Hash does not match the query")
        if self._allow_list is not None:
            if digest not in self._allow_list:
                raise _not_allowed()
            return
        self._keep(digest, query)

    def _lookup(self, digest: str) -> str | None:
        if self._allow_list is not None:
            return self._allow_list.get(digest)
        query = self._known.get(digest)
        if query is not None:
            self._known.move_to_end(digest)
        return query

    def _keep(self, digest: str, query: str) -> None:
        if digest in self._known:
            self._known.move_to_end(digest)
            return
        self._known[digest] = query
        self._bytes += len(query)
        while len(self._known) > self._capacity or self._bytes > self._max_bytes:
            _, evicted = self._known.popitem(last=False)
            self._bytes -= len(evicted)

    def __len__(self) -> int:
        return len(self._allow_list) if self._allow_list is not None else len(self._known)


def _not_allowed() -> PersistedQueryRefused:
    return PersistedQueryRefused(
        400,
        "PERSISTED_QUERY_NOT_ALLOWED",
        "this server runs only the documents registered in its ATELIER_PERSISTED_QUERIES_FILE",
    )


def _sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def _checked_hash(persisted: object) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryRefused(400, "BAD_REQUEST", "unsupported persistedQuery: send version 1")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise PersistedQueryRefused(
            400, "BAD_REQUEST", "persistedQuery.sha256Hash must be 64 lowercase hex digits"
        )
    return digest


def load_allow_list(path: Path) -> dict[str, str]:
    """The registered documents of a manifest: Apollo's `apollo-persisted-query-manifest` (its
    `operations` of `{id, body}`) or a plain JSON object of hash to document. Each hash is checked."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"cannot read the persisted-query manifest {path}: {e}") from None
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        pairs = [(op.get("id"), op.get("body")) for op in data["operations"] if isinstance(op, dict)]
    elif isinstance(data, dict):
        pairs = list(data.items())
    else:
        raise ValueError(f"{path}: expected a manifest with `operations`, or an object of hash to document")
    documents: dict[str, str] = {}
    for digest, body in pairs:
        if not isinstance(body, str) or not isinstance(digest, str) or _sha256(body) != digest:
            raise ValueError(f"{path}: the entry {digest!r} is not the sha256 of its document")
        documents[digest] = body
    return documents
