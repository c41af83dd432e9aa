"""A stand-in for the lead's Event type until "GraphQL Event type and events feed" lands (then deleted)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.events.model import LoggedEvent
from domain.kernel.errors import InvalidInput
from graph.library.types import Asset
from graph.studio.types import Generation


def encode_cursor(seq: int) -> str:
    return str(seq)


def decode_cursor(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit():
        raise InvalidInput("`after` is not an event cursor", field="after")
    return int(value)


@strawberry.type(description="Something that happened in the organisation.")
class Event:
    cursor: str = strawberry.field(description="Where this event sits in the log.")
    type: str = strawberry.field(description="What happened.")
    occurred_at: datetime = strawberry.field(description="When.")
    subject_id: int = strawberry.field(description="The subject's id.")
    subject_type: strawberry.Private[str]

    @classmethod
    def from_logged(cls, e: LoggedEvent) -> Event:
        return cls(
            cursor=encode_cursor(e.seq),
            type=e.type,
            occurred_at=e.occurred_at,
            subject_id=e.subject_id,
            subject_type=e.subject_type,
        )

    @strawberry.field(description="The asset.")
    async def asset(self, info: Info) -> Asset | None:
        if self.subject_type != "Asset":
            return None
        return await info.context.loaders.library.asset.load(self.subject_id)

    @strawberry.field(description="The generation.")
    async def generation(self, info: Info) -> Generation | None:
        if self.subject_type != "Generation":
            return None
        return await info.context.loaders.studio.generation.load(self.subject_id)
