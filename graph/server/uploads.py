"""`POST /uploads`: an image file as the raw request body, streamed to disk, for importGeneration or
addUploadsToLibrary.

Multipart is refused on purpose: a raw body needs no parser, so there is nothing to
flood with parts or oversized fields. The client's file name (`?filename=`) is kept
only as cleaned metadata; storage keys come from the file's sha256.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from domain.kernel.errors import DomainError, PayloadTooLarge
from graph.context import Ports
from graph.relay.ids import to_global_id
from graph.server.auth import actor_of
from graph.server.http_errors import domain_error_response, error_response
from graph.server.view import log_disconnect


def upload_endpoint(ports: Ports, *, max_bytes: int) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint, bound to the composition root's ports."""

    async def upload(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/"):
            return error_response(
                415, "send the image as the raw request body, not multipart", "UNSUPPORTED_MEDIA_TYPE"
            )
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            return domain_error_response(
                PayloadTooLarge(f"uploads are at most {max_bytes} bytes", field="file")
            )
        try:
            actor = await actor_of(request, ports)
            studio = ports.services.studio
            studio.may_upload(actor, filename=request.query_params.get("filename"))
            async with ports.spool.receive(request.stream()) as file:
                received = await studio.accept_upload(
                    actor,
                    file=file,
                    filename=request.query_params.get("filename"),
                )
        except ClientDisconnect:
            log_disconnect(request.scope)
            return error_response(400, "the client disconnected before the body was complete")
        except DomainError as e:
            return domain_error_response(e)
        body = {
            "id": to_global_id("Upload", received.id),
            "mimeType": received.mime_type,
            "byteSize": received.byte_size,
            "width": received.width,
            "height": received.height,
            "sha256": received.blob_key,
            "filename": received.filename,
            "expiresAt": received.expires_at.isoformat(),
            "metadata": {
                "tool": received.tool,
                "prompt": received.prompt,
                "negativePrompt": received.negative_prompt,
                "seed": None if received.seed is None else str(received.seed),
                "model": received.model,
            },
        }
        return Response(orjson.dumps(body), status_code=201, media_type="application/json")

    return upload
