"""PNG: the text chunks (tEXt, zTXt, iTXt) where most tools write, and the text hidden in the pixels."""

from __future__ import annotations

import contextlib
from typing import Any

from PIL import Image, PngImagePlugin

from storage.images.metadata import stealth
from storage.images.metadata.values import repair_utf8


def text_chunks(image: Image.Image) -> dict[str, str]:
    """Every text chunk of the image, decoded (other formats give their string `info` entries)."""
    chunks: dict[Any, Any] = dict(image.info)
    if isinstance(image, PngImagePlugin.PngImageFile):
        # text chunks after the image data only appear once the file has been read to its end
        with contextlib.suppress(Exception):
            chunks.update(image.text)
    return {
        # iTXt is UTF-8 by the standard; tEXt/zTXt come back as Latin-1 and may be mis-decoded
        key: str(value) if isinstance(value, PngImagePlugin.iTXt) else repair_utf8(value)
        for key, value in chunks.items()
        if isinstance(key, str) and isinstance(value, str)
    }


def hidden_text(image: Image.Image) -> str | None:
    """The text stealth pnginfo hid in the pixels' lowest bits, if any.

    Reads the header's pixels, then exactly as many more as the header announces, at most
    `stealth.MAX_PAYLOAD_BITS` bits: a few million pixels, whatever the image's size.
    """
    if image.mode not in ("RGBA", "RGB"):
        return None
    channels: tuple[stealth.Channel, ...] = ("alpha", "rgb") if image.mode == "RGBA" else ("rgb",)
    for channel in channels:
        header = stealth.read_header(_values(image, channel, stealth.HEADER_BITS), channel)
        if header is None:
            continue
        if header.payload_bits > stealth.MAX_PAYLOAD_BITS:
            return None
        return stealth.decode(_values(image, channel, header.total_bits), channel)
    return None


def _values(image: Image.Image, channel: stealth.Channel, count: int) -> bytes:
    """The first `count` channel values in the extension's order: column by column, top to bottom."""
    per_pixel = 1 if channel == "alpha" else 3
    width, height = image.size
    columns, rows = divmod(-(-count // per_pixel), height)
    boxes = [(0, 0, min(columns, width), height)]
    if rows and columns < width:
        boxes.append((columns, 0, columns + 1, rows))  # the last column, only as far as needed
    values = b""
    for box in boxes:
        if box[2] > box[0]:
            region = image.crop(box)
            band = region.getchannel("A") if channel == "alpha" else region.convert("RGB")
            values += band.transpose(Image.Transpose.TRANSPOSE).tobytes()
    return values[:count]
