"""The one EXIF fact a download keeps: the orientation, without which a photo shows on its side.

Everything else in an EXIF block (GPS, serial numbers, owner and artist, maker notes) is
dropped by never copying the block: a new one holding only the orientation takes its place.
"""

from __future__ import annotations

import struct

_ORIENTATION = 0x0112
_SHORT = 3


def orientation_of(tiff: bytes) -> int:
    """The orientation (1-8) in a TIFF-structured EXIF block; 1, upright, when absent or unreadable."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return 1
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack_from(f"{order}I", tiff, 4)
    if offset + 2 > len(tiff):
        return 1
    (count,) = struct.unpack_from(f"{order}H", tiff, offset)
    for i in range(min(count, 1000)):
        entry = offset + 2 + 12 * i
        if entry + 12 > len(tiff):
            break
        tag, kind, _, value = struct.unpack_from(f"{order}HHIH", tiff, entry)
        if tag == _ORIENTATION and kind == _SHORT:
            return value if 1 <= value <= 8 else 1
    return 1


def orientation_block(orientation: int) -> bytes:
    """A TIFF-structured EXIF block (big-endian) with one tag, the orientation."""
    return b"MM\x00*" + struct.pack(">IHHHIHHI", 8, 1, _ORIENTATION, _SHORT, 1, orientation, 0, 0)
