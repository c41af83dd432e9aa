"""Value objects about images and files that cross the ports: requests, made images, uploads, blobs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """What a provider is asked to draw."""

    prompt: str
    negative_prompt: str
    width: int
    height: int
    count: int
    seed: int


@dataclass(frozen=True, slots=True)
class MadeImage:
    """One image a provider made."""

    data: bytes
    mime_type: str
    width: int
    height: int
    seed: int | None


@dataclass(frozen=True, slots=True)
class EmbeddedMetadata:
    """What another tool wrote into an image file about how it was made; empty fields when unknown."""

    tool: str | None = None
    prompt: str = ""
    negative_prompt: str = ""
    seed: int | None = None
    model: str = ""
    texts: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """Every text read from the file (all text chunks, EXIF strings, XMP, text hidden in the pixels, and
    the runs of printable text in its bytes and its compressed containers), raw, for the credential
    guard: never stored, compared or shown (a repr could reach a log)."""


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What inspecting an uploaded file found: an allowed format within the limits, and its metadata."""

    mime_type: str
    width: int
    height: int
    frames: int
    metadata: EmbeddedMetadata


@dataclass(frozen=True, slots=True)
class SpooledFile:
    """An upload received to a temporary file, hashed while it streamed in."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Where bytes landed in the blob store: their sha256 key and size."""

    key: str
    size: int
