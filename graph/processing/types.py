"""Processing types: the status enum, an image's facts, its renditions."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain.processing import model as m


@strawberry.enum(description="Where the processing of an image (its thumbnails and facts) stands.")
class ProcessingStatus(Enum):
    PENDING = strawberry.enum_value(
        "pending", description="Queued; also between retries after a failed attempt."
    )
    PROCESSING = strawberry.enum_value("processing", description="A worker is on it now.")
    READY = strawberry.enum_value("ready", description="Thumbnails and facts are ready.")
    FAILED = strawberry.enum_value(
        "failed", description="Given up on: the file cannot be decoded, or every attempt failed."
    )

    @classmethod
    def of(cls, state: m.ProcessingState | None) -> ProcessingStatus:
        """The status a job's state shows, by the domain's rule (PENDING without a job)."""
        return cls[m.ProcessingStatus.of(state.state if state is not None else None).name]

    def to_domain(self) -> m.ProcessingStatus:
        return m.ProcessingStatus[self.name]


@strawberry.type(description="What processing learnt of an image.")
class ImageFacts:
    format: str = strawberry.field(description="The decoded format: PNG, JPEG or WEBP.")
    colour_mode: str = strawberry.field(
        description="Pillow's colour mode of the original: RGB, RGBA, L (grey), P (palette), CMYK ..."
    )
    dominant_colours: list[str] = strawberry.field(
        description="Up to five colours as `#rrggbb`, most common first."
    )
    perceptual_hash: str = strawberry.field(
        description="A 64-bit difference hash (dHash) as 16 hex digits: "
        "near-identical images differ in few bits."
    )

    @classmethod
    def from_domain(cls, f: m.ImageFacts) -> ImageFacts:
        return cls(
            format=f.format,
            colour_mode=f.colour_mode,
            dominant_colours=list(f.dominant_colours),
            perceptual_hash=f.perceptual_hash_hex,
        )


@strawberry.type(description="A WebP copy of an image, its metadata (EXIF, GPS, XMP) stripped.")
class Rendition:
    size: int = strawberry.field(
        description="The long edge asked for (256 or 1024); a smaller original keeps its own size."
    )
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    byte_size: int = strawberry.field(description="Size of the WebP file in bytes.")
    stored: strawberry.Private[m.Rendition]
    """The domain's rendition, blob key included: `thumbnailUrl` links to its bytes."""

    @classmethod
    def from_domain(cls, r: m.Rendition) -> Rendition:
        return cls(size=r.size, width=r.width, height=r.height, byte_size=r.byte_size, stored=r)
