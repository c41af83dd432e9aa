"""Checks for free text that clients send: length, NUL and control characters, credentials.

Emoji, right-to-left marks and combining characters are kept byte for byte; NUL and
other C0 controls (but tab and newline) are refused, since they break logs,
terminals and some databases. A text holding a credential (an API key, a private
key, `password=...`) is refused too, whichever field it was typed into: a secret
must never reach the database, a log or an error message (domain/prompt_guard).
"""

from __future__ import annotations

import re

from domain.errors import InvalidInput
from domain.prompt_guard import refuse_secrets

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\n\r\x85\u2028\u2029]")


def clean_text(
    value: str, *, field: str, max_length: int, required: bool = False, single_line: bool = False
) -> str:
    """The value stripped of surrounding whitespace, or InvalidInput saying what is wrong."""
    if len(value) > max_length:  # first, so that the guard never scans more than a field may hold
        raise InvalidInput(f"at most {max_length} characters (got {len(value)})", field=field)
    if _CONTROL.search(value) or (single_line and _LINE_BREAK.search(value)):
        raise InvalidInput("control characters such as NUL are not allowed", field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput("must not be empty", field=field)
    refuse_secrets(value, field=field)
    return value
