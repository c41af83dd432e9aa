"""Deciding whether uploaded bytes are an image we accept, with Pillow, bounded in time and memory.

The format is decided by the file's first bytes (PNG, JPEG, WebP only: no SVG, TIFF,
PSD, EPS or FITS, whatever the name says). Size and frame limits are checked from the
header, before any pixel is decoded; only then is the image decoded in full, which is
what finds truncated or corrupt files.
"""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import replace

from PIL import Image, PngImagePlugin

from domain.kernel.errors import InvalidImage
from domain.kernel.media import ImageFacts, SpooledFile
from storage.images.metadata import read_metadata
from storage.images.metadata.raw_text import Runs, TooMuchText, png_containers

MAX_PIXELS = 40_000_000
MAX_FRAMES = 100
MAX_TEXT_CHUNK = 1_000_000  # decompressed bytes of one PNG text chunk (a zip bomb would be far larger)
# characters of metadata text in one file: all of it passes the credential guard, which must stay quick
MAX_METADATA_TEXT = 4_000_000
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}

PngImagePlugin.MAX_TEXT_CHUNK = MAX_TEXT_CHUNK


def sniff(head: bytes) -> str | None:
    """The format the leading bytes announce, among those accepted."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


class PillowInspector:
    """ImageInspector with Pillow."""

    def __init__(self, *, max_pixels: int = MAX_PIXELS, max_frames: int = MAX_FRAMES) -> None:
        self.max_pixels = max_pixels
        self.max_frames = max_frames

    async def inspect(self, file: SpooledFile) -> ImageFacts:
        return await asyncio.to_thread(self._inspect, file)

    def _inspect(self, file: SpooledFile) -> ImageFacts:
        if file.size == 0:
            raise InvalidImage("the file is empty", field="file")
        with open(file.path, "rb") as f:
            data = f.read()  # the upload cap bounds it; every byte is scanned for text below
        fmt = sniff(data[:16])
        if fmt is None:
            raise InvalidImage(
                "only PNG, JPEG and WebP images are accepted, decided by the file's bytes, not its name",
                field="file",
            )
        runs = Runs(MAX_METADATA_TEXT)
        try:
            if fmt == "PNG":
                # before Pillow, which would fail on a bomb with a bare ValueError, and skips what
                # follows IEND or repeats a keyword
                for container in png_containers(data, max_inflated=MAX_TEXT_CHUNK, budget=MAX_METADATA_TEXT):
                    runs.add_from(container.content)
        except TooMuchText as e:
            raise InvalidImage(f"the image is refused because {e}", field="file") from None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(file.path, formats=[fmt]) as image:
                    width, height = image.size
                    if width * height > self.max_pixels:
                        raise InvalidImage(
                            f"{width}x{height} is more than {self.max_pixels:,} pixels", field="file"
                        )
                    frames = getattr(image, "n_frames", 1)
                    if frames > self.max_frames:
                        raise InvalidImage(f"{frames} frames; at most {self.max_frames}", field="file")
                    image.load()  # decode fully: truncated and corrupt files fail here, not later
                    metadata = read_metadata(image)
                    if sum(map(len, metadata.texts)) > MAX_METADATA_TEXT:
                        raise InvalidImage(
                            f"the file carries more than {MAX_METADATA_TEXT:,} characters of metadata",
                            field="file",
                        )
                    icc = image.info.get("icc_profile")
                    if fmt != "PNG" and isinstance(icc, bytes):
                        runs.add_from(icc)  # JPEG splits it over APP2 segments, which would cut a run
                    # a catch-all: text the readers do not parse (other segments and chunks, chunk
                    # keywords, bytes after the image's end) still passes the credential guard
                    runs.add_from(data)
        except InvalidImage:
            raise
        except TooMuchText as e:
            raise InvalidImage(f"the image is refused because {e}", field="file") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidImage("the image declares too many pixels", field="file") from None
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as e:
            raise InvalidImage(
                f"the image is damaged or truncated ({type(e).__name__})", field="file"
            ) from None
        if runs.runs:
            metadata = replace(metadata, texts=(*metadata.texts, runs.text()))
        return ImageFacts(_MIME[fmt], width, height, frames, metadata)
