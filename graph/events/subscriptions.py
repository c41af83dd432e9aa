"""Subscriptions for partner tools: live events of the organisation, resumable by cursor.

Each takes an optional `after`: the stream first replays the events after that cursor from
the log, then continues live, with nothing lost or doubled at the seam (domain/events/feed.py).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.kernel.errors import LimitExceeded, NotFound
from graph.context import Context
from graph.events.delivery import AssetFilter, Keep, deliver, in_session
from graph.events.queries import decode_after, event_cursors, event_of
from graph.events.types import Event
from graph.relay.ids import decode_id, decode_optional_id

ASSET_SAVED = frozenset({"asset.saved"})
ASSET_PROCESSED = frozenset({"asset.processed", "asset.unprocessable"})
GENERATION_CREATED = frozenset({"generation.created", "generation.imported"})
GENERATION_REVIEWED = frozenset({"generation.approved", "generation.rejected", "generation.escalated"})
PLACEMENT_CHANGED = frozenset({"placement.proposed", "placement.approved", "placement.removed"})
MAX_FILTER_TAGS = 20

After = Annotated[
    str | None,
    strawberry.argument(
        description="Resume after this event cursor: the events since are replayed first, then live ones."
    ),
]


@strawberry.input(description="Which saved assets `assetSaved` reports; every condition given must hold.")
class AssetSavedFilter:
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets linked to this project."
    )
    folder_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only assets saved directly into this folder."
    )
    tags: list[strawberry.ID] | None = strawberry.field(
        default=None, description=f"Only assets with every one of these tags (at most {MAX_FILTER_TAGS})."
    )

    def decode(self) -> AssetFilter:
        tags = self.tags or []
        if len(tags) > MAX_FILTER_TAGS:
            raise LimitExceeded(f"at most {MAX_FILTER_TAGS} tags", field="filter.tags")
        return AssetFilter(
            folder_id=decode_optional_id(self.folder_id, "Folder", field="filter.folderId"),
            project_id=decode_optional_id(self.project_id, "Project", field="filter.projectId"),
            tag_ids=frozenset(decode_id(t, "Tag", field="filter.tags") for t in tags),
        )


async def _events(
    info: Info[Context, None], types: frozenset[str], after: str | None, keep: Keep | None = None
) -> AsyncGenerator[Event, None]:
    cursors = event_cursors(info)
    async for event in deliver(info.context, types=types, after=decode_after(cursors, after), keep=keep):
        yield event_of(cursors, event)


@strawberry.type
class EventSubscriptions:
    @strawberry.subscription(
        description="Each asset saved to the library from a generation (`asset.saved`); the filter is "
        "checked against the asset as it is when the event is delivered."
    )
    async def asset_saved(
        self,
        info: Info[Context, None],
        filter: Annotated[
            AssetSavedFilter | None, strawberry.argument(description="Which assets; all when omitted.")
        ] = None,
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        wanted = filter.decode() if filter is not None else AssetFilter()
        await wanted.check_exists(info.context.loaders)
        async for event in _events(info, ASSET_SAVED, after, wanted):
            yield event

    @strawberry.subscription(
        description="Each asset whose processing finished (`asset.processed`) or gave up "
        "(`asset.unprocessable`)."
    )
    async def asset_processed(
        self,
        info: Info[Context, None],
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        async for event in _events(info, ASSET_PROCESSED, after):
            yield event

    @strawberry.subscription(
        description="Each generation made by a provider (`generation.created`) or imported "
        "(`generation.imported`), optionally of one session."
    )
    async def generation_created(
        self,
        info: Info[Context, None],
        session_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only generations of this session.")
        ] = None,
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        keep = None
        session = decode_optional_id(session_id, "Session", field="sessionId")
        if session is not None:
            if await info.context.loaders.studio.session.load(session) is None:
                raise NotFound("session not found", field="sessionId")
            keep = in_session(session)
        async for event in _events(info, GENERATION_CREATED, after, keep):
            yield event

    @strawberry.subscription(
        description="Each review decision: `generation.approved`, `generation.rejected`, "
        "`generation.escalated`."
    )
    async def generation_reviewed(
        self,
        info: Info[Context, None],
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        async for event in _events(info, GENERATION_REVIEWED, after):
            yield event

    @strawberry.subscription(
        description="Each placement change: `placement.proposed`, `placement.approved`, `placement.removed`."
    )
    async def placement_changed(
        self,
        info: Info[Context, None],
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        async for event in _events(info, PLACEMENT_CHANGED, after):
            yield event

    @strawberry.subscription(
        description="Every event of the organisation, or of the types named (`asset.saved`, ...), in "
        "cursor order."
    )
    async def events(
        self,
        info: Info[Context, None],
        types: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only events of these types; all types when omitted (at most 64)."
            ),
        ] = None,
        after: After = None,
    ) -> AsyncGenerator[Event, None]:
        async for event in _events(info, frozenset(types or ()), after):
            yield event
