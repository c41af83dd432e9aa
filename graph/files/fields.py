"""The signed links the schema hands out (`Asset.downloadUrl`, `Generation.imageUrl`).

Made from fields the page already loaded and the request's actor: no statement per object.
"""

from __future__ import annotations

from typing import Any

from domain.files.model import FileKind, FileRef, Variant


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
