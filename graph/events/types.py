"""The `Event` type: one entry of the log, with its subject resolved for the reader."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.events.model import LoggedEvent
from graph.events.payloads import client_payload
from graph.relay.connection import Edge, PageInfo
from graph.relay.ids import to_global_id
from graph.relay.node import Node

if TYPE_CHECKING:
    from graph.library.types import Asset
    from graph.organisations.types import Member
    from graph.studio.types import Generation


def event_list(org_id: int) -> str:
    """The list an organisation's event cursors belong to: the feed, `activity`, subscriptions and
    webhook bodies share them; another organisation's cursor fails the signature (INVALID_INPUT)."""
    return f"events.{org_id}"


@strawberry.type(
    description="Something that happened to one object of the organisation: an entry of its event log. "
    "The README's event catalogue documents every type's payload."
)
class Event:
    cursor: str = strawberry.field(
        description="Where this event sits in the log: pass it as `after` to the `events` query or a "
        "subscription to go on after it. Cursors grow in commit order."
    )
    type: str = strawberry.field(description="What happened: `<subject>.<past tense>`, e.g. `asset.saved`.")
    version: int = strawberry.field(description="The version of the type's payload schema.")
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    subject_type: str = strawberry.field(
        description="The GraphQL type of the object it happened to, e.g. `Asset`."
    )
    subject_id: strawberry.ID = strawberry.field(description="The global id of that object.")
    payload: JSON = strawberry.field(
        description="What the type records beside the subject: camelCase keys, ids as global ids."
    )
    event: strawberry.Private[LoggedEvent]

    @classmethod
    def from_log(cls, event: LoggedEvent, cursor: str) -> Event:
        return cls(
            cursor=cursor,
            type=event.type,
            version=event.version,
            occurred_at=event.occurred_at,
            subject_type=event.subject_type,
            subject_id=to_global_id(event.subject_type, event.subject_id),
            payload=cast(JSON, client_payload(event.payload)),
            event=event,
        )

    @strawberry.field(description="The member who made the change; null for the system's own work.")
    async def actor(
        self, info: Info
    ) -> Annotated[Member, strawberry.lazy("graph.organisations.types")] | None:
        if self.event.actor_id is None:
            return None
        member: Member | None = await info.context.loaders.organisations.member.load(self.event.actor_id)
        return member

    @strawberry.field(
        description="The asset, for asset events, as the reader may see it now; null for other "
        "events and for assets since trashed or purged."
    )
    async def asset(self, info: Info) -> Annotated[Asset, strawberry.lazy("graph.library.types")] | None:
        if self.event.subject_type != "Asset":
            return None
        asset: Asset | None = await info.context.loaders.library.asset.load(self.event.subject_id)
        return asset

    @strawberry.field(
        description="The generation, for generation events, as the reader may see it now; null for "
        "other events and for generations since expired."
    )
    async def generation(
        self, info: Info
    ) -> Annotated[Generation, strawberry.lazy("graph.studio.types")] | None:
        if self.event.subject_type != "Generation":
            return None
        generation: Generation | None = await info.context.loaders.studio.generation.load(
            self.event.subject_id
        )
        return generation

    @strawberry.field(
        description="The object it happened to, as the reader may see it now; null when it is gone "
        "or is not a node (tokens, uploads)."
    )
    async def subject(self, info: Info) -> Node | None:
        from graph.organisations.queries import load_node  # the node registry knows every feature

        return await load_node(info, self.event.subject_type, self.event.subject_id)


@strawberry.type(description="A page of events, oldest first.")
class EventConnection:
    edges: list[Edge[Event]] = strawberry.field(description="The events of this page.")
    page_info: PageInfo = strawberry.field(
        description="Whether more events follow; `endCursor` is where to go on from (also when "
        "the page is empty: keep polling with the cursor you have)."
    )

    @strawberry.field(description="The events of this page, without edges.")
    def nodes(self) -> list[Event]:
        return [edge.node for edge in self.edges]
