"""PNG text chunks (tEXt, zTXt, iTXt), where most tools write, as name -> text."""

from __future__ import annotations

import contextlib
from typing import Any

from PIL import Image, PngImagePlugin

from storage.image_metadata.values import repair_utf8


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
