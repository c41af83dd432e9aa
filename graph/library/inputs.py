"""Inputs of the library's lists and mutations; the filters decode into domain filters."""

from __future__ import annotations

import strawberry

from domain.library.filters import ProjectFilter as DomainProjectFilter


@strawberry.input(description="Narrows `projects`.")
class ProjectFilter:
    archived: bool | None = strawberry.field(
        default=None, description="Only archived (true) or active (false)."
    )

    def to_domain(self) -> DomainProjectFilter:
        return DomainProjectFilter(archived=self.archived)


@strawberry.input(description="Generations to keep as library assets, and how to file them.")
class SaveToLibraryInput:
    generation_ids: list[strawberry.ID] = strawberry.field(
        description="Generation ids, 1 to 500; each at most once."
    )
    folder_id: strawberry.ID | None = strawberry.field(
        default=None, description="The folder; the root when omitted."
    )
    project_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Projects to link, up to 20."
    )
    tags: list[str] = strawberry.field(
        default_factory=list,
        description="Tag names, up to 20; new ones are created, matched regardless of case.",
    )
    name: str | None = strawberry.field(
        default=None, description="The asset name; the prompt's first clause if omitted."
    )
    description: str = strawberry.field(default="", description="What the asset is for.")
    alt_text: str | None = strawberry.field(
        default=None, description="Alt text; the review's alt text if omitted."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat a save safely: the same key and input return the same assets."
    )


@strawberry.input(description="A folder to create.")
class CreateFolderInput:
    name: str = strawberry.field(
        description="The folder's name, unique among its siblings regardless of case."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The parent; the root if omitted."
    )


@strawberry.input(description="A folder to rename.")
class RenameFolderInput:
    id: strawberry.ID = strawberry.field(description="The folder.")
    name: str = strawberry.field(description="The new name, unique among its siblings regardless of case.")


@strawberry.input(description="A folder to move, with everything it holds.")
class MoveFolderInput:
    id: strawberry.ID = strawberry.field(description="The folder.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The new parent; null or omitted for the root. Not the folder itself nor one of its "
        "subfolders (INVALID_INPUT).",
    )


@strawberry.input(description="A folder to delete, and where its content goes.")
class DeleteFolderInput:
    id: strawberry.ID = strawberry.field(description="The folder.")
    move_content_to: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where the subfolders and assets go: a folder, or null for the root. Required when "
        "the folder holds subfolders or live assets (else INVALID_STATE); not the folder itself nor one "
        "of its subfolders (INVALID_INPUT).",
    )


@strawberry.input(description="A project (campaign) to create.")
class CreateProjectInput:
    name: str = strawberry.field(description="The project's name, unique regardless of case.")
    description: str = strawberry.field(default="", description="What the campaign is about.")


@strawberry.input(description="A change to a project; fields left out stay as they are.")
class UpdateProjectInput:
    id: strawberry.ID = strawberry.field(description="The project.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new name, unique regardless of case; null or omitted keeps the name.",
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new description; null clears it, omitted keeps it."
    )


@strawberry.input(description="A project to archive or unarchive.")
class ProjectIdInput:
    id: strawberry.ID = strawberry.field(description="The project.")


@strawberry.input(description="Assets to link to a project, or to unlink from it.")
class ProjectAssetsInput:
    project_id: strawberry.ID = strawberry.field(description="The project.")
    asset_ids: list[strawberry.ID] = strawberry.field(description="Asset ids, 1 to 500; each at most once.")


@strawberry.input(description="A tag to create.")
class CreateTagInput:
    name: str = strawberry.field(description="The tag's name, unique regardless of case and Unicode form.")


@strawberry.input(description="A tag to rename.")
class RenameTagInput:
    id: strawberry.ID = strawberry.field(description="The tag.")
    name: str = strawberry.field(description="The new name; one another tag has is CONFLICT (merge instead).")


@strawberry.input(description="Two tags to merge into one.")
class MergeTagsInput:
    source_id: strawberry.ID = strawberry.field(description="The tag that goes; its assets get the target.")
    target_id: strawberry.ID = strawberry.field(description="The tag that stays; not the source.")


@strawberry.input(description="A tag to delete.")
class DeleteTagInput:
    id: strawberry.ID = strawberry.field(description="The tag; its links to assets go with it.")


@strawberry.input(description="A change to an asset; fields left out stay as they are.")
class UpdateAssetInput:
    id: strawberry.ID = strawberry.field(description="The asset; not one in the trash (INVALID_STATE).")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new name; null or omitted keeps the name."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new description; null clears it, omitted keeps it."
    )
    alt_text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="New alt text, by the review's rules, not the prompt copied; null or omitted keeps it.",
    )
    folder_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The folder to move the asset to; null for the root, omitted stays.",
    )


@strawberry.input(description="One change to many assets, all or none; lists left out change nothing.")
class UpdateAssetsInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Asset ids, 1 to 500; each at most once, none in the trash (INVALID_STATE)."
    )
    folder_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The folder to move them to; null for the root, omitted stays."
    )
    add_tags: list[str] = strawberry.field(
        default_factory=list,
        description="Tag names to add, up to 20; new ones are created, matched regardless of case.",
    )
    remove_tag_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Tags to remove, up to 20."
    )
    remove_tags: list[str] = strawberry.field(
        default_factory=list,
        description="Tags to remove by name, up to 20, matched regardless of case; an unknown name is "
        "NOT_FOUND. Both lists may be given.",
    )
    add_project_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Projects to link, up to 20; not archived ones (INVALID_STATE)."
    )
    remove_project_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Projects to unlink, up to 20."
    )


@strawberry.input(description="Assets to favourite or unfavourite.")
class AssetIdsInput:
    ids: list[strawberry.ID] = strawberry.field(description="Asset ids, 1 to 500; each at most once.")


@strawberry.input(description="Assets to rate.")
class RateAssetsInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Asset ids, 1 to 500; each at most once, none in the trash (INVALID_STATE)."
    )
    rating: int = strawberry.field(description="The rating, 0 (not rated) to 5.")
