"""PNG: keep the chunks that draw the image, drop text and EXIF, add the orientation and an XMP `iTXt`.

Kept: the critical chunks, those that change how pixels show (transparency, colour space,
gamma, ICC profile, physical size, background, significant bits, HDR metadata) and APNG's
animation chunks. Dropped: `tEXt`, `zTXt`, `iTXt` (owner names, tools' prompts), `eXIf`,
`tIME` and every chunk this list does not know (a private chunk may hold anything).
"""

from __future__ import annotations

import struct
import zlib

from storage.files.orientation import orientation_block, orientation_of

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"

_KEPT = frozenset(
    b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI mDCv cLLi bKGD hIST pHYs sPLT "
    b"acTL fcTL fdAT".split()
)


def rewrite_png(data: bytes, xmp: bytes | None) -> bytes:
    """The PNG without its metadata, with `xmp` in an `iTXt` chunk before the image data when given."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    chunks: list[tuple[bytes, bytes]] = []  # (type, the whole chunk as it was)
    orientation = 1
    pos = len(SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end of the file")
        if kind == b"eXIf":
            body = data[pos + 8 : pos + 8 + length]
            orientation = orientation_of(body[6:] if body.startswith(b"Exif\x00\x00") else body)
        elif kind in _KEPT:
            chunks.append((kind, data[pos:end]))
        pos = end
        if kind == b"IEND":
            break
    added = []
    if orientation != 1:
        added.append(chunk(b"eXIf", orientation_block(orientation)))
    if xmp is not None:
        # keyword, no compression (flag 0, method 0), no language, no translated keyword
        added.append(chunk(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + xmp))
    out = [SIGNATURE]
    for kind, whole in chunks:
        if kind in (b"IDAT", b"acTL", b"fcTL") and added:  # metadata goes before the image data
            out.extend(added)
            added = []
        out.append(whole)
    return b"".join(out)


def chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG chunk: length, type, body, and the CRC of type and body."""
    return (
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )
