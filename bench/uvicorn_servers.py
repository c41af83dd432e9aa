"""Servers under measurement: a uvicorn subprocess on a free port, started, awaited until ready, stopped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.fresh_database import BenchError

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Running:
    """A started server: where it answers, and the process id of uvicorn (the supervisor with workers)."""

    base: str
    pid: int


@contextlib.asynccontextmanager
async def server(name: str, uvicorn_args: Sequence[str], env: dict[str, str]) -> AsyncIterator[str]:
    """A uvicorn subprocess on a free port, ready; yields its base URL and stops it on the way out."""
    async with server_process(name, uvicorn_args, env) as running:
        yield running.base


@contextlib.asynccontextmanager
async def server_process(
    name: str, uvicorn_args: Sequence[str], env: dict[str, str]
) -> AsyncIterator[Running]:
    """A uvicorn subprocess on a free port, ready; yields it and stops it on the way out."""
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        *uvicorn_args,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,  # Ctrl-C reaches only this script, which then stops the server
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(name, proc, base)
        yield Running(base, proc.pid)
    finally:
        await stop(proc)


async def wait_ready(name: str, proc: asyncio.subprocess.Process, base: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise BenchError(f"the {name} server exited with code {proc.returncode} while starting")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise BenchError(f"the {name} server was not ready after {READY_TIMEOUT_S:.0f} s")


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), timeout=10)
    except TimeoutError:
        proc.kill()
        await proc.wait()


def process_tree(pid: int) -> Iterator[int]:
    """`pid` and its descendants (Linux: /proc/PID/task/*/children)."""
    yield pid
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                yield from process_tree(int(child))


def peak_rss_kib(pid: int) -> dict[int, int]:
    """The peak resident set size (VmHWM, KiB) of `pid` and each of its descendants, by process id."""
    peaks: dict[int, int] = {}
    for each in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[each] = int(line.split()[1])
    return peaks


def cpu_seconds(pid: int) -> dict[int, float]:
    """The CPU time (user + system, seconds) used so far by `pid` and each of its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for each in process_tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            used[each] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used
