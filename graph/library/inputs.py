"""Filter inputs of the library's lists, and their decoding into domain filters."""

from __future__ import annotations

import strawberry

from domain.library.filters import AssetFilter as DomainAssetFilter
from domain.library.filters import ProjectFilter as DomainProjectFilter
from graph.relay.ids import decode_optional_id


@strawberry.input(description="Narrows `assets`; every given condition must hold.")
class AssetFilter:
    folder_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets directly in this folder."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets linked to this project."
    )
    tag_id: strawberry.ID | None = strawberry.field(default=None, description="Only assets with this tag.")
    favourite: bool | None = strawberry.field(
        default=None, description="Only the viewer's favourites (true)."
    )
    ai_generated: bool | None = strawberry.field(
        default=None, description="Only AI-made (true) or uploaded (false)."
    )
    trashed: bool = strawberry.field(default=False, description="List the trash instead of the live library.")

    def to_domain(self, member_id: int) -> DomainAssetFilter:
        return DomainAssetFilter(
            folder_id=decode_optional_id(self.folder_id, "Folder", field="filter.folderId"),
            project_id=decode_optional_id(self.project_id, "Project", field="filter.projectId"),
            tag_id=decode_optional_id(self.tag_id, "Tag", field="filter.tagId"),
            favourite_of=member_id if self.favourite else None,
            ai_generated=self.ai_generated,
            trashed=self.trashed,
        )


@strawberry.input(description="Narrows `projects`.")
class ProjectFilter:
    archived: bool | None = strawberry.field(
        default=None, description="Only archived (true) or active (false)."
    )

    def to_domain(self) -> DomainProjectFilter:
        return DomainProjectFilter(archived=self.archived)
