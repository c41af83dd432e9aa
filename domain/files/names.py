"""File names made from names people typed: safe on every file system and in every header."""

from __future__ import annotations

import re
import unicodedata

EXTENSIONS = {"image/png": (".png",), "image/jpeg": (".jpg", ".jpeg", ".jpe"), "image/webp": (".webp",)}
"""The extensions a file of each media type may have; a name without one gets the first."""

MAX_STEM_BYTES = 200
"""In UTF-8: with an extension and a counter (`-12`) still under every file system's 255 bytes."""

_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³"]
)
"""Windows refuses these as names whatever their extension (`CON.png` too)."""

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
"""Separators, the characters Windows refuses, and the C0 controls (NUL, CR, LF, ...)."""


def file_name(name: str, mime_type: str, *, fallback: str) -> str:
    """A file name for an image called `name`: no separator, control or reserved name, bounded length.

    The extension comes from the media type (a name that ends with one of its extensions,
    in any case, keeps it);
    what is left of the name when it is cleaned is at most MAX_STEM_BYTES long, and
    `fallback` stands in when nothing is left (a name of dots, slashes or spaces).
    """
    extensions = EXTENSIONS.get(mime_type, ("",))
    stem = "".join(
        "_" if _FORBIDDEN.match(ch) else ch
        for ch in unicodedata.normalize("NFC", name)
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn") or ch == "\u200d"
    )
    extension = extensions[0]
    for known in extensions:
        if known and stem.lower().endswith(known):
            stem, extension = stem[: -len(known)], stem[-len(known) :]
            break
    # leading dots hide a file or climb (`..`); trailing dots and spaces are dropped by Windows
    stem = stem.strip().strip(".").strip()
    stem = stem.encode()[:MAX_STEM_BYTES].decode(errors="ignore").rstrip(". ")
    if not stem.strip("_") or stem.split(".")[0].upper().rstrip() in _RESERVED:
        stem = fallback if not stem.strip("_") else f"_{stem}"
    return stem + extension


def ascii_file_name(name: str) -> str:
    """The ASCII stand-in of a file name, for clients that cannot read RFC 5987's `filename*`."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""

    def fold(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._ ()+,=@-]", "_", ascii_text).strip(" .")

    return (fold(stem) or "file") + (f".{fold(extension)}" if fold(extension) else "")
