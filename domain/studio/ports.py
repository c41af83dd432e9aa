"""The Studio's ports: its repositories, its reads, the image providers and the upload inspector."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.kernel.media import ImageFacts, ImageRequest, MadeImage, SpooledFile
from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import BrandKit, Generation, LikeTally, ReviewState, Session, Upload
from domain.studio.writes import NewGeneration, NewSession, NewUpload


class ImageProvider(Protocol):
    """An image generator (built-in procedural, or an HTTP service); adapters raise ProviderFailed."""

    @property
    def name(self) -> str:
        """The provider's name, as recorded on each generation it makes."""
        ...

    @property
    def model(self) -> str:
        """The model's name, as recorded on each generation it makes."""
        ...

    def cost(self, request: ImageRequest) -> int:
        """Credits the request will cost, charged before `generate`; no I/O."""
        ...

    async def generate(self, request: ImageRequest) -> Sequence[MadeImage]:
        """At most `request.count` images; any failure raises ProviderFailed (never naming a key or
        the service's answer), and the images not made are refunded by the caller."""
        ...


class ImageInspector(Protocol):
    """Decides by the bytes whether a file is an allowed image; raises InvalidImage otherwise."""

    async def inspect(self, file: SpooledFile) -> ImageFacts:
        """The file's format, size, frames and embedded metadata, judged by its bytes (not its name or
        declared type); InvalidImage on the field `file` when it is not an allowed image within limits."""
        ...


class SessionRepository(Protocol):
    """Writes and transactional reads of Studio sessions."""

    async def get(self, org_id: int, session_id: int, *, for_update: bool = False) -> Session | None:
        """The organisation's session; None when there is none or it is another organisation's. With
        for_update, the row is locked until the transaction ends (PostgreSQL; SQLite's writer holds the
        database)."""
        ...

    async def add(self, session: NewSession) -> Session:
        """Create an open session; returns it with its id."""
        ...

    async def update(self, session: Session) -> None:
        """Store title, platform, brand kit, aspect ratio, state and closed_at, unconditionally (the
        caller holds the row: `get(..., for_update=True)`); scoped by the session's org_id."""
        ...


class GenerationRepository(Protocol):
    """Writes and transactional reads of generations."""

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Generation]:
        """The organisation's generations among these ids, by id; an unknown id, or another
        organisation's, is left out. With for_update, locked until the transaction ends, in id order
        so that two bulk changes never deadlock."""
        ...

    async def add(self, generation: NewGeneration) -> Generation:
        """Create a pending generation with its context assets (in the order given); returns it stored."""
        ...

    async def set_reviews(self, generations: Sequence[Generation], *, expected: ReviewState) -> set[int]:
        """Store each one's review fields and expiry where its state is still `expected` (compare-and-set),
        in one statement; returns the ids stored (one whose state moved meanwhile is left out and left
        alone). All of one organisation; an empty list is no statement."""
        ...

    async def set_escalation(self, generation: Generation) -> None:
        """Store its escalation (cleared when None), unconditionally; scoped by its org_id."""
        ...

    async def mark_saved(self, org_id: int, generation_id: int, asset_id: int) -> bool:
        """Link the asset unless another save did first (compare-and-set on `saved_asset_id`) and clear
        the expiry; True when this call linked it, False when saved before or not the organisation's."""
        ...

    async def mark_saved_many(self, org_id: int, asset_ids: Mapping[int, int]) -> set[int]:
        """`mark_saved` for each generation id of `asset_ids` (to its asset's id), in one statement;
        returns the generation ids linked now (a generation saved by another save first is left out)."""
        ...

    async def set_expiries(self, org_id: int, expiries: Mapping[int, datetime | None]) -> None:
        """Set each generation's expiry (None: kept), unconditionally, a statement per distinct value;
        ids not of the organisation are ignored."""
        ...

    async def in_session(self, org_id: int, session_id: int) -> Sequence[Generation]:
        """The session's generations, oldest first (id order); empty when none or not the organisation's."""
        ...

    async def context_assets(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, Sequence[int]]:
        """Each generation's context asset ids in the order given at generation; a generation without
        any is left out."""
        ...

    async def count_expired(self, now: datetime) -> int:
        """How many generations of any organisation `expired` would find (no limit)."""
        ...

    async def expired(self, now: datetime, *, limit: int) -> Sequence[Generation]:
        """At most `limit` generations of any organisation whose expiry has passed and that are not kept
        (unsaved, unapproved, unliked: `Generation.is_expired`, mirrored in SQL), soonest
        expiry first, then id."""
        ...

    async def delete_if_expired(self, generation: Generation, now: datetime) -> bool:
        """Delete it if it is still expired, unliked, unapproved and unsaved, the conditions checked in
        the DELETE itself (a like or a save since `expired` wins); True when deleted."""
        ...

    async def blobs_in_use(self, area: str, keys: Sequence[str]) -> set[str]:
        """Which of these keys a row of any organisation refers to (blobs are shared by content):
        generations or uploads not used yet (scratch: a used upload's file lives on in its generation
        or asset), assets (library), trashed ones too; empty keys, empty set."""
        ...


class LikeRepository(Protocol):
    """Per-member likes of generations."""

    async def add(self, org_id: int, member_id: int, generation_ids: Sequence[int], at: datetime) -> set[int]:
        """The member likes each; returns the ids liked now (not before). One INSERT that skips
        duplicates: the unique (org_id, generation_id, member_id), not a prior read, settles races."""
        ...

    async def remove(self, org_id: int, member_id: int, generation_ids: Sequence[int]) -> set[int]:
        """The member unlikes each; returns the ids this member had liked (others' likes stay)."""
        ...

    async def liked_by_anyone(self, org_id: int, generation_ids: Sequence[int]) -> set[int]:
        """Which of these generations at least one member of the organisation likes."""
        ...


class UploadRepository(Protocol):
    """Received image files waiting to be imported."""

    async def add(self, upload: NewUpload) -> Upload:
        """Store an unimported upload with its metadata; returns it with its id."""
        ...

    async def get(self, org_id: int, upload_id: int, *, for_update: bool = False) -> Upload | None:
        """The organisation's upload, imported or not; None when there is none or it is another
        organisation's. With for_update, locked until the transaction ends."""
        ...

    async def consume(self, org_id: int, upload_id: int, at: datetime) -> bool:
        """Mark it imported unless it already was (compare-and-set on `consumed_at`); True when this
        call consumed it, so one upload is imported once however many requests race."""
        ...

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Upload]:
        """The organisation's uploads among these ids (consumed ones too), by id, in one statement;
        others are left out. With for_update, locked until the transaction ends."""
        ...

    async def consume_many(self, org_id: int, ids: Sequence[int], at: datetime) -> set[int]:
        """Mark these uploads used in one statement, those not used yet only (compare-and-set on
        `consumed_at`); returns the ids this call consumed."""
        ...

    async def delete_expired(self, now: datetime, *, limit: int) -> Sequence[Upload]:
        """Delete at most `limit` unimported uploads of any organisation past their expiry, soonest
        expiry first; the conditions are checked again in the DELETE (an import may have consumed one
        meanwhile). Returns what was deleted, so the caller can drop the blobs."""
        ...


class StudioReads(Protocol):
    """Reads of brand kits, sessions and generations, each call one round trip."""

    async def brand_kits(self, org_id: int, page: PageRequest) -> Page[BrandKit]:
        """A page of the organisation's brand kits by name (name key, then id)."""
        ...

    async def count_brand_kits(self, org_id: int) -> int:
        """How many brand kits the organisation has."""
        ...

    async def brand_kits_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, BrandKit]:
        """The organisation's brand kits among these ids, by id; others are left out."""
        ...

    async def sessions(self, org_id: int, filter: SessionFilter, page: PageRequest) -> Page[Session]:
        """A page of the organisation's sessions that pass the filter, newest first (id descending)."""
        ...

    async def count_sessions(self, org_id: int, filter: SessionFilter) -> int:
        """How many of the organisation's sessions pass the filter."""
        ...

    async def sessions_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Session]:
        """The organisation's sessions among these ids, by id; others are left out."""
        ...

    async def generations(self, org_id: int, filter: GenerationFilter, page: PageRequest) -> Page[Generation]:
        """A page of the organisation's generations that pass the filter, newest first (id descending)."""
        ...

    async def count_generations(self, org_id: int, filter: GenerationFilter) -> int:
        """How many of the organisation's generations pass the filter."""
        ...

    async def generation_pages(
        self, org_id: int, session_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Generation]]:
        """The same page (newest first, past `page.after`) of each session's generations, in one query;
        a session with none on it is left out."""
        ...

    async def count_session_generations(self, org_id: int, session_ids: Sequence[int]) -> Mapping[int, int]:
        """How many generations each session has; a session with none is left out (zero)."""
        ...

    async def session_generation_rows(
        self, org_id: int, member_id: int, session_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        """The page of one session's generations that `generation_pages` answers, as projected rows; the
        extras are `like_count` and `liked_by_viewer` (whether `member_id` likes it)."""
        ...

    async def generations_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Generation]:
        """The organisation's generations among these ids, by id; others are left out."""
        ...

    async def context_assets_of_generations(
        self, org_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]:
        """Each generation's context asset ids in the order given, trashed assets left out (they leave every
        list but the trash); a generation without any is left out."""
        ...

    async def like_counts(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, int]:
        """How many members like each generation; an unliked one is left out (zero)."""
        ...

    async def like_tallies(
        self, org_id: int, member_id: int, generation_ids: Sequence[int]
    ) -> Mapping[int, LikeTally]:
        """How many members like each generation and whether `member_id` does, in one read (a Studio
        page shows both); an unliked one is left out."""
        ...
