"""The Relay `Node` interface: every object with a global id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

if TYPE_CHECKING:
    from graph.events.types import EventConnection


@strawberry.interface(description="An object with a global id; any of them can be fetched with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="The object's opaque global id.")
    pk: strawberry.Private[int]

    @strawberry.field(
        description="This object's events from the organisation's log, oldest first (who changed "
        "what, when); page on with `after`."
    )
    async def activity(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(description="How many events to return: 50 when omitted, at most 100."),
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Return events after this cursor.")
        ] = None,
        types: Annotated[
            list[str] | None, strawberry.argument(description="Only events of these types; at most 64.")
        ] = None,
    ) -> Annotated[EventConnection, strawberry.lazy("graph.events.types")]:
        from graph.events.queries import read_activity  # the event feed builds on every node type

        # the concrete type (`Asset`, `Folder` ...): a list of nodes batches per type
        return await read_activity(
            info, str(info.path.typename), self.pk, first=first, after=after, types=types
        )
