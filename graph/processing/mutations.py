"""Processing's mutation: queue assets' thumbnails and facts again."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph.library.types import Asset
from graph.relay.ids import decode_id_list
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError


@strawberry.input(description="Assets to process again.")
class ReprocessAssetsInput:
    ids: list[strawberry.ID] = strawberry.field(description="Asset ids, 1 to 500; each at most once.")


@strawberry.type(description="The assets queued again, or why not.")
class ReprocessAssetsPayload:
    assets: list[Asset] = strawberry.field(
        description="The assets given, in input order, now PENDING; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, each bad asset named by `index` and `id`; empty on success."
    )


@strawberry.type
class ProcessingMutations:
    @strawberry.mutation(
        description="Queue 1-500 assets' thumbnails and facts to be made again, all or none (EDITOR role "
        "or above); their processingStatus is PENDING until a worker has done it."
    )
    async def reprocess_assets(
        self,
        info: Info,
        input: Annotated[ReprocessAssetsInput, strawberry.argument(description="The assets.")],
    ) -> ReprocessAssetsPayload:
        ctx = info.context
        call = ctx.services.processing.reprocess_assets(
            ctx.actor, asset_ids=decode_id_list(input.ids, "Asset")
        )
        assets, errors = await attempt(call, {"ids": input.ids})
        return ReprocessAssetsPayload(assets=[Asset.from_domain(a) for a in assets or ()], user_errors=errors)
