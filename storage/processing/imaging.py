"""What a pool process does to one original: one decode, WebP renditions, facts. Pillow lives here.

`render_file` runs in a process of the pool (spawned: it imports this module afresh), so it
takes plain paths and returns plain, picklable data; an expected failure comes back as a
`ProcessingError` value rather than an exception, whose pickling would lose its code.
Renditions go into the blob store from here, atomically (temp file, fsync, rename), so a
process killed mid-image leaves at most a temp file the orphan sweep removes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from PIL import Image, ImageOps, UnidentifiedImageError

from domain.processing.model import (
    RENDITIONS_AREA,
    ImageFacts,
    ProcessedImage,
    ProcessingError,
    Rendition,
)
from storage.blobs.local import LocalBlobStore
from storage.images.inspector import MAX_FRAMES, MAX_PIXELS

FORMATS = ["PNG", "JPEG", "WEBP"]  # what uploads and providers are allowed to store
WEBP_QUALITY = 80
DOMINANT_COLOURS = 5
_HASH_BITS = 64


def render_file(source: str, blob_root: str, sizes: Sequence[int]) -> ProcessedImage | ProcessingError:
    """Decode `source` once and make its renditions (stored under `blob_root`) and facts."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or getattr(image, "n_frames", 1) > MAX_FRAMES:
                    return ProcessingError.UNREADABLE_IMAGE
                fmt, mode = image.format or "", image.mode
                # JPEG: decode at the smallest scale still covering the largest rendition
                image.draft("RGB", (max(sizes), max(sizes)))
                image.load()
                base = _displayable(ImageOps.exif_transpose(image))
    except FileNotFoundError:
        return ProcessingError.SOURCE_MISSING
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        EOFError,
    ):
        return ProcessingError.UNREADABLE_IMAGE
    store = LocalBlobStore(Path(blob_root))
    renditions = []
    current = base
    for size in sorted(set(sizes), reverse=True):  # each from the one above: cheaper, same quality
        current = _fit(current, size)
        data = _webp(current, icc=base.info.get("icc_profile"))
        blob = store.put_blocking(RENDITIONS_AREA, data)
        renditions.append(Rendition(size, current.width, current.height, blob.key, blob.size))
    # the hash from the full decode, not a rendition: it then equals imagehash's dhash bit for bit
    facts = ImageFacts(fmt, mode, dominant_colours(current), difference_hash(base))
    return ProcessedImage(facts, tuple(sorted(renditions, key=lambda r: r.size)))


def _displayable(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency: what WebP stores."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if transparent else "RGB"
    if image.mode == target:
        return image
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda v: v / 256).convert("L")  # 16-bit grey: scale, don't clip
    return image.convert(target)


def _fit(image: Image.Image, size: int) -> Image.Image:
    """The image with its long edge at most `size`; never upscaled."""
    scale = size / max(image.size)
    if scale >= 1:
        return image
    target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _webp(image: Image.Image, *, icc: bytes | None) -> bytes:
    """WebP bytes with no EXIF or XMP (GPS, serials, names stay behind); the colour profile is kept."""
    clean = image.copy()
    clean.info = {}  # resize and copy carry the original's info (exif, xmp): drop it all
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": WEBP_QUALITY, "method": 4, "exif": b"", "xmp": ""}
    if icc:
        options["icc_profile"] = icc
    clean.save(buffer, "WEBP", **options)
    return buffer.getvalue()


def dominant_colours(image: Image.Image, count: int = DOMINANT_COLOURS) -> tuple[str, ...]:
    """Up to `count` colours as `#rrggbb`, most common first, from a 64 px copy quantised."""
    small = image.convert("RGB")
    small.thumbnail((64, 64))
    quantised = small.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    used = cast(list[tuple[int, int]], sorted(quantised.getcolors() or [], reverse=True))  # (count, index)
    return tuple(
        "#{:02x}{:02x}{:02x}".format(*palette[index * 3 : index * 3 + 3]) for _, index in used[:count]
    )


def difference_hash(image: Image.Image) -> int:
    """A 64-bit dHash, as imagehash's `dhash` computes it: grey at 9x8, a 1 where a pixel's right
    neighbour is brighter, row by row, first bit highest; returned signed (a BIGINT either way)."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (right > left)
    return value - (1 << _HASH_BITS) if value >= 1 << (_HASH_BITS - 1) else value
