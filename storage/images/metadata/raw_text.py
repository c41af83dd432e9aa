"""Text anywhere in a file's bytes, and inside the compressed containers the format readers skip.

The format readers parse the places tools write to; a credential may sit anywhere else: an
IPTC caption in a JPEG's APP13, an APP9 segment, a PNG chunk keyword, an iTXt translated
keyword, a private chunk, bytes after IEND, an ICC profile's description. So the guard also
sees, like `strings`, every run of printable text in the raw bytes (ASCII and UTF-8; UTF-16
in either byte order, for the ASCII range), and the same runs inside what a PNG compresses
(zTXt, compressed iTXt, iCCP; ImageMagick's hex "Raw profile type" chunks decoded).

Everything is bounded: at most `budget` characters of runs (`TooMuchText` beyond), each
compressed container inflated to at most `max_inflated` bytes and all of them together to
at most `budget` bytes (`TooMuchText` naming the chunk beyond). The search for runs uses
bytes.find over a one-byte-per-byte class map, far faster than a regular expression over a
character class (a 50 MB file in about a tenth of a second rather than a second or more).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MIN_RUN = 8

# printable ASCII (tab included) -> "a", NUL -> "z", every other byte -> "\x00"
_CLASSES = bytes(
    ord("a") if byte == 0x09 or 0x20 <= byte <= 0x7E else ord("z") if byte == 0 else 0 for byte in range(256)
)
_ASCII_SEED = b"a" * MIN_RUN
# UTF-16 of the ASCII range alternates text and NUL bytes, in either byte order: MIN_RUN
# characters with a NUL between each two, then as many more as follow
_UTF16_SEED = b"az" * (MIN_RUN - 1) + b"a"
_UTF16_MORE = re.compile(rb"(?:za)*")
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UTF8_RUN = re.compile(
    rb"(?:[\t\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+"
)
# ImageMagick keeps EXIF, IPTC and other profiles in PNG text chunks as hex: "\nexif\n    1234\n4578..."
_RAW_PROFILE_KEYWORD = b"Raw profile type "
_RAW_PROFILE = re.compile(rb"\s*[A-Za-z0-9_-]{1,32}\s+\d{1,10}\s+")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]+")


class TooMuchText(Exception):
    """More text, or more inflated bytes, than the bound; the message says which (never the text)."""


@dataclass(frozen=True, slots=True)
class Container:
    """A PNG chunk whose content the format readers may not see as text: its type and content."""

    kind: str
    content: bytes


class Runs:
    """Runs of printable text gathered from several byte strings, within one budget of characters."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.runs: list[str] = []
        self.size = 0

    def add_from(self, data: bytes) -> None:
        """Every run of at least MIN_RUN printable characters in `data`: UTF-8 (ASCII), then UTF-16."""
        if len(data) < MIN_RUN:
            return
        classes = data.translate(_CLASSES)
        self._utf8(data, classes)
        self._utf16(data, classes)

    def text(self) -> str:
        """The runs, one per line, as `strings` prints them."""
        return "\n".join(self.runs)

    def _add(self, run: str) -> None:
        self.size += len(run)
        if self.size > self.budget:
            raise TooMuchText(f"the file holds more than {self.budget:,} characters of text")
        self.runs.append(run)

    def _utf8(self, data: bytes, classes: bytes) -> None:
        # a run is found by its first MIN_RUN ASCII characters in a row, then widened on both sides
        # over UTF-8 characters, so that a key split by a zero-width space stays one run
        done = 0
        while (seed := classes.find(_ASCII_SEED, done)) >= 0:
            start = _utf8_start(data, seed, done)
            found = _UTF8_RUN.match(data, start)
            end = found.end() if found else seed + MIN_RUN
            run = data[start:end].decode("utf-8", "replace")
            if len(run) >= MIN_RUN:
                self._add(run)
            done = end

    def _utf16(self, data: bytes, classes: bytes) -> None:
        # ICC v4 descriptions are UTF-16BE, Windows' EXIF fields UTF-16LE; for ASCII text the byte
        # order does not matter: the characters are the bytes between the NULs
        done = 0
        while (seed := classes.find(_UTF16_SEED, done)) >= 0:
            more = _UTF16_MORE.match(classes, seed + len(_UTF16_SEED))
            end = more.end() if more else seed + len(_UTF16_SEED)
            self._add(data[seed:end:2].decode("ascii"))
            done = end


def _utf8_start(data: bytes, start: int, floor: int) -> int:
    """Where the run of printable UTF-8 ending with data[start:] begins, not before `floor`."""
    while start > floor:
        byte = data[start - 1]
        if byte == 0x09 or 0x20 <= byte <= 0x7E:
            start -= 1
            continue
        lead = start - 1
        while lead > floor and start - lead < 4 and 0x80 <= data[lead] <= 0xBF:
            lead -= 1
        if _UTF8_CHAR.fullmatch(data, lead, start) is None:
            break
        start = lead
    return start


def png_containers(data: bytes, *, max_inflated: int, budget: int) -> Iterator[Container]:
    """The content of every compressed text, ICC profile and hex profile of a PNG, wherever it sits.

    Walks the chunks from the signature on, after IEND too, until the structure ends; a
    container that does not inflate is left to the raw scan. Raises TooMuchText when one
    container inflates beyond `max_inflated` bytes, or all of them beyond `budget`.
    """
    at, total = 8, 0
    while at + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        body = data[at + 8 : at + 8 + length]
        at += 12 + length
        content = _content(kind, body, max_inflated)
        if content is None:
            continue
        total += len(content)
        if total > budget:
            raise TooMuchText(
                f"its compressed text is too large: more than {budget:,} bytes once decompressed, "
                "all chunks together"
            )
        yield Container(kind.decode("latin-1"), content)


def _content(kind: bytes, body: bytes, max_inflated: int) -> bytes | None:
    keyword, _, rest = body.partition(b"\x00")
    if kind in (b"zTXt", b"iCCP"):
        content = _inflate(kind, rest[1:], max_inflated)
    elif kind == b"iTXt":
        compressed = rest[:1] == b"\x01"
        text = rest[2:].split(b"\x00", 2)[-1]  # after the language tag and the translated keyword
        content = _inflate(kind, text, max_inflated) if compressed else text
    elif kind == b"tEXt":
        content = rest
    else:
        return None
    if content is not None and keyword.startswith(_RAW_PROFILE_KEYWORD):
        return _unhex(content)
    return None if kind == b"tEXt" else content  # a plain tEXt is read by the raw scan itself


def _inflate(kind: bytes, compressed: bytes, max_inflated: int) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(compressed, max_inflated)
    except zlib.error:
        return None
    if inflater.unconsumed_tail:
        raise TooMuchText(
            f"its compressed text ({kind.decode('latin-1')} chunk) is too large: "
            f"more than {max_inflated:,} bytes once decompressed"
        )
    return content


def _unhex(content: bytes) -> bytes:
    header = _RAW_PROFILE.match(content)
    digits = _NOT_HEX.sub(b"", content[header.end() :] if header else content)
    try:
        return bytes.fromhex(digits[: len(digits) // 2 * 2].decode("ascii"))
    except ValueError:
        return content
