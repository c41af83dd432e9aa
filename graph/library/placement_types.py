"""The placement type: an asset in a post, page or campaign, proposed then approved."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.library.placements import model as m
from graph.library.types import Asset, Project
from graph.organisations.types import Member
from graph.relay.batching import load_if
from graph.relay.fields import from_domain
from graph.relay.ids import to_global_id
from graph.relay.node import Node

strawberry.enum(
    m.PlacementKind,
    name="PlacementKind",
    description="How an asset is used in its target: FEATURED_IMAGE, INLINE (in the body), SOCIAL_POST.",
)
strawberry.enum(
    m.PlacementState,
    name="PlacementState",
    description="PROPOSED by an editor, then APPROVED by an approver or admin (attach deliberately).",
)
PlacementKind = m.PlacementKind
PlacementState = m.PlacementState


@strawberry.type(description="A library asset placed (or proposed to be placed) in a post, page or campaign.")
class Placement(Node):
    kind: PlacementKind = strawberry.field(description="How the asset is used in the target.")
    target_ref: str = strawberry.field(
        description="The target: a short reference such as a CMS URL or a post id, as given (trimmed)."
    )
    scheduled_at: datetime | None = strawberry.field(description="When the target is to be published.")
    state: PlacementState = strawberry.field(description="PROPOSED, or APPROVED by an approver or admin.")
    created_at: datetime = strawberry.field(description="When the placement was proposed.")
    approved_at: datetime | None = strawberry.field(description="When it was approved; null while proposed.")
    asset_id: strawberry.Private[int]
    project_id: strawberry.Private[int | None]
    proposed_by_id: strawberry.Private[int | None]
    approved_by_id: strawberry.Private[int | None]

    @classmethod
    def from_domain(cls, p: m.Placement) -> Placement:
        return from_domain(cls, p, id=to_global_id("Placement", p.id), pk=p.id)

    @strawberry.field(description="The asset placed.")
    async def asset(self, info: Info) -> Asset | None:
        return await info.context.loaders.library.asset.load(self.asset_id)

    @strawberry.field(description="The project (campaign) the placement belongs to, if any.")
    async def project(self, info: Info) -> Project | None:
        return await load_if(info.context.loaders.library.project, self.project_id)

    @strawberry.field(description="Who proposed it.")
    async def proposed_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.proposed_by_id)

    @strawberry.field(description="Who approved it; null while proposed.")
    async def approved_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.approved_by_id)
