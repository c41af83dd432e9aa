"""The signed links the schema hands out (`Asset.downloadUrl`, `Generation.imageUrl`).

Made from fields the page already loaded and the request's actor: no statement per object.
"""

from __future__ import annotations

from typing import Any

from domain.files.model import FileKind, FileRef, Variant
from domain.processing.model import Rendition


def signed_link(info: Any, kind: FileKind, id: int, *, inline: bool) -> str:
    """An absolute link to the original that works without a token for the configured lifetime."""
    ctx = info.context
    return ctx.ports.links.signed(
        str(ctx.request.base_url),
        ctx.actor.org_id,
        FileRef(kind, id, Variant.ORIGINAL),
        now=ctx.services.files.clock.now(),
        inline=inline,
    )


def rendition_link(info: Any, kind: FileKind, id: int, rendition: Rendition) -> str:
    """An absolute link to one rendition's bytes, shown inline, that works without a token until it
    expires; it names the bytes (a prefix of their blob key), so it opens nothing once they change."""
    ctx = info.context
    return ctx.ports.links.signed(
        str(ctx.request.base_url),
        ctx.actor.org_id,
        FileRef(kind, id, Variant.of_rendition(rendition.size)),
        now=ctx.services.files.clock.now(),
        inline=True,
        content=rendition.blob_key,
    )
