"""A content-addressed blob store on the local disk.

A blob's key is the sha256 of its bytes, so the same image stored twice is one
file. Writes go to a temporary file, are fsynced and renamed into place, so a
crash never leaves a half-written blob under a real key.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

from domain.kernel.media import SpooledFile, StoredBlob

AREAS = ("scratch", "library", "renditions")
_KEY = re.compile(r"^[0-9a-f]{64}$")


class LocalBlobStore:
    """Blobs under `<root>/<area>/<ab>/<cd>/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, area: str, key: str) -> Path:
        """The file of a blob; refuses unknown areas and anything but a sha256 key."""
        if area not in AREAS or not _KEY.match(key):
            raise ValueError("not a blob address")
        return self.root / area / key[:2] / key[2:4] / key

    async def put(self, area: str, data: bytes) -> StoredBlob:
        """Store bytes; storing the same bytes again is a no-op."""
        return await asyncio.to_thread(self._put, area, data)

    async def adopt(self, area: str, file: SpooledFile) -> StoredBlob:
        """Move a spooled file (already fsynced, hashed while it streamed) into place under its sha256."""

        def move() -> StoredBlob:
            target = self.path(area, file.sha256)
            if target.exists():
                os.utime(target)
                Path(file.path).unlink(missing_ok=True)
                return StoredBlob(file.sha256, file.size)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(file.path, target)  # same file system: the spool lives under the data folder
            _fsync_dir(target.parent)
            return StoredBlob(file.sha256, file.size)

        return await asyncio.to_thread(move)

    async def copy(self, from_area: str, to_area: str, keys: Sequence[str]) -> None:
        """Hard-link each blob into the other area (a copy across file systems); one fsync per directory.

        Each copy counts as stored now, already there or not: saving copies before its
        transaction commits the row, and the orphan sweep must give the copy its grace
        period (a hard link shares the source's old modification time, hence the touch).
        """

        def link_all() -> None:
            touched = set()
            for key in dict.fromkeys(keys):
                source, target = self.path(from_area, key), self.path(to_area, key)
                try:
                    os.utime(target)
                    continue
                except FileNotFoundError:
                    pass
                target.parent.mkdir(parents=True, exist_ok=True)
                os.utime(source)  # before linking: the link is never there with an old time
                try:
                    os.link(source, target)
                except FileExistsError:
                    os.utime(target)  # a concurrent save linked it first
                    continue
                except OSError:  # another file system: copy, durably, under a temporary name
                    tmp = target.with_name(f".tmp-{key}")
                    shutil.copyfile(source, tmp)
                    with open(tmp, "rb") as f:
                        os.fsync(f.fileno())
                    os.replace(tmp, target)
                touched.add(target.parent)
            for directory in touched:
                _fsync_dir(directory)

        await asyncio.to_thread(link_all)

    async def stale_keys(
        self, area: str, *, untouched_for: timedelta, limit: int, from_key: str = ""
    ) -> Sequence[str]:
        """Keys of blobs last stored before the cut-off, in key order from `from_key` on (wrapping
        around); crashed writes' leftovers are removed on the way."""

        def walk() -> list[str]:
            cutoff = time.time() - untouched_for.total_seconds()
            found: list[str] = []
            root = self.root / area
            if area not in AREAS or not root.is_dir():
                return found
            wrapped = itertools.chain(
                _paths_in_order(root, from_key, None), _paths_in_order(root, "", from_key)
            )
            for path in wrapped:  # lazily: a run stops at `limit`, whatever lies beyond
                try:
                    stale = path.stat().st_mtime < cutoff
                except FileNotFoundError:
                    continue
                if stale and path.name.startswith(".tmp-"):
                    path.unlink(missing_ok=True)
                elif stale and _KEY.match(path.name):
                    found.append(path.name)
                    if len(found) >= limit:
                        break
            return found

        return await asyncio.to_thread(walk)

    def put_blocking(self, area: str, data: bytes) -> StoredBlob:
        """`put` for code already off the event loop (the processing pool's processes)."""
        return self._put(area, data)

    async def read(self, area: str, key: str) -> bytes:
        return await asyncio.to_thread(self.path(area, key).read_bytes)

    async def exists(self, area: str, key: str) -> bool:
        return await asyncio.to_thread(self.path(area, key).exists)

    async def delete(self, area: str, key: str, *, unless_stored_within: timedelta | None = None) -> bool:
        def unlink() -> bool:
            path = self.path(area, key)
            try:
                if unless_stored_within is not None:
                    age = time.time() - path.stat().st_mtime
                    if age < unless_stored_within.total_seconds():
                        return False
                path.unlink()
            except FileNotFoundError:
                return False
            return True

        return await asyncio.to_thread(unlink)

    def _put(self, area: str, data: bytes) -> StoredBlob:
        key = hashlib.sha256(data).hexdigest()
        target = self.path(area, key)
        if target.exists():
            os.utime(target)  # stored again: a cleanup must give this copy its grace period too
            return StoredBlob(key, len(data))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return StoredBlob(key, len(data))


def _paths_in_order(root: Path, low: str, high: str | None) -> Iterator[Path]:
    """The files under `root/ab/cd/` whose names are >= `low` and < `high`, in name order, lazily:
    a shard directory wholly outside the range is never listed. A temp file (`.tmp-...`) counts as
    its shard's name (`abcd`), so of the two ranges a wrapped walk takes exactly one sees it."""
    for top in sorted(root.iterdir()):
        if top.name < low[:2] or (high is not None and top.name > high[:2]):
            continue
        for middle in sorted(top.iterdir()) if top.is_dir() else ():
            prefix = top.name + middle.name
            if prefix < low[:4] or (high is not None and prefix > high[:4]):
                continue
            for path in sorted(middle.iterdir()) if middle.is_dir() else ():
                # a temp file's name is no key: it takes its shard's place, before the shard's keys
                key = prefix if path.name.startswith(".tmp-") else path.name
                if key >= low and (high is None or key < high):
                    yield path


def _fsync_dir(path: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
