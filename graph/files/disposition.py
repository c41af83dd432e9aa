"""`Content-Disposition` (RFC 6266) from a file name anyone could have typed."""

from __future__ import annotations

from urllib.parse import quote

from domain.files.names import ascii_file_name

# RFC 5987's attr-char besides letters and digits; everything else is percent-encoded
_ATTR_CHARS = "!#$&+-.^_`|~"


def content_disposition(filename: str, *, inline: bool) -> str:
    """`attachment` (or `inline`), an ASCII `filename` for old clients and the exact `filename*` in UTF-8.

    The ASCII form holds no quote, backslash or control character (they are replaced), so
    it cannot end the quoted string or the header; the UTF-8 form is percent-encoded whole.
    """
    kind = "inline" if inline else "attachment"
    fallback = ascii_file_name(filename)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe=_ATTR_CHARS)}"
