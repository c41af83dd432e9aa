"""Events of processing: a subject's renditions and facts are ready, or processing gave up on it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetProcessed(DomainEvent):
    """The asset's renditions and facts are ready (processingStatus READY)."""

    type = "asset.processed"
    subject_type = "Asset"
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationProcessed(DomainEvent):
    """The generation's renditions and facts are ready (processingStatus READY)."""

    type = "generation.processed"
    subject_type = "Generation"
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetUnprocessable(DomainEvent):
    """Processing the asset failed for good (processingStatus FAILED); `error` is its code."""

    type = "asset.unprocessable"
    subject_type = "Asset"
    attempts: int
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationUnprocessable(DomainEvent):
    """Processing the generation failed for good (processingStatus FAILED); `error` is its code."""

    type = "generation.unprocessable"
    subject_type = "Generation"
    attempts: int
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRequeued(DomainEvent):
    """A member asked for the asset to be processed again (processingStatus back to PENDING)."""

    type = "asset.requeued"
    subject_type = "Asset"


PROCESSED = {"asset": AssetProcessed, "generation": GenerationProcessed}
UNPROCESSABLE = {"asset": AssetUnprocessable, "generation": GenerationUnprocessable}
