"""Real and hostile image files, built in memory for upload tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin

A1111 = (
    "a cozy reading nook with warm light, watercolor\n"
    "Negative prompt: blurry, text\n"
    'Steps: 28, Sampler: DPM++ 2M, CFG scale: 6, Seed: 424242, Size: 96x64, Model: "dreamshaper, v8", Version: 1.9'
)


def png(
    width: int = 96, height: int = 64, *, text: dict[str, str] | None = None, color=(200, 120, 40)
) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg(width: int = 80, height: int = 60, **metadata: bytes) -> bytes:
    """A JPEG; `metadata` may give `exif`, `comment` or `xmp` bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 90)).save(out, format="JPEG", quality=80, **metadata)
    return out.getvalue()


def webp(width: int = 80, height: int = 60, **metadata: bytes) -> bytes:
    """A WebP; `metadata` may give `exif` or `xmp` bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 20, 200)).save(out, format="WEBP", **metadata)
    return out.getvalue()


def exif(*, ifd0: dict[int, object] | None = None, exif_ifd: dict[int, object] | None = None) -> bytes:
    """An EXIF block holding the given tags (IFD0, and the Exif IFD)."""
    block = Image.Exif()
    for tag, value in (ifd0 or {}).items():
        block[tag] = value
    for tag, value in (exif_ifd or {}).items():
        block.get_ifd(0x8769)[tag] = value
    return block.tobytes()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header that declares a huge image, with one tiny, bogus data chunk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def png_with_text_bomb(decompressed: int = 50_000_000) -> bytes:
    """A small PNG whose zTXt chunk inflates to `decompressed` bytes."""
    good = png(8, 8)
    bomb = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * decompressed, 9))
    return good[:33] + bomb + good[33:]  # right after IHDR


def animated_webp(frames: int) -> bytes:
    images = [Image.new("RGB", (4, 4), (i % 256, 0, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="WEBP", save_all=True, append_images=images[1:], duration=10, lossless=True)
    return out.getvalue()


def tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="TIFF")
    return out.getvalue()


SVG = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>&x;</text></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
PSD = b"8BPS\x00\x01" + b"\x00" * 64
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
FITS = b"SIMPLE  =                    T" + b" " * 50


def photo(width: int = 300, height: int = 200, *, orientation: int = 1, gps: bool = True) -> bytes:
    """A JPEG as a phone makes it: left half red, right half blue, an EXIF orientation, GPS, owner and serial."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (width // 2, 0, width, height))
    block = Image.Exif()
    block[0x0112] = orientation  # Orientation
    block[0x013B] = "Jane Photographer"  # Artist
    block.get_ifd(0x8769)[0xA431] = "SN-123456"  # BodySerialNumber
    if gps:
        block.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=block.tobytes())
    return out.getvalue()
