"""The Relay `Node` interface: every object with a global id."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with a global id; any of them can be fetched with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="The object's opaque global id.")
    pk: strawberry.Private[int]
