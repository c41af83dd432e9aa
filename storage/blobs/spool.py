"""Receiving an upload's body to a temporary file: size-capped and hashed while it streams."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from domain.kernel.errors import PayloadTooLarge
from domain.kernel.media import SpooledFile


class UploadSpool:
    """Temporary files under `<data>/spool`, on the blob store's file system so adopting one is a rename."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    @contextlib.asynccontextmanager
    async def receive(self, chunks: AsyncIterator[bytes]) -> AsyncIterator[SpooledFile]:
        """Spool the chunks; the temporary file is removed on exit unless it was moved away meanwhile."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.root, prefix="upload-")
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:  # stop reading right here, not after the whole body
                        raise PayloadTooLarge(f"uploads are at most {self.max_bytes} bytes", field="file")
                    digest.update(chunk)
                    await asyncio.to_thread(out.write, chunk)
                await asyncio.to_thread(_flush, out)
            yield SpooledFile(path=path, size=size, sha256=digest.hexdigest())
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # a quick syscall, also safe while the task is being cancelled


def _flush(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())
