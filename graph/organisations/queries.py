"""The viewer, and `node`/`nodes`: any object of any feature by its global id."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.kernel.errors import LimitExceeded
from graph.organisations.types import Organisation, Viewer
from graph.relay.ids import parse_global_id
from graph.relay.node import Node

MAX_NODES = 100

_NODE_LOADERS = {  # a node type's (feature, loader) in the request's Loaders
    "Asset": ("library", "asset"),
    "Folder": ("library", "folder"),
    "Project": ("library", "project"),
    "Tag": ("library", "tag"),
    "BrandKit": ("studio", "brand_kit"),
    "Session": ("studio", "session"),
    "Generation": ("studio", "generation"),
    "Member": ("organisations", "member"),
    "Placement": ("placements", "placement"),
    "Webhook": ("webhooks", "webhook"),  # ADMIN only: null for other roles
    "WebhookDelivery": ("webhooks", "delivery"),
}


async def _node(info: Info, id: str) -> Node | None:
    parsed = parse_global_id(id)
    if parsed is None:
        return None
    return await load_node(info, *parsed)


async def load_node(info: Info, type_name: str, pk: int) -> Node | None:
    """The node of a type and id, through the request's loaders; None when gone or not the actor's."""
    if type_name == "Organisation":
        return await _organisation(info) if pk == info.context.actor.org_id else None
    if type_name not in _NODE_LOADERS:
        return None
    feature, loader = _NODE_LOADERS[type_name]
    return await getattr(getattr(info.context.loaders, feature), loader).load(pk)


async def _organisation(info: Info) -> Organisation:
    org = await info.context.reads.directory.organisation(info.context.actor.org_id)
    return Organisation.from_domain(org)


@strawberry.type
class OrganisationQueries:
    @strawberry.field(description="Who is calling: the member, its role and organisation.")
    async def viewer(self, info: Info) -> Viewer:
        actor = info.context.actor
        member = await info.context.loaders.organisations.member.load(actor.member_id)
        return Viewer(member=member, role=actor.role, organisation=await _organisation(info))

    @strawberry.field(description="Any object by its global id; null when it does not exist or is not yours.")
    async def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")]
    ) -> Node | None:
        return await _node(info, id)

    @strawberry.field(description="Objects by their global ids, in the same order; null where not found.")
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description=f"At most {MAX_NODES} global ids.")
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise LimitExceeded(f"at most {MAX_NODES} ids at once", field="ids")
        return list(await asyncio.gather(*(_node(info, id) for id in ids)))  # one batch per type
