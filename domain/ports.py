"""The ports the domain needs from the outside world; `storage/` implements them.

Every method that touches an organisation's rows takes `org_id` first: nothing is
read or written without the tenant it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Literal, Protocol, Self

from domain.access import Role
from domain.events import Event
from domain.filters import AssetFilter, GenerationFilter, ProjectFilter, SessionFilter
from domain.media import EmbeddedMetadata, ImageFacts, ImageRequest, MadeImage, SpooledFile, StoredBlob
from domain.model.library import Asset, Folder, Project, Tag
from domain.model.organisation import ApiToken, Member, Organisation
from domain.model.studio import BrandKit, Generation, ReviewState, Session, Upload
from domain.pagination import Page, PageRequest
from domain.writes import IdempotentResult, NewAsset, NewGeneration, NewSession, NewUpload

__all__ = ["EmbeddedMetadata", "ImageFacts", "ImageRequest", "MadeImage", "SpooledFile", "StoredBlob"]

AssetGroup = Literal["folder", "project", "tag"]
"""A relation that groups assets: folder.assets, project.assets, tag.assets."""


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


class BlobStore(Protocol):
    """Content-addressed bytes in areas: `scratch` for generations, `library` for assets."""

    async def put(self, area: str, data: bytes) -> StoredBlob: ...

    async def adopt(self, area: str, file: SpooledFile) -> StoredBlob:
        """Move a spooled file into the store under its sha256 (no copy)."""
        ...

    async def read(self, area: str, key: str) -> bytes: ...

    async def stale_keys(self, area: str, *, untouched_for: timedelta, limit: int) -> Sequence[str]:
        """Keys of blobs not stored (or stored again) for that long: the candidates of the orphan sweep."""
        ...

    async def copy(self, from_area: str, to_area: str, keys: Sequence[str]) -> None:
        """Make blobs of one area available in another (cheaply: the bytes never change)."""
        ...

    async def delete(self, area: str, key: str, *, unless_stored_within: timedelta | None = None) -> bool:
        """Delete a blob (unless it was stored, or stored again, within the given time); True if deleted."""
        ...


class Clock(Protocol):
    """The current time, replaceable in tests."""

    def now(self) -> datetime: ...


class OrganisationRepository(Protocol):
    """Writes and transactional reads of organisations."""

    async def get(self, org_id: int) -> Organisation | None: ...

    async def get_by_slug(self, slug: str) -> Organisation | None: ...

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation: ...

    async def spend_credits(self, org_id: int, amount: int) -> bool:
        """Add to the credits spent unless that would pass the budget; False when it would."""
        ...

    async def refund_credits(self, org_id: int, amount: int) -> None: ...

    async def reserve_storage(self, org_id: int, byte_count: int) -> bool:
        """Add to the storage used unless that would pass the quota; False when it would."""
        ...


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

    async def set_review(self, generation: Generation, *, expected: ReviewState) -> bool:
        """Store the review fields if the state is still `expected` (compare-and-set)."""
        ...

    async def set_escalation(self, generation: Generation) -> None: ...

    async def mark_saved(self, org_id: int, generation_id: int, asset_id: int) -> bool:
        """Link the asset unless another save did first (compare-and-set); clears the expiry."""
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


class LibraryRepository(Protocol):
    """Writes and transactional reads of assets, folders, projects and tags."""

    async def folder(self, org_id: int, folder_id: int) -> Folder | None: ...

    async def brand_kit(self, org_id: int, brand_kit_id: int) -> BrandKit | None: ...

    async def projects(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]: ...

    async def assets(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]: ...

    async def ensure_tags(
        self, org_id: int, names: Sequence[str], at: datetime
    ) -> tuple[Sequence[Tag], set[int]]:
        """The tags of these names (created when new), and the ids of those created now; case-insensitive."""
        ...

    async def add_asset(self, asset: NewAsset) -> Asset: ...

    async def add_folder(self, org_id: int, name: str, parent_id: int | None, at: datetime) -> Folder | None:
        """Create a folder; None when a sibling already has the name (regardless of case)."""
        ...

    async def add_project(self, org_id: int, name: str, description: str, at: datetime) -> Project | None:
        """Create a project; None when one already has the name (regardless of case)."""
        ...


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


class IdempotencyRepository(Protocol):
    """Remembers the result of a request sent with an idempotency key."""

    async def get(self, org_id: int, scope: str, key: str) -> IdempotentResult | None: ...

    async def put(self, org_id: int, scope: str, key: str, result: IdempotentResult, at: datetime) -> bool:
        """Remember the result; False when the key was taken meanwhile (by a concurrent twin)."""
        ...


class MemberRepository(Protocol):
    """Writes and transactional reads of members."""

    async def get_by_email(self, org_id: int, email: str) -> Member | None: ...

    async def add(
        self, org_id: int, *, name: str, email: str, role: Role, created_at: datetime
    ) -> Member: ...


class TokenRepository(Protocol):
    """Writes and transactional reads of API tokens."""

    async def add(
        self,
        org_id: int,
        *,
        member_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken: ...

    async def get_by_hash(self, token_hash: str) -> ApiToken | None: ...

    async def get(self, token_id: int) -> ApiToken | None: ...

    async def revoke(self, org_id: int, token_id: int, *, at: datetime) -> bool:
        """Mark revoked unless it already is; True when this call revoked it."""
        ...


class UnitOfWork(Protocol):
    """One transaction: repositories that share it, events recorded in it, commit or roll back."""

    @property
    def organisations(self) -> OrganisationRepository: ...

    @property
    def members(self) -> MemberRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def generations(self) -> GenerationRepository: ...

    @property
    def likes(self) -> LikeRepository: ...

    @property
    def library(self) -> LibraryRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def uploads(self) -> UploadRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def record(self, event: Event) -> None:
        """Queue an event; it is written by `commit`, in the same transaction as the change."""
        ...

    async def commit(self) -> None: ...


class TokenGrant(Protocol):
    """A token together with its member's role, as authentication needs them."""

    @property
    def token(self) -> ApiToken: ...

    @property
    def role(self) -> Role: ...


class DirectoryReads(Protocol):
    """Reads of organisations, members and credentials outside any transaction."""

    async def grant_for_token_hash(self, token_hash: str) -> TokenGrant | None: ...

    async def organisation(self, org_id: int) -> Organisation | None: ...

    async def members_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Member]: ...


class LibraryReads(Protocol):
    """Reads of assets, folders, projects and tags, each call one round trip."""

    async def assets(self, org_id: int, filter: AssetFilter, page: PageRequest) -> Page[Asset]: ...

    async def count_assets(self, org_id: int, filter: AssetFilter) -> int: ...

    async def asset_pages(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Asset]]:
        """The first page of each group's live assets, in one query."""
        ...

    async def count_asset_groups(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int]
    ) -> Mapping[int, int]: ...

    async def assets_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]: ...

    async def tags_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, Sequence[Tag]]: ...

    async def projects_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Project]]: ...

    async def context_assets_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]: ...

    async def favourited(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]: ...

    async def folders(self, org_id: int, parent_id: int | None, page: PageRequest) -> Page[Folder]: ...

    async def count_folders(self, org_id: int, parent_id: int | None) -> int: ...

    async def folders_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]: ...

    async def children_of_folders(
        self, org_id: int, parent_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Folder]]: ...

    async def folder_paths(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Sequence[Folder]]:
        """Each folder's ancestors from the root down, ending with the folder itself."""
        ...

    async def projects(self, org_id: int, filter: ProjectFilter, page: PageRequest) -> Page[Project]: ...

    async def count_projects(self, org_id: int, filter: ProjectFilter) -> int: ...

    async def projects_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]: ...

    async def tags(self, org_id: int, page: PageRequest) -> Page[Tag]: ...

    async def count_tags(self, org_id: int) -> int: ...

    async def tags_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]: ...


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


class Reads(Protocol):
    """All read ports, as the composition root hands them to the GraphQL layer."""

    @property
    def directory(self) -> DirectoryReads: ...

    @property
    def library(self) -> LibraryReads: ...

    @property
    def studio(self) -> StudioReads: ...
