"""The Studio's ports: its repositories, its reads, the image providers and the upload inspector."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.kernel.media import ImageFacts, ImageRequest, MadeImage, SpooledFile
from domain.kernel.pagination import Page, PageRequest
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import BrandKit, Generation, ReviewState, Session, Upload
from domain.studio.writes import NewGeneration, NewSession, NewUpload


class ImageProvider(Protocol):
    """An image generator (built-in procedural, or an HTTP service); adapters raise ProviderFailed."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    def cost(self, request: ImageRequest) -> int:
        """Credits the request will cost."""
        ...

    async def generate(self, request: ImageRequest) -> Sequence[MadeImage]: ...


class ImageInspector(Protocol):
    """Decides by the bytes whether a file is an allowed image; raises InvalidImage otherwise."""

    async def inspect(self, file: SpooledFile) -> ImageFacts: ...


class SessionRepository(Protocol):
    """Writes and transactional reads of Studio sessions."""

    async def get(self, org_id: int, session_id: int, *, for_update: bool = False) -> Session | None: ...

    async def add(self, session: NewSession) -> Session: ...

    async def update(self, session: Session) -> None:
        """Store title, platform, brand kit, aspect ratio, state and closed_at."""
        ...


class GenerationRepository(Protocol):
    """Writes and transactional reads of generations."""

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Generation]:
        """The generations found; with for_update, locked until the transaction ends (in id order)."""
        ...

    async def add(self, generation: NewGeneration) -> Generation: ...

    async def set_reviews(self, generations: Sequence[Generation], *, expected: ReviewState) -> set[int]:
        """Store each one's review fields and expiry where its state is still `expected` (compare-and-set),
        in one statement; returns the ids stored. All of one organisation."""
        ...

    async def set_escalation(self, generation: Generation) -> None: ...

    async def mark_saved(self, org_id: int, generation_id: int, asset_id: int) -> bool:
        """Link the asset unless another save did first (compare-and-set); clears the expiry."""
        ...

    async def mark_saved_many(self, org_id: int, asset_ids: Mapping[int, int]) -> set[int]:
        """`mark_saved` for each generation id of `asset_ids` (to its asset's id), in one statement;
        returns the generation ids linked now (a generation saved by another save first is left out)."""
        ...

    async def set_expiries(self, org_id: int, expiries: Mapping[int, datetime | None]) -> None: ...

    async def in_session(self, org_id: int, session_id: int) -> Sequence[Generation]: ...

    async def context_assets(
        self, org_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]: ...

    async def count_expired(self, now: datetime) -> int: ...

    async def expired(self, now: datetime, *, limit: int) -> Sequence[Generation]:
        """Generations of any organisation whose expiry has passed, oldest first."""
        ...

    async def delete_if_expired(self, generation: Generation, now: datetime) -> bool:
        """Delete it if it is still expired, unliked, unapproved and unsaved; True when deleted."""
        ...

    async def blobs_in_use(self, area: str, keys: Sequence[str]) -> set[str]:
        """Which of these keys a row refers to: generations or uploads (scratch), assets (library)."""
        ...


class LikeRepository(Protocol):
    """Per-member likes of generations."""

    async def add(self, org_id: int, member_id: int, generation_ids: Sequence[int], at: datetime) -> set[int]:
        """Like each; returns the ids liked now (not before). A unique key settles races."""
        ...

    async def remove(self, org_id: int, member_id: int, generation_ids: Sequence[int]) -> set[int]:
        """Unlike each; returns the ids that were liked."""
        ...

    async def liked_by_anyone(self, org_id: int, generation_ids: Sequence[int]) -> set[int]: ...


class UploadRepository(Protocol):
    """Received image files waiting to be imported."""

    async def add(self, upload: NewUpload) -> Upload: ...

    async def get(self, org_id: int, upload_id: int, *, for_update: bool = False) -> Upload | None: ...

    async def consume(self, org_id: int, upload_id: int, at: datetime) -> bool:
        """Mark it imported unless it already was (compare-and-set)."""
        ...

    async def delete_expired(self, now: datetime, *, limit: int) -> Sequence[Upload]:
        """Delete unimported uploads past their expiry; returns what was deleted."""
        ...


class StudioReads(Protocol):
    """Reads of brand kits, sessions and generations, each call one round trip."""

    async def brand_kits(self, org_id: int, page: PageRequest) -> Page[BrandKit]: ...

    async def count_brand_kits(self, org_id: int) -> int: ...

    async def brand_kits_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, BrandKit]: ...

    async def sessions(self, org_id: int, filter: SessionFilter, page: PageRequest) -> Page[Session]: ...

    async def count_sessions(self, org_id: int, filter: SessionFilter) -> int: ...

    async def sessions_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Session]: ...

    async def generations(
        self, org_id: int, filter: GenerationFilter, page: PageRequest
    ) -> Page[Generation]: ...

    async def count_generations(self, org_id: int, filter: GenerationFilter) -> int: ...

    async def generation_pages(
        self, org_id: int, session_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Generation]]:
        """The first page of each session's generations, in one query."""
        ...

    async def count_session_generations(
        self, org_id: int, session_ids: Sequence[int]
    ) -> Mapping[int, int]: ...

    async def generations_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Generation]: ...

    async def context_assets_of_generations(
        self, org_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]: ...

    async def like_counts(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, int]: ...

    async def liked(self, org_id: int, member_id: int, generation_ids: Sequence[int]) -> set[int]: ...
