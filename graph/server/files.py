"""`GET|HEAD /files/{kind}/{id}/{variant}`: the originals (`original`) and WebP renditions (`w256`,
`w1024`) of assets and generations.

The route sits with the other routes beside /graphql, their auth and their error table; what
is the files room's own (the link format shared with the schema's `downloadUrl`,
`imageUrl` and `thumbnailUrl`, ranges, Content-Disposition, the streamed body) is in
graph/files. Access is a bearer token, as on /graphql, or a signed link:
no credential is 401 UNAUTHENTICATED; a link whose signature does not match, or that has
expired, is 403 FORBIDDEN; whatever is not served (unknown, another organisation's,
trashed, expired, blob missing) is one 404 NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from domain.files.model import Access, LinkGrant, ServedFile
from domain.kernel.errors import DomainError, Forbidden
from graph.context import Ports
from graph.files.body import FileBody
from graph.files.disposition import content_disposition
from graph.files.links import file_ref
from graph.files.ranges import RangeNotSatisfiable, byte_range, matches_any, range_applies
from graph.server.auth import actor_of
from graph.server.http_errors import domain_error_response, error_response

_LINK_PARAMETERS = ("o", "e", "s", "r")


def file_endpoint(ports: Ports) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint, bound to the composition root's ports (the link signer among them)."""

    async def serve(request: Request) -> Response:
        params = request.path_params
        ref = file_ref(params["kind"], params["id"], params["variant"])
        if ref is None:
            return error_response(404, "no file here", "NOT_FOUND")
        try:
            access: Access
            if any(name in request.query_params for name in _LINK_PARAMETERS):
                grant = ports.links.grant(
                    ref, *(request.query_params.get(name, "") for name in _LINK_PARAMETERS)
                )
                if grant is None:
                    raise Forbidden("this link's signature does not match; ask the API for a new link")
                access = grant
            else:
                access = await actor_of(request, ports)
            served = await ports.services.files.open(access, ref)
        except DomainError as e:
            return domain_error_response(e)
        return _answer(request, served, _cache_control(access, ports.services.files.clock.now()))

    return serve


def _answer(request: Request, served: ServedFile, cache_control: str) -> Response:
    """The file, a range of it, or 304, with the headers every answer carries."""
    etag = f'"{served.file.tag}"'
    inline = request.query_params.get("disposition") == "inline"
    headers = {
        "etag": etag,
        "cache-control": cache_control,
        "x-content-type-options": "nosniff",
        "content-disposition": content_disposition(served.filename, inline=inline),
        "accept-ranges": "bytes",
    }
    if matches_any(request.headers.get("if-none-match"), etag):
        del headers["content-disposition"]
        return Response(status_code=304, headers=headers)
    size = served.file.size
    try:
        wanted = byte_range(request.headers.get("range"), size)
    except RangeNotSatisfiable:
        if range_applies(request.headers.get("if-range"), etag):
            response = error_response(
                416, "the range starts past the end of the file", "RANGE_NOT_SATISFIABLE"
            )
            response.headers.update({"content-range": f"bytes */{size}", "x-content-type-options": "nosniff"})
            return response
        wanted = None
    if wanted is None or not range_applies(request.headers.get("if-range"), etag):
        return FileBody(
            served.file.location,
            offset=0,
            length=size,
            status_code=200,
            headers=headers,
            media_type=served.mime_type,
        )
    first, last = wanted
    headers["content-range"] = f"bytes {first}-{last}/{size}"
    return FileBody(
        served.file.location,
        offset=first,
        length=last - first + 1,
        status_code=206,
        headers=headers,
        media_type=served.mime_type,
    )


def _cache_control(access: Access, now: datetime) -> str:
    """Private either way. A link's answer may be kept while the link lives (no longer); a member's is
    revalidated each time (the ETag makes that a 304), since trashing an asset must stop it at once.

    Originals are not `immutable`: their path names the asset, not the bytes, and the bytes a
    download carries change with its provenance. A rendition's link names its bytes (`r`, signed,
    checked before serving), so the answer to that URL can never change: `immutable` spares the
    browser's revalidation on reload. Its lifetime stays the link's, so nothing outlives access.
    """
    if isinstance(access, LinkGrant):
        max_age = max(0, int((access.expires_at - now).total_seconds()))
        return f"private, max-age={max_age}" + (", immutable" if access.content is not None else "")
    return "private, no-cache"
