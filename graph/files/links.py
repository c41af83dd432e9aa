"""Signed file links: `/files/assets/<id>/original?o=<org>&e=<expiry>&s=<signature>`.

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


class FileLinks:
    """Makes and checks the signed links of files."""

    def __init__(self, secret_key: str | bytes, lifetime: timedelta) -> None:
        key = secret_key.encode() if isinstance(secret_key, str) else secret_key
        self._key = hmac.new(key, _SALT, hashlib.sha256).digest()
        self.lifetime = lifetime

    def path(self, ref: FileRef) -> str:
        """The file's path, the same for bearer and signed access: `/files/assets/<global id>/original`."""
        return f"/files/{ref.kind.value}/{to_global_id(_TYPE_NAMES[ref.kind], ref.id)}/{ref.variant.value}"

    def signed(self, base_url: str, org_id: int, ref: FileRef, *, now: datetime, inline: bool = False) -> str:
        """An absolute link to the file that works without a token until it expires."""
        seconds = int(self.lifetime.total_seconds())
        step = max(1, seconds // 3)
        expires = int(now.timestamp()) // step * step + seconds
        query = {"o": str(org_id), "e": str(expires), "s": self._signature(org_id, ref, expires)}
        if inline:
            query["disposition"] = "inline"
        return f"{base_url.rstrip('/')}{self.path(ref)}?{urlencode(query)}"

    def grant(self, ref: FileRef, org: str, expires: str, signature: str) -> LinkGrant | None:
        """What a link's parameters grant; None when they were not signed here for this file."""
        if any(len(p) > _MAX_PARAMETER_LENGTH or not p.isascii() for p in (org, expires, signature)):
            return None
        if not (org.isdigit() and expires.isdigit()) or len(expires) > 12 or len(org) > 19:
            return None
        if not hmac.compare_digest(self._signature(int(org), ref, int(expires)), signature):
            return None
        return LinkGrant(int(org), ref, datetime.fromtimestamp(int(expires), UTC))

    def _signature(self, org_id: int, ref: FileRef, expires: int) -> str:
        message = f"{org_id}\n{ref.kind.value}\n{ref.id}\n{ref.variant.value}\n{expires}".encode()
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
