"""The real server for end-to-end tests: `atelier serve --demo` in a subprocess, on a database of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import create_database, drop_database

ATELIER = str(Path(sys.executable).parent / "atelier")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
async def server_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    data = tmp_path_factory.mktemp("e2e")
    url = await create_database(data)
    env = {**os.environ, "ATELIER_DATA_DIR": str(data), "ATELIER_DATABASE_URL": url}
    yield env
    await drop_database(url)


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    """Where the server's stdout and stderr go: everything it logs."""
    return tmp_path_factory.mktemp("log") / "serve.log"


@pytest.fixture(scope="module")
def server(server_env, server_log) -> Iterator[tuple[str, str]]:
    port = free_port()
    log = server_log
    with log.open("w") as out:
        process = subprocess.Popen(
            [ATELIER, "serve", "--demo", "--port", str(port)],
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base, token = f"http://127.0.0.1:{port}", None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            token = next(
                (ln.split()[-1] for ln in log.read_text().splitlines() if ln.startswith("Admin token:")), None
            )
            try:
                if token and httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        assert token, log.read_text()
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=10)
