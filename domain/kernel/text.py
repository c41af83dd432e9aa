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
import unicodedata

from domain.kernel.errors import InvalidInput
from domain.kernel.prompt_guard import refuse_secrets

# C0 but tab, LF and CR; DEL; C1 (NEL included: it is a control, not a line break we keep)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")

# Characters that draw nothing although they are not format characters (category Cf):
# Hangul fillers, the Braille blank, the combining grapheme joiner, Khmer inherent vowels,
# Mongolian variation selectors, and variation selectors. Together with Cf and whitespace
# they cover Unicode's Default_Ignorable_Code_Point, which unicodedata does not expose.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)


def _invisible(char: str) -> bool:
    return (
        char.isspace()
        or char in _INVISIBLE
        or 0xE0100 <= ord(char) <= 0xE01EF  # variation selectors supplement
        or unicodedata.category(char) == "Cf"
    )


def is_blank(value: str) -> bool:
    """Whether nothing of the value would show: only whitespace, format and other invisible characters."""
    return all(_invisible(c) for c in value)


def clean_text(
    value: str, *, field: str, max_length: int, required: bool = False, single_line: bool = False
) -> str:
    """The value stripped of surrounding whitespace, or InvalidInput saying what is wrong.

    A required value must show something: zero-width spaces alone are as empty as nothing.
    """
    if len(value) > max_length:  # first, so that the guard never scans more than a field may hold
        raise InvalidInput(f"at most {max_length} characters (got {len(value)})", field=field)
    if _CONTROL.search(value) or (single_line and _LINE_BREAK.search(value)):
        raise InvalidInput("control characters such as NUL are not allowed", field=field)
    value = value.strip()
    if required and is_blank(value):
        raise InvalidInput("must not be empty (invisible characters alone do not count)", field=field)
    refuse_secrets(value, field=field)
    return value


def drop_controls(value: str) -> str:
    """The value without the control characters `clean_text` refuses: for text nobody typed."""
    return _CONTROL.sub("", value)
