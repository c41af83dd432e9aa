"""AUTOMATIC1111's stealth-pnginfo extension: the `parameters` text hidden in the pixels' lowest bits.

What the extension (ashen-sensored/sd_webui_stealth_pnginfo) writes is one bit stream: a 15-byte
signature, a 32-bit big-endian count of payload bits, then the payload (UTF-8 text, or its gzip),
every byte most significant bit first. In `alpha` mode each pixel's alpha value carries one bit
(signatures `stealth_pnginfo`, `stealth_pngcomp` when gzipped); in `rgb` mode its red, green and blue
values carry three (`stealth_rgbinfo`, `stealth_rgbcomp`). Pixels are taken column by column: x outer,
y inner. NovelAI hides its chunks the same way, as JSON.

This module decodes the stream from the channel values in that order, so it is tested on plain
bytes; `png.hidden_text` takes the values from the pixels. Payload and gunzipped text are bounded.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

from storage.images.metadata.values import MAX_TEXT

Channel = Literal["alpha", "rgb"]

SIGNATURE_BITS = 15 * 8
HEADER_BITS = SIGNATURE_BITS + 32
MAX_PAYLOAD_BITS = 8 * 256_000  # a gzipped `parameters` text is a few kilobytes
_SIGNATURES: dict[Channel, dict[bytes, bool]] = {
    "alpha": {b"stealth_pnginfo": False, b"stealth_pngcomp": True},
    "rgb": {b"stealth_rgbinfo": False, b"stealth_rgbcomp": True},
}
# each channel value -> its lowest bit as an ASCII digit, so that int(..., 2) packs them in one pass
_LOWEST_BIT = bytes(b"01"[value & 1] for value in range(256))


@dataclass(frozen=True, slots=True)
class Header:
    """What the signature and length say: whether the payload is gzipped, and how many bits it has."""

    compressed: bool
    payload_bits: int

    @property
    def total_bits(self) -> int:
        return HEADER_BITS + self.payload_bits


def read_header(values: bytes, channel: Channel) -> Header | None:
    """The header at the start of `values` (channel values in write order); None without a signature."""
    if len(values) < HEADER_BITS:
        return None
    packed = _pack(values[:HEADER_BITS])
    compressed = _SIGNATURES[channel].get(packed[: SIGNATURE_BITS // 8])
    if compressed is None:
        return None
    return Header(compressed, int.from_bytes(packed[SIGNATURE_BITS // 8 :], "big"))


def decode(values: bytes, channel: Channel) -> str | None:
    """The text hidden in `values`; None when there is none, it is cut short, too long or not gzip."""
    header = read_header(values, channel)
    if header is None or not 0 < header.payload_bits <= MAX_PAYLOAD_BITS or len(values) < header.total_bits:
        return None
    payload = _pack(values[HEADER_BITS : header.total_bits - header.payload_bits % 8])
    if header.compressed:
        unzipped = _gunzip(payload)
        if unzipped is None:
            return None
        payload = unzipped
    return payload.decode("utf-8", "replace")


def _pack(values: bytes) -> bytes:
    """The lowest bit of each value, eight to a byte, the first one most significant."""
    if not values:
        return b""
    return int(values.translate(_LOWEST_BIT), 2).to_bytes(len(values) // 8, "big")


def _gunzip(data: bytes) -> bytes | None:
    """The gzip member's content, or None when it is damaged or inflates past MAX_TEXT bytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        text = inflater.decompress(data, MAX_TEXT + 1)
    except zlib.error:
        return None
    if len(text) > MAX_TEXT or not inflater.eof:
        return None
    return text
