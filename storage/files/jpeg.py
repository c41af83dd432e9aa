"""JPEG: keep what the pixels need, drop every metadata segment, add the orientation and an XMP packet.

Kept before the scan: the tables and frame headers, JFIF (APP0), the ICC profile (APP2)
and Adobe's colour transform (APP14). Dropped: EXIF and XMP (APP1), Photoshop/IPTC
(APP13), comments, every other APPn, metadata between the scans of a progressive JPEG,
and anything after the end marker (phones append second images there, with their own
EXIF). The entropy-coded data is copied byte for byte.
"""

from __future__ import annotations

import struct

from storage.files.orientation import orientation_block, orientation_of

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
MAX_XMP_BYTES = 0xFFFF - 2 - len(XMP_SIGNATURE)
"""A segment's length field counts itself and is 16 bits: 65,504 bytes of packet at most."""

_SOS, _EOI = 0xDA, 0xD9
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and the restart markers carry no length
_APP0, _APP1, _APP2, _APP14, _COM = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE


def rewrite_jpeg(data: bytes, xmp: bytes | None) -> bytes:
    """The JPEG without its metadata, with `xmp` (at most MAX_XMP_BYTES) in an APP1 segment when given."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    jfif: list[bytes] = []
    kept: list[bytes] = []
    orientation = 1
    pos = 2
    while True:
        marker, start, end = _next_segment(data, pos)
        segment, payload = data[start:end], data[start + 4 : end]
        if marker == _SOS:
            break
        if marker == _APP0 and payload.startswith(b"JFIF\x00") and not jfif:
            jfif.append(segment)
        elif marker == _APP1 and payload.startswith(b"Exif\x00\x00"):
            orientation = orientation_of(payload[6:])
        elif _draws(marker, payload):
            kept.append(segment)
        pos = end
    out = [b"\xff\xd8", *jfif]
    if orientation != 1:
        out.append(_segment(_APP1, b"Exif\x00\x00" + orientation_block(orientation)))
    if xmp is not None:
        if len(xmp) > MAX_XMP_BYTES:
            raise ValueError("the XMP packet is too large for one JPEG segment")
        out.append(_segment(_APP1, XMP_SIGNATURE + xmp))
    out.extend(kept)
    out.extend(_scans(data, start))
    return b"".join(out)


def _draws(marker: int, payload: bytes) -> bool:
    """Whether a segment before the scan is needed to show the pixels right (not metadata)."""
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    return marker == _APP14 or not (0xE0 <= marker <= 0xEF or marker == _COM)


def _scans(data: bytes, pos: int) -> list[bytes]:
    """From the first scan to the end marker: scans and the tables between them, metadata left out."""
    out: list[bytes] = []
    while pos < len(data):
        marker, start, end = _next_segment(data, pos)
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return out
        if not (0xE0 <= marker <= 0xEF or marker == _COM):
            out.append(data[start:end])
        pos = end
        if marker == _SOS:
            scan_end = _entropy_end(data, pos)
            out.append(data[pos:scan_end])
            pos = scan_end
    out.append(b"\xff\xd9")  # a truncated file still ends properly
    return out


def _entropy_end(data: bytes, pos: int) -> int:
    """Where a scan's entropy-coded data ends: the first marker that is not stuffing or a restart."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:  # fill bytes before a marker
            pos += 1
        else:
            return pos


def _next_segment(data: bytes, pos: int) -> tuple[int, int, int]:
    """(marker, start, end) of the segment at or after `pos`; fill bytes are skipped."""
    while pos < len(data) and data[pos] == 0xFF and pos + 1 < len(data) and data[pos + 1] == 0xFF:
        pos += 1
    if pos + 2 > len(data) or data[pos] != 0xFF:
        raise ValueError("not a JPEG marker where one was expected")
    marker = data[pos + 1]
    if marker in _STANDALONE or marker in (0xD8, _EOI):
        return marker, pos, pos + 2
    if pos + 4 > len(data):
        raise ValueError("a JPEG segment is cut short")
    (length,) = struct.unpack_from(">H", data, pos + 2)
    if length < 2 or pos + 2 + length > len(data):
        raise ValueError("a JPEG segment runs past the end of the file")
    return marker, pos, pos + 2 + length


def _segment(marker: int, payload: bytes) -> bytes:
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
