"""Checks for free text that clients send: length, controls, values that show nothing, credentials.

Emoji, right-to-left marks and combining characters are kept byte for byte; NUL and
other C0 and C1 controls (but tab and newline) are refused, since they break logs,
terminals and some databases, and so are lone surrogates, which no database stores.
A text holding a credential (an API key, a private key, `password=...`) is refused
too, whichever field it was typed into: a secret must never reach the database, a
log or an error message (domain/prompt_guard).
"""

from __future__ import annotations

import re

from domain.kernel.errors import InvalidInput
from domain.kernel.prompt_guard import refuse_secrets
from domain.kernel.visible import is_blank

__all__ = ["clean_text", "drop_controls", "is_blank"]

# C0 but tab, LF and CR; DEL; C1 (NEL included: it is a control, not a line break we keep)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")


def clean_text(
    value: str, *, field: str, max_length: int, required: bool = False, single_line: bool = False
) -> str:
    """The value stripped of surrounding whitespace, or InvalidInput saying what is wrong.

    A required value must show something: zero-width spaces alone are as empty as nothing.
    """
    if len(value) > max_length:  # first, so that the guard never scans more than a field may hold
        raise InvalidInput(f"at most {max_length} characters (got {len(value)})", field=field)
    if _CONTROL.search(value):
        raise InvalidInput("control characters such as NUL are not allowed", field=field)
    if single_line and _LINE_BREAK.search(value):
        raise InvalidInput("must be one line: line breaks are not allowed", field=field)
    value = value.strip()
    # a tab inside one line shows as a run of spaces of no fixed width; around it, it is trimmed
    if single_line and "\t" in value:
        raise InvalidInput("must be one line: tabs are not allowed inside it", field=field)
    if required and is_blank(value):
        raise InvalidInput("must not be empty (invisible characters alone do not count)", field=field)
    refuse_secrets(value, field=field)
    return value


def drop_controls(value: str) -> str:
    """The value without the control characters `clean_text` refuses: for text nobody typed."""
    return _CONTROL.sub("", value)
