"""The inputs of `assets`: the typed filter and the sort; they decode into the domain's."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

import strawberry

from domain.library.filters import AssetFilter as DomainAssetFilter
from domain.search.bounds import MAX_FILTER_VALUES
from domain.search.model import AssetSort as DomainAssetSort
from domain.search.model import SortField
from graph.processing.types import ProcessingStatus
from graph.relay.ids import decode_id, decode_optional_id
from graph.relay.scalars import BigInt
from graph.studio.enums import Platform

strawberry.enum(
    SortField,
    name="AssetSortField",
    description=(
        "What assets are ordered by, ties by id: CREATED_AT (when each entered the library: the id "
        "order), UPDATED_AT, NAME (regardless of case and Unicode form), BYTE_SIZE, RATING, RELEVANCE "
        "(how well each matches `search`; only with a search)."
    ),
)


@strawberry.enum(
    description="ASC: smallest, oldest or A first; DESC: largest, newest, Z or most relevant first."
)
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(
    description="The order of `assets`; cursors are bound to it (another order's is INVALID_INPUT)."
)
class AssetSort:
    field: SortField = strawberry.field(default=SortField.CREATED_AT, description="What to order by.")
    direction: SortDirection = strawberry.field(default=SortDirection.DESC, description="Which way.")

    def to_domain(self) -> DomainAssetSort:
        return DomainAssetSort(field=self.field, descending=self.direction is SortDirection.DESC)


def _ids(values: list[strawberry.ID] | None, type_name: str, *, field: str) -> tuple[int, ...]:
    """Database ids of a filter's list; a malformed one, or another type's, is NOT_FOUND naming the
    list, as a filter's single id is. Past the domain's bound only one more is decoded: enough for
    the domain to refuse the list's length."""
    return tuple(decode_id(v, type_name, field=field) for v in (values or [])[: MAX_FILTER_VALUES + 1])


def _utc(moment: datetime | None) -> datetime | None:
    # a time sent without an offset is read as UTC, as the API writes every time
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@strawberry.input(
    description="Narrows `assets`; every given condition must hold. Lists take at most 100 values."
)
class AssetFilter:
    folder_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets in this folder (directly, unless `includeSubfolders`)."
    )
    include_subfolders: bool = strawberry.field(
        default=False, description="With `folderId`: assets of its subfolders at any depth too."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets linked to this project."
    )
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only assets linked to any of these projects."
    )
    tag_id: strawberry.ID | None = strawberry.field(default=None, description="Only assets with this tag.")
    any_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only assets with at least one of these tags."
    )
    all_tag_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only assets with every one of these tags."
    )
    favourite: bool | None = strawberry.field(
        default=None, description="Only the viewer's favourites (true)."
    )
    rating_at_least: int | None = strawberry.field(
        default=None, description="Only assets rated this or higher (0 to 5)."
    )
    ai_generated: bool | None = strawberry.field(
        default=None,
        description=(
            "Only AI-made assets (true: saved from the Studio, or uploaded with another tool's"
            " generation metadata) or only the others (false)."
        ),
    )
    mime_types: list[str] | None = strawberry.field(
        default=None, description="Only assets of these media types (`image/png`, ...)."
    )
    created_since: datetime | None = strawberry.field(
        default=None, description="Only assets that entered the library at or after this time."
    )
    created_until: datetime | None = strawberry.field(
        default=None, description="Only assets that entered the library at or before this time."
    )
    updated_since: datetime | None = strawberry.field(
        default=None, description="Only assets last changed at or after this time."
    )
    updated_until: datetime | None = strawberry.field(
        default=None, description="Only assets last changed at or before this time."
    )
    min_byte_size: BigInt | None = strawberry.field(
        default=None, description="Only images of at least this many bytes."
    )
    max_byte_size: BigInt | None = strawberry.field(
        default=None, description="Only images of at most this many bytes."
    )
    sha256: str | None = strawberry.field(
        default=None, description="Only assets with exactly these bytes (their sha256, 64 hex digits)."
    )
    providers: list[str] | None = strawberry.field(
        default=None, description="Only assets generated by one of these image providers."
    )
    models: list[str] | None = strawberry.field(
        default=None, description="Only assets generated by one of these models."
    )
    seed: BigInt | None = strawberry.field(default=None, description="Only assets generated with this seed.")
    platforms: list[Platform] | None = strawberry.field(
        default=None, description="Only assets generated for one of these platforms."
    )
    brand_kit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets generated with this brand kit."
    )
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets generated in this session."
    )
    processing_statuses: list[ProcessingStatus] | None = strawberry.field(
        default=None,
        description="Only assets whose processing stands at one of these (PENDING: never queued too).",
    )
    trashed: bool = strawberry.field(default=False, description="List the trash instead of the live library.")

    def to_domain(self, member_id: int) -> DomainAssetFilter:
        return DomainAssetFilter(
            folder_id=decode_optional_id(self.folder_id, "Folder", field="filter.folderId"),
            include_subfolders=self.include_subfolders,
            project_id=decode_optional_id(self.project_id, "Project", field="filter.projectId"),
            project_ids=_ids(self.project_ids, "Project", field="filter.projectIds"),
            tag_id=decode_optional_id(self.tag_id, "Tag", field="filter.tagId"),
            any_tag_ids=_ids(self.any_tag_ids, "Tag", field="filter.anyTagIds"),
            all_tag_ids=_ids(self.all_tag_ids, "Tag", field="filter.allTagIds"),
            favourite_of=member_id if self.favourite else None,
            rating_at_least=self.rating_at_least,
            ai_generated=self.ai_generated,
            mime_types=tuple(self.mime_types or ()),
            created_since=_utc(self.created_since),
            created_until=_utc(self.created_until),
            updated_since=_utc(self.updated_since),
            updated_until=_utc(self.updated_until),
            min_byte_size=self.min_byte_size,
            max_byte_size=self.max_byte_size,
            sha256=self.sha256,
            providers=tuple(self.providers or ()),
            models=tuple(self.models or ()),
            seed=self.seed,
            platforms=tuple(self.platforms or ()),
            brand_kit_id=decode_optional_id(self.brand_kit_id, "BrandKit", field="filter.brandKitId"),
            session_id=decode_optional_id(self.session_id, "Session", field="filter.sessionId"),
            processing_statuses=tuple(s.to_domain() for s in self.processing_statuses or ()),
            trashed=self.trashed,
        )
