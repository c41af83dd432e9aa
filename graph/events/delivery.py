"""How a subscription's events reach its socket: followed from the log, filtered, with fresh loaders.

The websocket context lives as long as the socket, so loaders made with it would cache
objects for hours: each event gets a new set (`Loaders(reads, actor, events)`), and its subject
is read as it is when the event is delivered, with the subscriber's permissions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from domain.events.model import EventQuery, LoggedEvent
from domain.kernel.errors import NotFound
from graph.context import Context
from graph.loaders import Loaders

Keep = Callable[[LoggedEvent, Loaders], Awaitable[bool]]
"""Whether to deliver an event, judged at delivery time with that event's loaders."""


async def deliver(
    ctx: Context, *, types: frozenset[str], after: int | None, keep: Keep | None = None
) -> AsyncIterator[LoggedEvent]:
    """The actor's organisation's events of these types after the cursor (replayed), then live ones."""
    query = EventQuery(after=after, types=types)
    async for event in ctx.services.events.follow(ctx.actor, query=query):
        loaders = Loaders(ctx.reads, ctx.actor, ctx.services.events, ctx.services.webhooks)
        if keep is not None and not await keep(event, loaders):
            continue
        ctx.loaders = loaders  # the message's fields resolve through this event's loaders
        yield event


@dataclass(frozen=True)
class AssetFilter:
    """`assetSaved`'s filter, decoded: the saved asset's folder, project and tags as they are now."""

    folder_id: int | None = None
    project_id: int | None = None
    tag_ids: frozenset[int] = frozenset()

    async def check_exists(self, loaders: Loaders) -> None:
        """NOT_FOUND for a folder, project or tag the subscriber's organisation does not have."""
        library = loaders.library
        if self.folder_id is not None and await library.folder.load(self.folder_id) is None:
            raise NotFound("folder not found", field="filter.folderId")
        if self.project_id is not None and await library.project.load(self.project_id) is None:
            raise NotFound("project not found", field="filter.projectId")
        tags = await library.tag.load_many(sorted(self.tag_ids))
        if any(tag is None for tag in tags):
            raise NotFound("tag not found", field="filter.tags")

    async def __call__(self, event: LoggedEvent, loaders: Loaders) -> bool:
        if self.folder_id is None and self.project_id is None and not self.tag_ids:
            return True
        library = loaders.library
        asset = await library.asset.load(event.subject_id)
        if asset is None:  # purged since: nothing left to match
            return False
        if self.folder_id is not None and asset.folder_id != self.folder_id:
            return False
        if self.project_id is not None:
            projects = await library.asset_projects.load(asset.pk)
            if self.project_id not in {p.pk for p in projects}:
                return False
        if self.tag_ids:
            tags = await library.asset_tags.load(asset.pk)
            if not self.tag_ids <= {t.pk for t in tags}:
                return False
        return True


def in_session(session_id: int) -> Keep:
    """Generation events of one session (their payload names it)."""

    async def keep(event: LoggedEvent, loaders: Loaders) -> bool:
        return event.payload.get("session_id") == session_id

    return keep
