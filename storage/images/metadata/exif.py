"""EXIF, where JPEG and WebP files (and some PNGs) keep what the tools wrote, mapped onto PNG chunk names.

A1111, Fooocus and SwarmUI write UserComment (A1111 as UTF-16 behind `UNICODE\\0`, in the EXIF
block's byte order or not); ComfyUI's animated WebP writes its graphs into Make and Model; NovelAI
writes ImageDescription and a JSON UserComment; Fooocus names its scheme in MakerNote.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Mapping
from typing import Any

from PIL import Image

from storage.images.metadata.values import MAX_TEXT, Fields, chunk_map, repair_utf8

_EXIF_IFD = 0x8769
_USER_COMMENT = 0x9286
_IMAGE_DESCRIPTION = 0x010E
_MAKE = 0x010F
_MODEL = 0x0110
_SOFTWARE = 0x0131
_MAKER_NOTE = 0x927C
_GPS_IFD = 0x8825
_INTEROP_IFD = 0xA005
_XP_TAGS = range(0x9C9B, 0x9CA0)
# NovelAI pads ImageDescription with leading NULs; others leave NULs or blanks at either end
_PADDING = "\x00 \t\r\n"


def parse(data: bytes) -> Image.Exif:
    """The EXIF block (with or without its `Exif\\0\\0` prefix); SyntaxError and the like when broken."""
    exif = Image.Exif()
    exif.load(data)
    return exif


def strings(exif: Image.Exif) -> list[str]:
    """Every text the block holds, in every IFD, decoded but not interpreted: what the guard must see.

    An IFD that cannot be read is skipped; what the others hold is still given.
    """
    found: list[str] = []
    ifds: list[Mapping[int, Any]] = [exif]
    for tag in (_EXIF_IFD, _GPS_IFD, _INTEROP_IFD):
        with contextlib.suppress(Exception):
            ifds.append(exif.get_ifd(tag))
    for ifd in ifds:
        for tag, value in ifd.items():
            if isinstance(value, str):
                found.append(value.strip(_PADDING))
            elif isinstance(value, bytes):
                found.append(_bytes_text(tag, value, big_endian=exif.endian == ">"))
    return [text for text in found if text]


def _bytes_text(tag: int, value: bytes, *, big_endian: bool) -> str:
    if tag == _USER_COMMENT:
        return user_comment(value, big_endian=big_endian, limit=None)
    if tag in _XP_TAGS:  # Windows' XPTitle, XPComment...: UTF-16LE
        return value.decode("utf-16-le", "replace").strip(_PADDING)
    return value.decode("latin-1").strip(_PADDING)  # binary or text: a credential is ASCII either way


def fields(exif: Image.Exif) -> Fields:
    """The texts tools write into EXIF, under the PNG chunk names the format readers know."""
    found: Fields = {}
    for tag in (_MODEL, _MAKE, _IMAGE_DESCRIPTION):
        value = exif.get(tag)
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            continue
        value = repair_utf8(value).strip(_PADDING)
        # ComfyUI's animated WebP writes its graphs as "prompt:{...}" / "workflow:{...}" here
        name, colon, rest = value.partition(":")
        if colon and name in ("prompt", "workflow"):
            found.setdefault(name, rest)
        elif tag == _IMAGE_DESCRIPTION:
            found.setdefault("Description", value)
    software = exif.get(_SOFTWARE)
    if isinstance(software, str) and len(software) <= MAX_TEXT:
        found.setdefault("Software", software.strip(_PADDING))
    scheme = exif.get(_MAKER_NOTE)
    if isinstance(scheme, bytes | str) and len(scheme) <= 16:
        # Fooocus names its metadata scheme here; a camera's maker note is a long binary blob
        scheme_text = scheme.decode("latin-1") if isinstance(scheme, bytes) else scheme
        if scheme_text.strip("\x00") in ("fooocus", "a1111"):
            found.setdefault("fooocus_scheme", scheme_text.strip("\x00"))
    # the Exif IFD is the standard place; Fooocus puts UserComment in IFD0
    raw = exif.get_ifd(_EXIF_IFD).get(_USER_COMMENT)
    if raw is None:
        raw = exif.get(_USER_COMMENT)
    comment = user_comment(raw, big_endian=exif.endian == ">")
    if not comment:
        return found
    # NovelAI's converted WebP keeps all its PNG chunks as one JSON object in UserComment
    for key, value in (chunk_map(comment) or {"parameters": comment}).items():
        found.setdefault(key, value)
    return found


def user_comment(raw: object, *, big_endian: bool, limit: int | None = MAX_TEXT) -> str:
    """The text of a UserComment, whatever its charset prefix says (and whether it says the truth).

    Empty when it is longer than `limit` characters (None: no limit).
    """
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bytes) and (limit is None or len(raw) <= 4 * limit):
        prefix, body = raw[:8], raw[8:]
        if prefix == b"UNICODE\x00":
            text = _utf16(body, big_endian=big_endian)
        elif prefix in (b"ASCII\x00\x00\x00", b"\x00" * 8, b"JIS\x00\x00\x00\x00\x00"):
            text = body.decode("utf-8", "replace")  # "ASCII" often carries UTF-8 in practice
        else:
            text = raw.decode("utf-8", "replace")  # Fooocus writes the text with no prefix
    else:
        return ""
    text = text.strip(_PADDING)
    return text if limit is None or len(text) <= limit else ""


def _utf16(body: bytes, *, big_endian: bool) -> str:
    """UTF-16 in whichever byte order reads as text.

    The text should follow the EXIF block's byte order (big-endian from A1111, little-endian from most
    others), but converters and re-savers do not always keep the two in step. So both orders are tried
    and the one with fewer impossible characters wins; the block's own order wins a tie.
    """
    body = body[: len(body) - len(body) % 2]
    first, second = ("utf-16-be", "utf-16-le") if big_endian else ("utf-16-le", "utf-16-be")
    preferred = body.decode(first, "replace")
    other = body.decode(second, "replace")
    return other if _oddness(other) < _oddness(preferred) else preferred


def _oddness(text: str) -> int:
    # ASCII read in the wrong byte order becomes U+xx00; NULs, surrogates and unassigned code points
    # are what random or mis-ordered bytes give. A sample is enough to tell the two apart.
    odd = 0
    for char in text[:4096]:
        code = ord(char)
        wrong_order = code == 0 or (code > 0xFF and code & 0xFF == 0)
        category = unicodedata.category(char)
        control = category == "Cc" and char not in "\t\n\r"
        if wrong_order or control or char == "\ufffd" or category in ("Cs", "Co", "Cn"):
            odd += 1
    return odd
