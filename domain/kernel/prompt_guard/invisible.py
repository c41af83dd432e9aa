"""The form of a text that the guard scans: invisible characters removed, compatibility forms folded.

A key split by a zero-width space (`sk-pro<U+200B>j-...`) still works once pasted
into a terminal, and full-width letters fold to the ASCII a key is made of; so the
scan sees the text without format characters (Unicode category Cf: zero-width
spaces and joiners, bidirectional marks, the BOM, soft hyphens, tag characters) and
other invisibles, in NFKC. Only the scan sees this form: the text stored is the
client's, byte for byte.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from domain.kernel.visible import INVISIBLE_RANGES

# category Cf lives in these planes only (basic, supplementary, special-purpose)
_PLANES_WITH_FORMAT_CHARACTERS = ((0x0000, 0x1FFFF), (0xE0000, 0xE0FFF))


@functools.cache
def _invisible() -> re.Pattern[str]:
    """One character class of every invisible character; built once, on the first non-ASCII text."""
    points = [
        cp
        for first, last in _PLANES_WITH_FORMAT_CHARACTERS
        for cp in range(first, last + 1)
        if unicodedata.category(chr(cp)) == "Cf"
    ]
    points += [cp for first, last in INVISIBLE_RANGES for cp in range(first, last + 1)]
    ranges: list[tuple[int, int]] = []
    for cp in sorted(set(points)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    members = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return re.compile(f"[{members}]+")


def scan_form(text: str) -> str:
    """The text as the guard scans it: without invisible characters, in NFKC."""
    if text.isascii():  # ASCII has no format characters and is its own NFKC: the common case costs nothing
        return text
    invisible = _invisible()
    if invisible.search(text):
        text = invisible.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text
