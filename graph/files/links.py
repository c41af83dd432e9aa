"""Signed file links: `/files/assets/<id>/original?o=<org>&e=<expiry>&s=<signature>`.

A rendition's link (`/files/assets/<id>/w256?o=..&e=..&r=<blob key prefix>&s=..`) also
names the bytes it was made for: `r`, signed with the rest, is the first CONTENT_PREFIX
hex digits of the rendition's blob key (its sha256), so the link opens those bytes or
nothing, and its answer may be cached as immutable.

The signature is HMAC-SHA256, keyed from ATELIER_SECRET_KEY (the cursors' key, with a salt
of its own so that neither signature can stand for the other), over the organisation, the
file's kind, id and variant, and the expiry. It is compared in constant time. The expiry
is fixed when the link is made and rounded down to a third of the lifetime: one file has
the same link for a while, so browsers and CDNs keep hitting their cache, and every link
handed out has at least two thirds of its lifetime left.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from domain.files.model import FileKind, FileRef, LinkGrant, Variant
from graph.relay.ids import parse_global_id, to_global_id

_SALT = b"atelier.files.link"
_TYPE_NAMES = {FileKind.ASSET: "Asset", FileKind.GENERATION: "Generation"}
_MAX_PARAMETER_LENGTH = 64
CONTENT_PREFIX = 16
"""Hex digits of a rendition's blob key a link carries: 64 bits tell one subject's renditions apart."""


class FileLinks:
    """Makes and checks the signed links of files."""

    def __init__(self, secret_key: str | bytes, lifetime: timedelta) -> None:
        key = secret_key.encode() if isinstance(secret_key, str) else secret_key
        self._key = hmac.new(key, _SALT, hashlib.sha256).digest()
        self.lifetime = lifetime

    @property
    def _step(self) -> int:
        return max(1, int(self.lifetime.total_seconds()) // 3)

    def window(self, now: datetime) -> int:
        """Links signed in one window are the same links: they expire together, a third of the
        lifetime apart from the next window's, so a link handed out is good for at least two thirds
        of the lifetime, and a cached answer holding links is the answer made afresh."""
        return int(now.timestamp()) // self._step

    def path(self, ref: FileRef) -> str:
        """The file's path, the same for bearer and signed access: `/files/assets/<global id>/original`."""
        return f"/files/{ref.kind.value}/{to_global_id(_TYPE_NAMES[ref.kind], ref.id)}/{ref.variant.value}"

    def signed(
        self,
        base_url: str,
        org_id: int,
        ref: FileRef,
        *,
        now: datetime,
        inline: bool = False,
        content: str | None = None,
    ) -> str:
        """An absolute link to the file that works without a token until it expires; with `content`
        (a blob key), one that opens only those bytes."""
        seconds = int(self.lifetime.total_seconds())
        expires = self.window(now) * self._step + seconds
        pin = content[:CONTENT_PREFIX] if content else None
        query = {"o": str(org_id), "e": str(expires)}
        if pin is not None:
            query["r"] = pin
        query["s"] = self._signature(org_id, ref, expires, pin)
        if inline:
            query["disposition"] = "inline"
        return f"{base_url.rstrip('/')}{self.path(ref)}?{urlencode(query)}"

    def grant(
        self, ref: FileRef, org: str, expires: str, signature: str, content: str = ""
    ) -> LinkGrant | None:
        """What a link's parameters grant; None when they were not signed here for this file."""
        parameters = (org, expires, signature, content)
        if any(len(p) > _MAX_PARAMETER_LENGTH or not p.isascii() for p in parameters):
            return None
        if not (org.isdigit() and expires.isdigit()) or len(expires) > 12 or len(org) > 19:
            return None
        pin = content or None
        if not hmac.compare_digest(self._signature(int(org), ref, int(expires), pin), signature):
            return None
        return LinkGrant(int(org), ref, datetime.fromtimestamp(int(expires), UTC), pin)

    def _signature(self, org_id: int, ref: FileRef, expires: int, pin: str | None) -> str:
        # the pin is a last line of its own: no link without one signs the same message as one with it
        fields = [str(org_id), ref.kind.value, str(ref.id), ref.variant.value, str(expires)]
        message = "\n".join([*fields, *([pin] if pin is not None else [])]).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def file_ref(kind: str, global_id: str, variant: str) -> FileRef | None:
    """The file a path names; None for an unknown kind or variant, or an id not of the kind's type."""
    try:
        file_kind, file_variant = FileKind(kind), Variant(variant)
    except ValueError:
        return None
    parsed = parse_global_id(global_id)
    if parsed is None or parsed[0] != _TYPE_NAMES[file_kind]:
        return None
    return FileRef(file_kind, parsed[1], file_variant)
