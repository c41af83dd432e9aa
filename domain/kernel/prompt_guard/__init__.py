"""Refuses texts that carry credentials, so that no secret is stored, logged or echoed in an error.

The rule lives here: every text from outside (domain/text.py's clean_text runs it on
each typed field) is scanned in its visible form (invisible.py), and a credential is
refused with INVALID_INPUT naming the field and the kind, never the secret.

Two sources of shapes. Our own (shapes.py) always apply: AI providers' keys, Atelier
tokens, private keys, credentials written as assignments or headers. The catalogue
of vendors' key formats (AWS, GitHub, GitLab, Slack, Stripe, SendGrid, JWTs, URLs
with a password, ...) comes from a maintained detector set behind the SecretScanner
port, bound once by the composition root (storage/secret_scanner.py). With nothing
bound, our own shapes still apply; the app always binds the full scanner (a test
says so).
"""

from __future__ import annotations

from typing import Protocol

from domain.kernel.errors import InvalidInput
from domain.kernel.prompt_guard.invisible import scan_form
from domain.kernel.prompt_guard.shapes import GENERIC, SPECIFIC, Scanned, first_kind

__all__ = ["SecretScanner", "bound", "find_secret", "refuse_secrets", "use"]


class SecretScanner(Protocol):
    """Finds vendors' credentials in a text (already in its scan form: no invisible characters, NFKC)."""

    def find(self, text: str) -> str | None:
        """The kind of credential the text holds ("an AWS access key"), never the credential; or None."""
        ...


_scanner: SecretScanner | None = None


def use(scanner: SecretScanner | None) -> None:
    """Bind the scanner every later check asks (None: our own shapes only). Called by the composition root."""
    global _scanner
    _scanner = scanner


def bound() -> SecretScanner | None:
    """The scanner bound now, if any."""
    return _scanner


def find_secret(text: str) -> str | None:
    """What kind of credential the text holds, or None."""
    if not text:
        return None
    scanned = Scanned(scan_form(text))
    kind = first_kind(SPECIFIC, scanned)
    if kind is None and _scanner is not None:
        kind = _scanner.find(scanned.text)
    if kind is None:
        kind = first_kind(GENERIC, scanned)
    return kind


def refuse_secrets(text: str, *, field: str) -> None:
    """Raise InvalidInput (without echoing the secret) when the text holds a credential."""
    kind = find_secret(text)
    if kind is not None:
        raise InvalidInput(
            f"the text holds {kind}; remove credentials from it (nothing was stored)", field=field
        )
