"""The outside-world ports every feature may use: the clock and the blob store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from domain.kernel.media import SpooledFile, StoredBlob


class BlobStore(Protocol):
    """Content-addressed bytes in areas: `scratch` for generations, `library` for assets."""

    async def put(self, area: str, data: bytes) -> StoredBlob:
        """Store bytes durably under their sha256; the same bytes again are one blob, stored again now."""
        ...

    async def adopt(self, area: str, file: SpooledFile) -> StoredBlob:
        """Move a spooled file into the store under its sha256 (no copy)."""
        ...

    async def read(self, area: str, key: str) -> bytes:
        """The blob's bytes; FileNotFoundError when the area holds no such key."""
        ...

    async def stale_keys(
        self, area: str, *, untouched_for: timedelta, limit: int, from_key: str = ""
    ) -> Sequence[str]:
        """Keys of blobs not stored (or stored again) for that long: the candidates of the orphan sweep.

        In key order from `from_key` on, wrapping around to the first key: a sweep bounded by `limit`
        that starts somewhere else each run reaches every blob, not only the first ones (most stale
        blobs are in use, and a sweep always starting at the first would never get past them)."""
        ...

    async def copy(self, from_area: str, to_area: str, keys: Sequence[str]) -> None:
        """Make blobs of one area available in another (cheaply: the bytes never change)."""
        ...

    async def delete(self, area: str, key: str, *, unless_stored_within: timedelta | None = None) -> bool:
        """Delete a blob (unless it was stored, or stored again, within the given time); True if deleted."""
        ...


class Clock(Protocol):
    """The current time, replaceable in tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...
