"""Library mutations: saveToLibrary, editing assets, and organising folders, projects and tags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.library import model as m
from domain.library.services import KEEP, BulkEdit, SaveOptions
from graph.library.inputs import (
    AssetIdsInput,
    CreateFolderInput,
    CreateProjectInput,
    CreateTagInput,
    DeleteFolderInput,
    DeleteTagInput,
    MergeTagsInput,
    MoveFolderInput,
    ProjectAssetsInput,
    ProjectIdInput,
    RateAssetsInput,
    RenameFolderInput,
    RenameTagInput,
    SaveToLibraryInput,
    UpdateAssetInput,
    UpdateAssetsInput,
    UpdateProjectInput,
)
from graph.library.payloads import (
    AssetPayload,
    AssetsPayload,
    DeleteFolderPayload,
    DeleteTagPayload,
    FolderPayload,
    ProjectAssetsPayload,
    ProjectPayload,
    SaveToLibraryPayload,
    TagPayload,
)
from graph.library.types import Asset, Folder, Project, Tag
from graph.relay.ids import decode_id, decode_id_list, decode_optional_id
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError


@strawberry.type
class LibraryMutations:
    @strawberry.mutation(description="Create a folder (EDITOR role or above).")
    async def create_folder(
        self, info: Info, input: Annotated[CreateFolderInput, strawberry.argument(description="The folder.")]
    ) -> FolderPayload:
        ctx = info.context
        call = ctx.services.library.create_folder(
            ctx.actor,
            name=input.name,
            parent_id=decode_optional_id(input.parent_id, "Folder", field="parentId"),
        )
        folder, errors = await attempt(call)
        return FolderPayload(folder=Folder.from_domain(folder) if folder else None, user_errors=errors)

    @strawberry.mutation(
        description="Rename a folder (EDITOR role or above); a sibling with the name is CONFLICT."
    )
    async def rename_folder(
        self, info: Info, input: Annotated[RenameFolderInput, strawberry.argument(description="The change.")]
    ) -> FolderPayload:
        ctx = info.context
        call = ctx.services.library.rename_folder(
            ctx.actor, folder_id=decode_id(input.id, "Folder", field="id"), name=input.name
        )
        folder, errors = await attempt(call)
        return FolderPayload(folder=Folder.from_domain(folder) if folder else None, user_errors=errors)

    @strawberry.mutation(
        description="Move a folder with its subfolders and assets under another folder or to the root "
        "(EDITOR role or above)."
    )
    async def move_folder(
        self, info: Info, input: Annotated[MoveFolderInput, strawberry.argument(description="The move.")]
    ) -> FolderPayload:
        ctx = info.context
        call = ctx.services.library.move_folder(
            ctx.actor,
            folder_id=decode_id(input.id, "Folder", field="id"),
            parent_id=decode_optional_id(input.parent_id, "Folder", field="parentId"),
        )
        folder, errors = await attempt(call)
        return FolderPayload(folder=Folder.from_domain(folder) if folder else None, user_errors=errors)

    @strawberry.mutation(
        description="Delete a folder (EDITOR role or above): an empty one as it is, one with content only "
        "with `moveContentTo`, where its subfolders and assets move in the same transaction."
    )
    async def delete_folder(
        self, info: Info, input: Annotated[DeleteFolderInput, strawberry.argument(description="The folder.")]
    ) -> DeleteFolderPayload:
        ctx = info.context
        call = ctx.services.library.delete_folder(
            ctx.actor,
            folder_id=decode_id(input.id, "Folder", field="id"),
            move_content_to=KEEP
            if input.move_content_to is strawberry.UNSET
            else decode_optional_id(input.move_content_to, "Folder", field="moveContentTo"),
        )
        folder, errors = await attempt(call)
        return DeleteFolderPayload(deleted_folder_id=input.id if folder else None, user_errors=errors)

    @strawberry.mutation(description="Create a project (EDITOR role or above).")
    async def create_project(
        self,
        info: Info,
        input: Annotated[CreateProjectInput, strawberry.argument(description="The project.")],
    ) -> ProjectPayload:
        ctx = info.context
        call = ctx.services.library.create_project(ctx.actor, name=input.name, description=input.description)
        project, errors = await attempt(call)
        return ProjectPayload(project=Project.from_domain(project) if project else None, user_errors=errors)

    @strawberry.mutation(
        description="Change a project's name or description (EDITOR role or above); another project with "
        "the name is CONFLICT."
    )
    async def update_project(
        self, info: Info, input: Annotated[UpdateProjectInput, strawberry.argument(description="The change.")]
    ) -> ProjectPayload:
        ctx = info.context
        call = ctx.services.library.update_project(
            ctx.actor,
            project_id=decode_id(input.id, "Project", field="id"),
            name=KEEP if input.name is strawberry.UNSET or input.name is None else input.name,
            description=KEEP if input.description is strawberry.UNSET else input.description,
        )
        project, errors = await attempt(call)
        return ProjectPayload(project=Project.from_domain(project) if project else None, user_errors=errors)

    @strawberry.mutation(
        description="Archive a project (EDITOR role or above): it takes no more assets; its links stay. "
        "Archiving an archived project changes nothing."
    )
    async def archive_project(
        self, info: Info, input: Annotated[ProjectIdInput, strawberry.argument(description="The project.")]
    ) -> ProjectPayload:
        ctx = info.context
        call = ctx.services.library.archive_project(
            ctx.actor, project_id=decode_id(input.id, "Project", field="id")
        )
        project, errors = await attempt(call)
        return ProjectPayload(project=Project.from_domain(project) if project else None, user_errors=errors)

    @strawberry.mutation(description="Make an archived project active again (EDITOR role or above).")
    async def unarchive_project(
        self, info: Info, input: Annotated[ProjectIdInput, strawberry.argument(description="The project.")]
    ) -> ProjectPayload:
        ctx = info.context
        call = ctx.services.library.unarchive_project(
            ctx.actor, project_id=decode_id(input.id, "Project", field="id")
        )
        project, errors = await attempt(call)
        return ProjectPayload(project=Project.from_domain(project) if project else None, user_errors=errors)

    @strawberry.mutation(
        description="Link 1-500 assets to a project, all or none (EDITOR role or above); links that exist "
        "stay. An archived project is INVALID_STATE, a trashed asset too."
    )
    async def link_assets_to_project(
        self, info: Info, input: Annotated[ProjectAssetsInput, strawberry.argument(description="The links.")]
    ) -> ProjectAssetsPayload:
        ctx = info.context
        call = ctx.services.library.link_assets_to_project(
            ctx.actor,
            project_id=decode_id(input.project_id, "Project", field="projectId"),
            asset_ids=decode_id_list(input.asset_ids, "Asset"),
        )
        return _project_assets(*await attempt(call, {"assetIds": input.asset_ids}))

    @strawberry.mutation(
        description="Unlink 1-500 assets from a project, all or none (EDITOR role or above); an asset not "
        "linked stays as it is."
    )
    async def unlink_assets_from_project(
        self, info: Info, input: Annotated[ProjectAssetsInput, strawberry.argument(description="The links.")]
    ) -> ProjectAssetsPayload:
        ctx = info.context
        call = ctx.services.library.unlink_assets_from_project(
            ctx.actor,
            project_id=decode_id(input.project_id, "Project", field="projectId"),
            asset_ids=decode_id_list(input.asset_ids, "Asset"),
        )
        return _project_assets(*await attempt(call, {"assetIds": input.asset_ids}))

    @strawberry.mutation(
        description="Create a tag (EDITOR role or above); one that looks the same exists already is CONFLICT."
    )
    async def create_tag(
        self, info: Info, input: Annotated[CreateTagInput, strawberry.argument(description="The tag.")]
    ) -> TagPayload:
        ctx = info.context
        tag, errors = await attempt(ctx.services.library.create_tag(ctx.actor, name=input.name))
        return TagPayload(tag=Tag.from_domain(tag) if tag else None, user_errors=errors)

    @strawberry.mutation(description="Rename a tag (EDITOR role or above); another tag's name is CONFLICT.")
    async def rename_tag(
        self, info: Info, input: Annotated[RenameTagInput, strawberry.argument(description="The change.")]
    ) -> TagPayload:
        ctx = info.context
        call = ctx.services.library.rename_tag(
            ctx.actor, tag_id=decode_id(input.id, "Tag", field="id"), name=input.name
        )
        tag, errors = await attempt(call)
        return TagPayload(tag=Tag.from_domain(tag) if tag else None, user_errors=errors)

    @strawberry.mutation(
        description="Merge two tags (EDITOR role or above): every asset of the source gets the target "
        "(once), and the source is deleted, in one transaction. Returns the target."
    )
    async def merge_tags(
        self, info: Info, input: Annotated[MergeTagsInput, strawberry.argument(description="The tags.")]
    ) -> TagPayload:
        ctx = info.context
        call = ctx.services.library.merge_tags(
            ctx.actor,
            source_id=decode_id(input.source_id, "Tag", field="sourceId"),
            target_id=decode_id(input.target_id, "Tag", field="targetId"),
        )
        tag, errors = await attempt(call)
        return TagPayload(tag=Tag.from_domain(tag) if tag else None, user_errors=errors)

    @strawberry.mutation(description="Delete a tag and its links; the assets stay (EDITOR role or above).")
    async def delete_tag(
        self, info: Info, input: Annotated[DeleteTagInput, strawberry.argument(description="The tag.")]
    ) -> DeleteTagPayload:
        ctx = info.context
        call = ctx.services.library.delete_tag(ctx.actor, tag_id=decode_id(input.id, "Tag", field="id"))
        tag, errors = await attempt(call)
        return DeleteTagPayload(deleted_tag_id=input.id if tag else None, user_errors=errors)

    @strawberry.mutation(
        description="Rename an asset, change its description or alt text, or move it to a folder (EDITOR "
        "role or above). A trashed asset is INVALID_STATE."
    )
    async def update_asset(
        self, info: Info, input: Annotated[UpdateAssetInput, strawberry.argument(description="The change.")]
    ) -> AssetPayload:
        ctx = info.context
        call = ctx.services.library.update_asset(
            ctx.actor,
            asset_id=decode_id(input.id, "Asset", field="id"),
            name=KEEP if input.name is strawberry.UNSET or input.name is None else input.name,
            description=KEEP if input.description is strawberry.UNSET else input.description,
            alt_text=KEEP if input.alt_text is strawberry.UNSET or input.alt_text is None else input.alt_text,
            folder_id=KEEP
            if input.folder_id is strawberry.UNSET
            else decode_optional_id(input.folder_id, "Folder", field="folderId"),
        )
        asset, errors = await attempt(call)
        return AssetPayload(asset=Asset.from_domain(asset) if asset else None, user_errors=errors)

    @strawberry.mutation(
        description="Move 1-500 assets to a folder, add or remove tags (by id or by name), link or unlink "
        "projects, all or none (EDITOR role or above). Links that exist stay; a trashed asset is "
        "INVALID_STATE; an asset that changes (moved, re-tagged, linked) gets a new `updatedAt`."
    )
    async def update_assets(
        self, info: Info, input: Annotated[UpdateAssetsInput, strawberry.argument(description="The change.")]
    ) -> AssetsPayload:
        ctx = info.context
        edit = BulkEdit(
            folder_id=KEEP
            if input.folder_id is strawberry.UNSET
            else decode_optional_id(input.folder_id, "Folder", field="folderId"),
            add_tags=tuple(input.add_tags),
            remove_tag_ids=tuple(decode_id_list(input.remove_tag_ids, "Tag")),
            remove_tags=tuple(input.remove_tags),
            add_project_ids=tuple(decode_id_list(input.add_project_ids, "Project")),
            remove_project_ids=tuple(decode_id_list(input.remove_project_ids, "Project")),
        )
        call = ctx.services.library.update_assets(
            ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"), edit=edit
        )
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Make 1-500 assets the caller's own favourites, all or none (any role: favourites are "
        "personal). Favouriting again changes nothing; a trashed asset is INVALID_STATE."
    )
    async def favourite_assets(
        self, info: Info, input: Annotated[AssetIdsInput, strawberry.argument(description="The assets.")]
    ) -> AssetsPayload:
        ctx = info.context
        call = ctx.services.library.favourite_assets(ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"))
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Remove 1-500 assets from the caller's favourites, all or none (any role); one that is "
        "not a favourite stays as it is."
    )
    async def unfavourite_assets(
        self, info: Info, input: Annotated[AssetIdsInput, strawberry.argument(description="The assets.")]
    ) -> AssetsPayload:
        ctx = info.context
        call = ctx.services.library.unfavourite_assets(
            ctx.actor, asset_ids=decode_id_list(input.ids, "Asset")
        )
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Rate 1-500 assets 0 (not rated) to 5, all or none (EDITOR role or above)."
    )
    async def rate_assets(
        self, info: Info, input: Annotated[RateAssetsInput, strawberry.argument(description="The rating.")]
    ) -> AssetsPayload:
        ctx = info.context
        call = ctx.services.library.rate_assets(
            ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"), rating=input.rating
        )
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Save generations to the library as permanent assets with their provenance, all or none "
        "(EDITOR role or above). A generation already saved returns its asset."
    )
    async def save_to_library(
        self,
        info: Info,
        input: Annotated[SaveToLibraryInput, strawberry.argument(description="What to save, and where.")],
    ) -> SaveToLibraryPayload:
        ctx = info.context
        project_ids = decode_id_list(input.project_ids, "Project")
        options = SaveOptions(
            folder_id=decode_optional_id(input.folder_id, "Folder", field="folderId"),
            project_ids=tuple(project_ids),
            tags=tuple(input.tags),
            name=input.name,
            description=input.description,
            alt_text=input.alt_text,
        )
        call = ctx.services.library.save(
            ctx.actor,
            generation_ids=decode_id_list(input.generation_ids, "Generation"),
            options=options,
            idempotency_key=input.idempotency_key,
        )
        given = {"generationIds": input.generation_ids, "projectIds": input.project_ids}
        assets, errors = await attempt(call, given)
        return SaveToLibraryPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)


def _project_assets(
    result: tuple[m.Project, Sequence[m.Asset]] | None, errors: list[UserError]
) -> ProjectAssetsPayload:
    if result is None:
        return ProjectAssetsPayload(project=None, assets=[], user_errors=errors)
    project, assets = result
    return ProjectAssetsPayload(
        project=Project.from_domain(project),
        assets=[Asset.from_domain(a) for a in assets],
        user_errors=errors,
    )
