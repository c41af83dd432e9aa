"""A worker process that claims a job and hangs mid-rendition, to be killed: `python -m ... URL BLOB_ROOT`.

It claims through the real queue (a one-second lease), starts writing a rendition the way
the blob store does (a temp file beside its final place), says `claimed <job id>` on
stdout, and waits for the SIGKILL.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from domain.processing.model import ProcessedImage, RetryPolicy
from storage.sql.database import create_engine
from tests.services import sql_processing


class HangingProcessor:
    def __init__(self, blob_root: Path) -> None:
        self.blob_root = blob_root

    async def process(self, area: str, key: str, sizes: Sequence[int]) -> ProcessedImage:
        folder = self.blob_root / "renditions" / "ab" / "cd"
        folder.mkdir(parents=True, exist_ok=True)
        fd, _ = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        os.write(fd, b"RIFF\x00\x10\x00\x00WEBPVP8 half a rendition")
        print("claimed", key, flush=True)
        await asyncio.Event().wait()  # until killed
        raise AssertionError("unreachable")

    async def close(self) -> None:
        return None


async def main(url: str, blob_root: str) -> None:
    engine = create_engine(url)
    policy = RetryPolicy(lease=timedelta(seconds=1))
    await sql_processing(engine, HangingProcessor(Path(blob_root)), policy=policy).work_once("doomed", 1)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
