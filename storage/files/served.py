"""The served copies of originals: rewritten once, kept on disk under a key of what made them.

A copy's key is the sha256 of the recipe's version, the original's blob address and the
XMP packet, so the same original with the same provenance is rewritten once, and any
change to one of them (a new recipe, another prompt writer's name) makes a new copy.
The originals stay as they were stored: their sha256 is their identity (content dedupe,
`assetBySha256`), and a change to what downloads carry must not rewrite the library.
Copies can be deleted at any time; the next download makes them again.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from domain.files.model import Original, PreparedFile
from storage.blobs.local import LocalBlobStore
from storage.files.jpeg import MAX_XMP_BYTES, rewrite_jpeg
from storage.files.png import rewrite_png
from storage.files.webp import rewrite_webp
from storage.files.xmp import xmp_packet

RECIPE = b"served-1"
"""Bump when a rewrite changes: every copy is then made again (the keys, and so the ETags, change)."""

_REWRITERS: dict[str, Callable[[bytes, bytes | None], bytes]] = {
    "image/jpeg": rewrite_jpeg,
    "image/png": rewrite_png,
    "image/webp": rewrite_webp,
}


class ServedCopies:
    """A FilePreparer over the local blob store: copies under `<root>/<ab>/<cd>/<key>`."""

    def __init__(self, blobs: LocalBlobStore, root: Path) -> None:
        self._blobs = blobs
        self._root = root

    async def prepare(self, original: Original) -> PreparedFile:
        """The served copy of an original, made now if it is not there yet."""
        return await asyncio.to_thread(self._prepare, original)

    def _prepare(self, original: Original) -> PreparedFile:
        rewrite = _REWRITERS.get(original.mime_type)
        if rewrite is None:  # only these three are ever stored; serve nothing we cannot clean
            raise FileNotFoundError(original.mime_type)
        source = self._blobs.path(original.area, original.blob_key)
        limit = MAX_XMP_BYTES if original.mime_type == "image/jpeg" else None
        xmp = None if original.provenance is None else xmp_packet(original.provenance, max_bytes=limit)
        key = hashlib.sha256(
            b"\0".join([RECIPE, original.area.encode(), original.blob_key.encode(), xmp or b""])
        )
        tag = key.hexdigest()
        target = self._root / tag[:2] / tag[2:4] / tag
        source.stat()  # FileNotFoundError when the blob is gone, copy or not
        try:
            os.utime(target)  # served now: the sweep keeps copies that are still downloaded
            return PreparedFile(str(target), target.stat().st_size, tag)
        except FileNotFoundError:
            pass
        data = rewrite(source.read_bytes(), xmp)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())  # a crash must not leave a torn copy under a real key
            os.replace(tmp, target)  # two first downloads at once write the same bytes: either wins
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return PreparedFile(str(target), len(data), tag)

    async def stored(self, area: str, blob_key: str) -> PreparedFile:
        """The blob itself: served from where the store keeps it, never copied."""
        path = self._blobs.path(area, blob_key)
        size = (await asyncio.to_thread(path.stat)).st_size  # FileNotFoundError when the blob is gone
        return PreparedFile(str(path), size, blob_key)

    async def sweep(self, *, untouched_for: timedelta, limit: int) -> int:
        """Delete copies (and crashed writes' leftovers) not served for that long; at most `limit`."""

        def walk() -> int:
            cutoff = time.time() - untouched_for.total_seconds()
            deleted = 0
            if not self._root.is_dir():
                return 0
            for path in self._root.glob("*/*/*"):
                if deleted >= limit:
                    break
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        deleted += 1
                except FileNotFoundError:  # another worker's sweep got there first
                    continue
            return deleted

        return await asyncio.to_thread(walk)
