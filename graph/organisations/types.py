"""Organisations, members and the viewer."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.organisations import model as m
from graph.organisations.enums import Role
from graph.relay.fields import from_domain
from graph.relay.ids import to_global_id
from graph.relay.node import Node
from graph.relay.scalars import BigInt


@strawberry.type(description="What the organisation's library holds, as the billing page shows it.")
class OrganisationStorage:
    used_bytes: BigInt = strawberry.field(
        description="Bytes the library's assets hold, trashed ones included until purged; each asset "
        "counts its own bytes."
    )
    limit_bytes: BigInt = strawberry.field(description="The organisation's storage quota, in bytes.")
    asset_count: int = strawberry.field(
        description="How many assets hold that storage, trashed ones included."
    )


@strawberry.type(description="A tenant; everything you can see belongs to your organisation.")
class Organisation(Node):
    slug: str = strawberry.field(description="The organisation's short, unique name.")
    name: str = strawberry.field(description="The organisation's display name.")
    created_at: datetime = strawberry.field(description="When the organisation was created.")

    @classmethod
    def from_domain(cls, o: m.Organisation) -> Organisation:
        return from_domain(cls, o, id=to_global_id("Organisation", o.id), pk=o.id)

    @strawberry.field(description="Storage used, the quota, and how many assets hold it (one query).")
    async def storage(self, info: Info) -> OrganisationStorage:
        usage = await info.context.reads.directory.storage_usage(self.pk)
        return from_domain(OrganisationStorage, usage)


@strawberry.type(description="A person or service acting in an organisation with one role.")
class Member(Node):
    name: str = strawberry.field(description="The member's display name.")
    email: str = strawberry.field(description="The member's email address, unique in the organisation.")
    role: Role = strawberry.field(description="What the member may do.")
    created_at: datetime = strawberry.field(description="When the member joined.")

    @classmethod
    def from_domain(cls, x: m.Member) -> Member:
        return from_domain(cls, x, id=to_global_id("Member", x.id), pk=x.id)


@strawberry.type(description="Who is calling: the member behind the token, its role and organisation.")
class Viewer:
    member: Member = strawberry.field(description="The member the token belongs to.")
    role: Role = strawberry.field(description="The member's role.")
    organisation: Organisation = strawberry.field(description="The member's organisation.")
