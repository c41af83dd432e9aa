"""The conditional and partial parts of a file request: `Range`, `If-Range`, `If-None-Match` (RFC 9110).

One range per request: a multi-range request (`bytes=0-1,5-6`) gets the whole file with
200, which RFC 9110 allows (a server may ignore Range), and which spares us multipart
bodies nobody here needs. A Range header we cannot read is ignored the same way; only a
well-formed range that starts past the end is refused (416).
"""

from __future__ import annotations

import re

_SINGLE = re.compile(r"^\s*(\d{0,19})\s*-\s*(\d{0,19})\s*$")


class RangeNotSatisfiable(Exception):
    """The one range asked for lies wholly past the end of the file."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte, inclusive, of the one range asked for; None for the whole file."""
    if header is None:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _SINGLE.match(spec)
    if match is None or match.group(0).strip() == "-":
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # `-n`: the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range: ignored, like any other we cannot read
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(int(last), size - 1) if last else size - 1


def matches_any(header: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` list names this ETag (weak comparison, as RFC 9110 asks) or is `*`."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag in candidates


def range_applies(if_range: str | None, etag: str) -> bool:
    """Whether a Range may be honoured: no `If-Range`, or one holding this exact (strong) ETag.

    A date in If-Range is treated as a mismatch: the file is then sent whole, which is always safe.
    """
    return if_range is None or if_range.strip() == etag
