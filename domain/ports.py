"""The ports the domain needs from the outside world; `storage/` implements them.

Every method that touches an organisation's rows takes `org_id` first: nothing is
read or written without the tenant it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Literal, Protocol, Self

from domain.access import Role
from domain.events import Event
from domain.filters import AssetFilter, GenerationFilter, ProjectFilter, SessionFilter
from domain.model.library import Asset, Folder, Project, Tag
from domain.model.organisation import ApiToken, Member, Organisation
from domain.model.studio import BrandKit, Generation, Session
from domain.pagination import Page, PageRequest

AssetGroup = Literal["folder", "project", "tag"]
"""A relation that groups assets: folder.assets, project.assets, tag.assets."""


class Clock(Protocol):
    """The current time, replaceable in tests."""

    def now(self) -> datetime: ...


class OrganisationRepository(Protocol):
    """Writes and transactional reads of organisations."""

    async def get_by_slug(self, slug: str) -> Organisation | None: ...

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation: ...


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
