"""A file sent from the disk in chunks, whole or one byte range, never read into memory at once."""

from __future__ import annotations

from collections.abc import Mapping

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

CHUNK_BYTES = 64 * 1024


class FileBody(Response):
    """`length` bytes of the file at `path` from `offset`; a HEAD request gets the headers alone."""

    def __init__(
        self,
        path: str,
        *,
        offset: int,
        length: int,
        status_code: int,
        headers: Mapping[str, str],
        media_type: str,
    ) -> None:
        super().__init__(status_code=status_code, headers=dict(headers), media_type=media_type)
        self.headers["content-length"] = str(length)
        self.path, self.offset, self.length = path, offset, length

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        remaining = self.length
        async with await anyio.open_file(self.path, "rb") as file:
            await file.seek(self.offset)
            while remaining > 0:
                chunk = await file.read(min(CHUNK_BYTES, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": remaining > 0})
        if remaining > 0 or self.length == 0:  # the copy shrank under us, or nothing to send: end the body
            await send({"type": "http.response.body", "body": b"", "more_body": False})
