"""`POST /uploads` against a real uvicorn: bodies over the cap and multipart floods stop being read.

BAD_INPUTS rows 23 and 24. The body is written by hand on a socket (chunked, as a client
that never declares a length would), so the test sees how much the server let in before it
answered, whatever an HTTP client library would buffer.
"""

from __future__ import annotations

import select
import socket
import time
from urllib.parse import urlsplit

import pytest

CAP = 200_000
CHUNK = 64 * 1024
HUNDRED_MB = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def server_env(server_env):
    return {**server_env, "ATELIER_MAX_UPLOAD_BYTES": str(CAP)}


def send_chunked(base: str, token: str, content_type: str, chunk: bytes, total: int) -> tuple[int, bytes]:
    """Stream `total` bytes as a chunked body until the server answers; (bytes sent, its answer)."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        head = (
            "POST /uploads?filename=big.png HTTP/1.1\r\n"
            f"Host: {url.netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        s.sendall(head.encode())
        sent = 0
        try:
            while sent < total:
                if select.select([s], [], [], 0)[0]:
                    break  # the server has answered: stop, as a well-behaved client would
                s.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            else:
                s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # it closed the connection on us: what it answered is still to be read
        answer = b""
        deadline = time.monotonic() + 10
        while not _complete(answer) and time.monotonic() < deadline:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
        return sent, answer


def _complete(answer: bytes) -> bool:
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    return len(body) >= length


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_chunked_body_over_the_cap_is_413_long_before_its_end(server):  # row 23
    base, token = server
    png_like = b"\x89PNG\r\n\x1a\n" + b"x" * (CHUNK - 8)
    sent, answer = send_chunked(base, token, "image/png", png_like, HUNDRED_MB)
    assert status_of(answer) == 413 and b"PAYLOAD_TOO_LARGE" in answer
    assert sent < 20 * 1024 * 1024  # the cap is 200 KB; socket buffers let a few MB through at most


def test_a_100_mb_multipart_field_is_refused_before_its_body_is_read(server):  # row 24
    base, token = server
    field = b'--x\r\nContent-Disposition: form-data; name="note"\r\n\r\n' + b"a" * (CHUNK - 48)
    sent, answer = send_chunked(base, token, "multipart/form-data; boundary=x", field, HUNDRED_MB)
    assert status_of(answer) == 415
    assert sent < 20 * 1024 * 1024


def test_ten_thousand_multipart_parts_are_refused_without_being_parsed(server):  # row 24
    base, token = server
    part = b'--x\r\nContent-Disposition: form-data; name="p"\r\n\r\nv\r\n'
    started = time.monotonic()
    _, answer = send_chunked(base, token, "multipart/form-data; boundary=x", part * 1_000, len(part) * 10_000)
    assert status_of(answer) == 415
    assert time.monotonic() - started < 5
