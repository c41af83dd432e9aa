"""What the library's mutations answer: the changed objects, or why nothing changed."""

from __future__ import annotations

import strawberry

from graph.library.types import Asset, Folder, Project, Tag
from graph.relay.user_error import UserError


@strawberry.type(description="The saved assets, or why the save was refused (then nothing was saved).")
class SaveToLibraryPayload:
    assets: list[Asset] = strawberry.field(
        description="One asset per generation, in input order; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why the save was refused; empty on success.")


@strawberry.type(description="The folder deleted, or why not (then nothing changed).")
class DeleteFolderPayload:
    deleted_folder_id: strawberry.ID | None = strawberry.field(
        description="The id the deleted folder had; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(
    description="The project and the assets given, or why the change was refused (then nothing changed)."
)
class ProjectAssetsPayload:
    project: Project | None = strawberry.field(description="The project; null when refused.")
    assets: list[Asset] = strawberry.field(
        description="The assets given, in input order; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, each bad asset named by `index` and `id`; empty on success."
    )


@strawberry.type(description="The tag, or why the change was refused (then nothing changed).")
class TagPayload:
    tag: Tag | None = strawberry.field(description="The tag; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The tag deleted, or why not (then nothing changed).")
class DeleteTagPayload:
    deleted_tag_id: strawberry.ID | None = strawberry.field(
        description="The id the deleted tag had; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The asset, or why the change was refused (then nothing changed).")
class AssetPayload:
    asset: Asset | None = strawberry.field(description="The asset; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The assets changed, or why the change was refused (then nothing changed).")
class AssetsPayload:
    assets: list[Asset] = strawberry.field(
        description="The assets given, in input order; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, each bad asset named by `index` and `id`; empty on success."
    )


@strawberry.type(description="The folder created, or why not.")
class FolderPayload:
    folder: Folder | None = strawberry.field(description="The folder; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The project created, or why not.")
class ProjectPayload:
    project: Project | None = strawberry.field(description="The project; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")
