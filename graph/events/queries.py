"""`events`: the organisation's activity feed; `activity_of`: the same feed for one object."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.events.model import EventPage, EventQuery, LoggedEvent
from domain.kernel.errors import InvalidInput
from graph.events.types import Event, EventConnection, event_list
from graph.relay.connection import After, Edge, PageInfo
from graph.relay.ids import ListCursors, parse_global_id

EventFirst = Annotated[
    int | None, strawberry.argument(description="How many events to return: 50 when omitted, at most 100.")
]
Types = Annotated[
    list[str] | None,
    strawberry.argument(description="Only events of these types (e.g. `asset.saved`); at most 64."),
]


def event_cursors(info: Info) -> ListCursors:
    """The cursors every event reader shares."""
    cursors: ListCursors = info.context.cursors.of(event_list(info.context.actor.org_id))
    return cursors


def decode_after(cursors: ListCursors, after: str | None) -> int | None:
    """The `seq` inside an event cursor; INVALID_INPUT for anything else."""
    key = cursors.decode(after)
    if key is None:
        return None
    if len(key) != 1 or type(key[0]) is not int:
        raise InvalidInput("`after` is not an event cursor", field="after")
    return key[0]


def event_of(cursors: ListCursors, event: LoggedEvent) -> Event:
    return Event.from_log(event, cursors.encode((event.seq,)))


def event_connection(page: EventPage, cursors: ListCursors, *, after: int | None) -> EventConnection:
    keys = [(e.seq,) for e in page.events]
    edges = [
        Edge(node=event_of(cursors, e), key=k, cursors=cursors)
        for e, k in zip(page.events, keys, strict=True)
    ]
    # an empty page ends where it began: the client keeps its cursor and polls again
    last = keys[-1] if keys else ((after,) if after is not None else None)
    info = PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=after is not None,
        first_key=keys[0] if keys else None,
        last_key=last,
        cursors=cursors,
    )
    return EventConnection(edges=edges, page_info=info)


async def read_events(
    info: Info,
    *,
    first: int | None,
    after: str | None,
    types: list[str] | None,
    subject: tuple[str, int] | None,
) -> EventConnection:
    """A page of the feed as a connection (the `events` query and every node's `activity`)."""
    cursors = event_cursors(info)
    seq = decode_after(cursors, after)
    query = EventQuery(after=seq, types=frozenset(types or ()), subject=subject)
    page = await info.context.services.events.feed(info.context.actor, query=query, first=first)
    return event_connection(page, cursors, after=seq)


async def read_activity(
    info: Info, subject_type: str, pk: int, *, first: int | None, after: str | None, types: list[str] | None
) -> EventConnection:
    """One node's page of its own events, batched with the other nodes of its type in the request."""
    cursors = event_cursors(info)
    seq = decode_after(cursors, after)
    query = EventQuery(after=seq, types=frozenset(types or ()))
    page = await info.context.loaders.events.activity(subject_type, query, first).load(pk)
    return event_connection(page, cursors, after=seq)


@strawberry.type
class EventQueries:
    @strawberry.field(
        description="The organisation's event log, oldest first: every change, as partner tools "
        "read it. Page on with `after`; poll with the last `endCursor`. A cursor older than the "
        "log keeps is CURSOR_EXPIRED."
    )
    async def events(
        self,
        info: Info,
        first: EventFirst = None,
        after: After = None,
        types: Types = None,
        subject_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only events about this object (its global id)."),
        ] = None,
    ) -> EventConnection:
        subject = None
        if subject_id is not None:
            subject = parse_global_id(subject_id)
            if subject is None:
                raise InvalidInput("`subjectId` is not a global id", field="subjectId")
        return await read_events(info, first=first, after=after, types=types, subject=subject)
