"""Signing secrets derived, never stored.

secret = "whsec_" + base64(HMAC-SHA256(server key, "webhook-secret:" + salt)). The row keeps
only the salt: a database dump without the server key (ATELIER_SECRET_KEY) signs nothing,
and rotating the server key rotates every webhook's secret at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass


def new_salt() -> str:
    """A fresh random salt for a webhook's next secret."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class SecretDeriver:
    """Turns a stored salt into the signing secret, with the server's key."""

    server_key: bytes

    def __repr__(self) -> str:  # the key never reaches a log line through a repr
        return "SecretDeriver(<key>)"

    def secret(self, salt: str) -> str:
        """The Standard Webhooks secret (`whsec_...`) of this salt."""
        digest = hmac.new(self.server_key, f"webhook-secret:{salt}".encode(), hashlib.sha256).digest()
        return "whsec_" + base64.b64encode(digest).decode()
