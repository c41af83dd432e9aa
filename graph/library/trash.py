"""The trash in GraphQL: trashAssets, restoreAssets, purgeAssets (the trash itself is
`assets(filter: {trashed: true})`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph.library.inputs import AssetIdsInput
from graph.library.payloads import AssetsPayload
from graph.library.types import Asset
from graph.relay.ids import decode_id_list, to_global_id
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError


@strawberry.input(description="Assets to move to the trash.")
class TrashAssetsInput:
    ids: list[strawberry.ID] = strawberry.field(description="Asset ids, 1 to 500; each at most once.")
    force: bool = strawberry.field(
        default=False,
        description="Trash assets in use too (they have placements): their placements are removed.",
    )


@strawberry.type(description="The assets purged, or why not (then nothing was deleted).")
class PurgeAssetsPayload:
    purged_asset_ids: list[strawberry.ID] = strawberry.field(
        description="The ids the purged assets had, in input order; empty when refused. One that a "
        "concurrent purge deleted first is not listed (its storage was freed once)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, each bad asset named by `index` and `id`; empty on success."
    )


@strawberry.type
class TrashMutations:
    @strawberry.mutation(
        description="Move 1-500 assets to the trash, all or none (EDITOR role or above): they leave every "
        "list but `assets(filter: {trashed: true})` and can be restored until purged. Trashing a trashed "
        "asset changes nothing. An asset in use (with placements) is INVALID_STATE unless `force`, which "
        "removes its placements. Trashed assets still count toward storage until purged."
    )
    async def trash_assets(
        self, info: Info, input: Annotated[TrashAssetsInput, strawberry.argument(description="The assets.")]
    ) -> AssetsPayload:
        ctx = info.context
        call = ctx.services.library.trash_assets(
            ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"), force=input.force
        )
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Take 1-500 assets out of the trash, all or none (EDITOR role or above), back into "
        "their folder (or where its content went, if it was deleted meanwhile). Restoring a live asset "
        "changes nothing. Placements a forced trash removed do not come back."
    )
    async def restore_assets(
        self, info: Info, input: Annotated[AssetIdsInput, strawberry.argument(description="The assets.")]
    ) -> AssetsPayload:
        ctx = info.context
        call = ctx.services.library.restore_assets(ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"))
        assets, errors = await attempt(call, {"ids": input.ids})
        return AssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)

    @strawberry.mutation(
        description="Delete 1-500 trashed assets for good, all or none (ADMIN role: it cannot be undone): "
        "their rows, links and placements, and their files once no other asset holds the same bytes. "
        "Frees their storage. A live asset is INVALID_STATE."
    )
    async def purge_assets(
        self, info: Info, input: Annotated[AssetIdsInput, strawberry.argument(description="The assets.")]
    ) -> PurgeAssetsPayload:
        ctx = info.context
        call = ctx.services.library.purge_assets(ctx.actor, asset_ids=decode_id_list(input.ids, "Asset"))
        purged, errors = await attempt(call, {"ids": input.ids})
        return PurgeAssetsPayload(
            purged_asset_ids=[to_global_id("Asset", id) for id in purged or ()],
            user_errors=errors,
        )
