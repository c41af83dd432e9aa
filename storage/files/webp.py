"""WebP: keep the image chunks, drop `EXIF`, `XMP ` and unknown chunks, add the orientation and XMP.

A simple file (one `VP8 ` or `VP8L` chunk) that gets metadata becomes an extended one: a
`VP8X` header with the canvas size read from the bitstream and the flags of what follows.
An extended file keeps its `VP8X`, `ICCP`, `ANIM`, `ANMF` and `ALPH` chunks, with its
EXIF and XMP flags set anew.
"""

from __future__ import annotations

import struct

from storage.files.orientation import orientation_block, orientation_of

_KEPT = frozenset([b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"])
_ICC, _ALPHA, _EXIF, _XMP = 0x20, 0x10, 0x08, 0x04


def rewrite_webp(data: bytes, xmp: bytes | None) -> bytes:
    """The WebP without its metadata, with `xmp` in an `XMP ` chunk when given."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    header: bytes | None = None
    kept: list[tuple[bytes, bytes]] = []
    orientation = 1
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = data[pos + 8 : pos + 8 + size]
        if len(body) < size:
            raise ValueError("a WebP chunk runs past the end of the file")
        if kind == b"VP8X":
            header = body
        elif kind == b"EXIF":
            orientation = orientation_of(body[6:] if body.startswith(b"Exif\x00\x00") else body)
        elif kind in _KEPT:
            kept.append((kind, body))
        pos += 8 + size + (size & 1)
    extra = []
    if orientation != 1:
        extra.append((b"EXIF", orientation_block(orientation)))
    if xmp is not None:
        extra.append((b"XMP ", xmp))
    if header is None and not extra:
        return _riff(kept)
    flags, width, height = _canvas(header, kept)
    flags &= ~(_EXIF | _XMP)
    flags |= (_EXIF if orientation != 1 else 0) | (_XMP if xmp is not None else 0)
    vp8x = (
        bytes([flags])
        + b"\x00\x00\x00"
        + (width - 1).to_bytes(3, "little")
        + (height - 1).to_bytes(3, "little")
    )
    return _riff([(b"VP8X", vp8x), *kept, *extra])


def _canvas(header: bytes | None, chunks: list[tuple[bytes, bytes]]) -> tuple[int, int, int]:
    """(flags, width, height): the extended header's, or those of a simple file's bitstream."""
    if header is not None and len(header) >= 10:
        width = int.from_bytes(header[4:7], "little") + 1
        height = int.from_bytes(header[7:10], "little") + 1
        return header[0] & 0x3E, width, height
    kinds = dict(chunks)
    if b"VP8L" in kinds and len(kinds[b"VP8L"]) >= 5 and kinds[b"VP8L"][0] == 0x2F:
        (bits,) = struct.unpack_from("<I", kinds[b"VP8L"], 1)
        alpha = _ALPHA if bits >> 28 & 1 else 0
        return alpha, (bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1
    if b"VP8 " in kinds and len(kinds[b"VP8 "]) >= 10 and kinds[b"VP8 "][3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", kinds[b"VP8 "], 6)
        return 0, width & 0x3FFF, height & 0x3FFF
    raise ValueError("a WebP without a readable image chunk")


def _riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(
        kind + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) & 1) for kind, data in chunks
    )
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body
