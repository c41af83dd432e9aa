"""What a file request names, who may make it, and what is served back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.kernel.access import Actor

DIGITAL_SOURCE_TYPE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
"""IPTC's Digital Source Type for media made by a trained model (a full URI, as XMP wants it)."""


class FileKind(StrEnum):
    """Whose file it is; the value is the URL's path segment (`/files/assets/...`)."""

    ASSET = "assets"
    GENERATION = "generations"


class Variant(StrEnum):
    """Which form of the image: the original, or a WebP rendition by its long edge (processing's sizes)."""

    ORIGINAL = "original"
    W256 = "w256"
    W1024 = "w1024"

    @property
    def rendition_size(self) -> int | None:
        """The rendition's long edge in pixels; None for the original."""
        return None if self is Variant.ORIGINAL else int(self.value[1:])

    @classmethod
    def of_rendition(cls, size: int) -> Variant:
        """The variant that serves the rendition of that size."""
        return cls(f"w{size}")


@dataclass(frozen=True, slots=True)
class FileRef:
    """One file: the asset's or generation's id, and the variant."""

    kind: FileKind
    id: int
    variant: Variant


@dataclass(frozen=True, slots=True)
class LinkGrant:
    """What a verified signed link grants: one file of one organisation until `expires_at`.

    The signature itself is checked by the layer that made it (it holds the key); the
    domain only keeps the rule that a link opens nothing once expired.
    """

    org_id: int
    ref: FileRef
    expires_at: datetime
    content: str | None = None
    """A prefix of the blob key the link was made for (renditions): the link then opens those bytes
    or nothing, so what it answers never changes and may be cached as immutable."""

    def is_expired(self, now: datetime) -> bool:
        """Whether the link no longer opens its file."""
        return self.expires_at <= now


Access = Actor | LinkGrant
"""Who asks for a file: a member through a bearer token, or anyone holding a signed link."""


@dataclass(frozen=True, slots=True)
class XmpProvenance:
    """The IPTC fields written into an AI-generated original's XMP packet (IPTC Photo Metadata 2025.1)."""

    system: str
    """`Iptc4xmpExt:AISystemUsed`: the provider that made it."""
    system_version: str
    """`Iptc4xmpExt:AISystemVersionUsed`: the provider's model."""
    prompt: str
    """`Iptc4xmpExt:AIPromptInformation`: the prompt, then the negative prompt."""
    prompt_writer: str
    """`Iptc4xmpExt:AIPromptWriterName`: the member who wrote the prompt; empty when unknown."""
    source_type: str = DIGITAL_SOURCE_TYPE_AI
    """`Iptc4xmpExt:DigitalSourceType`."""

    @classmethod
    def of(
        cls, *, provider: str, model: str, prompt: str, negative_prompt: str, writer: str
    ) -> XmpProvenance:
        """The fields of a generation's (or an AI asset's frozen) provenance."""
        information = prompt if not negative_prompt else f"{prompt}\nNegative prompt: {negative_prompt}"
        return cls(provider, model, information, writer)


@dataclass(frozen=True, slots=True)
class Original:
    """The stored bytes behind a file: blob area and key, media type, and what to write into it."""

    area: str
    blob_key: str
    mime_type: str
    provenance: XmpProvenance | None


@dataclass(frozen=True, slots=True)
class PreparedFile:
    """A file ready to be sent as it is: personal data gone, provenance written.

    `location` is the adapter's handle (a path on the local disk); `tag` changes whenever
    the bytes do, so it makes a strong ETag.
    """

    location: str
    size: int
    tag: str


@dataclass(frozen=True, slots=True)
class ServedFile:
    """What a file request answers: the prepared bytes, their media type and the name to save them under."""

    file: PreparedFile
    mime_type: str
    filename: str
