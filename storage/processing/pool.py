"""The image processor: `render_file` in a process pool started with `spawn`, off the event loop.

`spawn` rather than `fork`: a forked child would inherit the server's event loop, open
database connections and threads in whatever state they were. The pool starts on the
first image (a server with nothing to process never pays for it) and is replaced when one
of its processes dies (killed, out of memory), which fails the images then in flight:
their jobs are retried as WORKER_CRASHED.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from domain.processing.model import ProcessedImage, ProcessingError
from domain.processing.ports import UnprocessableImage
from storage.blobs.local import LocalBlobStore
from storage.processing.imaging import render_file


class PoolImageProcessor:
    """ImageProcessor over a spawn ProcessPoolExecutor of `processes` workers (default: the CPU count)."""

    def __init__(self, blobs: LocalBlobStore, *, processes: int | None = None) -> None:
        self._blobs = blobs
        self.processes = processes or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def process(self, area: str, key: str, sizes: Sequence[int]) -> ProcessedImage:
        try:
            source = self._blobs.path(area, key)
        except ValueError:
            raise UnprocessableImage(ProcessingError.SOURCE_MISSING) from None
        pool = self._executor()
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                pool, render_file, str(source), str(self._blobs.root), tuple(sizes)
            )
        except BrokenProcessPool:
            if self._pool is pool:
                self._pool = None  # the next image starts a fresh pool
                pool.shutdown(wait=False, cancel_futures=True)
            raise UnprocessableImage(ProcessingError.WORKER_CRASHED) from None
        if isinstance(outcome, ProcessingError):
            raise UnprocessableImage(outcome)
        return outcome

    async def close(self) -> None:
        """Stop at once: images in flight are abandoned (their jobs' leases pass, then they are retaken).

        Waiting for them could hold a server's shutdown for as long as the largest image
        takes, and the interpreter's exit would wait too. A process stopped mid-image leaves
        at most a temp file (blob writes are atomic), which the orphan sweep removes.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((pool._processes or {}).values())  # 3.11's executor has no terminate_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        await asyncio.to_thread(pool.shutdown, wait=True)
