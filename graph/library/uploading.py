"""addUploadsToLibrary: its input, its payload and the mutation; files received by `POST /uploads`
become library assets, deduplicated by content."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.library.services import SaveOptions, UploadItem
from graph.library.types import Asset
from graph.relay.ids import decode_id_list
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError


@strawberry.input(description="One received upload to add to the library, and how to file its asset.")
class UploadToLibraryInput:
    upload_id: strawberry.ID = strawberry.field(
        description="The upload, as `POST /uploads` answered it; used once (INVALID_STATE after)."
    )
    name: str | None = strawberry.field(
        default=None,
        description="The asset name; if omitted, the file's name without its extension, else the first "
        "clause of the prompt read from the file, else `Untitled upload`.",
    )
    description: str = strawberry.field(default="", description="What the asset is for.")
    alt_text: str | None = strawberry.field(
        default=None,
        description="Alt text by the review's rules; needed when the organisation requires alt text "
        "(ALT_TEXT_REQUIRED), unless the library holds the bytes already.",
    )
    folder_id: strawberry.ID | None = strawberry.field(
        default=None, description="The folder; the root when omitted."
    )
    project_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Projects to link, up to 20; not archived ones (INVALID_STATE)."
    )
    tags: list[str] = strawberry.field(
        default_factory=list,
        description="Tag names, up to 20 (100 distinct over the request); new ones are created, matched "
        "regardless of case.",
    )


@strawberry.input(description="Uploads to add to the library as assets.")
class AddUploadsToLibraryInput:
    items: list[UploadToLibraryInput] = strawberry.field(description="1 to 500 uploads, each at most once.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat the request safely: the same key and input give the same answer."
    )


@strawberry.type(description="What one upload became in the library.")
class UploadedAsset:
    asset: Asset = strawberry.field(description="The asset holding the upload's bytes.")
    deduplicated: bool = strawberry.field(
        description="True when the library already held these bytes in a live asset (or an earlier item "
        "of this request brought them): `asset` is that asset, unchanged, and nothing was stored or "
        "charged again. Show it as 'already in your library'."
    )


@strawberry.type(
    description="What the uploads became, or why the request was refused (then nothing changed)."
)
class AddUploadsToLibraryPayload:
    results: list[UploadedAsset] = strawberry.field(
        description="One per item, in input order; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, each bad item named by `index` and its `uploadId` as `id`; empty "
        "on success."
    )


def _item(given: UploadToLibraryInput) -> UploadItem:
    # a malformed id in an item is that item's NOT_FOUND, like an unknown one (0 matches nothing)
    folder = None if given.folder_id is None else decode_id_list([given.folder_id], "Folder")[0]
    options = SaveOptions(
        folder_id=folder,
        project_ids=tuple(decode_id_list(given.project_ids, "Project")),
        tags=tuple(given.tags),
        name=given.name,
        description=given.description,
        alt_text=given.alt_text,
    )
    return UploadItem(decode_id_list([given.upload_id], "Upload")[0], options)


@strawberry.type
class LibraryUploadMutations:
    @strawberry.mutation(
        description="Add received uploads to the library as assets, all or none (EDITOR role or above). "
        "A file with another tool's metadata (A1111, ComfyUI, InvokeAI, ...) becomes an AI-generated asset "
        "whose provenance holds what the file said; any other file a plain one. Bytes the library holds "
        "already in a live asset return that asset (`deduplicated`). Over the storage quota is "
        "QUOTA_EXCEEDED."
    )
    async def add_uploads_to_library(
        self,
        info: Info,
        input: Annotated[
            AddUploadsToLibraryInput, strawberry.argument(description="The uploads, and where.")
        ],
    ) -> AddUploadsToLibraryPayload:
        ctx = info.context
        call = ctx.services.library.add_uploads(
            ctx.actor,
            items=[_item(i) for i in input.items],
            idempotency_key=input.idempotency_key,
        )
        results, errors = await attempt(call, {"items": [i.upload_id for i in input.items]})
        return AddUploadsToLibraryPayload(
            results=[
                UploadedAsset(asset=Asset.from_domain(r.asset), deduplicated=r.deduplicated)
                for r in results or ()
            ],
            user_errors=errors,
        )
