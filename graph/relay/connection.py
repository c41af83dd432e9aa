"""Relay cursor connections over keyset pages.

`totalCount` is a resolver of its own, so a client that does not ask for it
does not pay for the COUNT query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from domain.kernel.pagination import Key, Page
from graph.relay.ids import ListCursors

T = TypeVar("T")
D = TypeVar("D")

First = Annotated[
    int | None,
    strawberry.argument(description="How many objects to return: 20 when omitted, at most 100."),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return objects after this cursor (an edge's `cursor` or `pageInfo.endCursor`)."
    ),
]


# Cursors are signed only when asked for (a resolver each): nested pages and counts are
# often fetched without them, and signing costs a few microseconds a cursor.


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more objects follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether this page was asked for with `after`.")
    first_key: strawberry.Private[Key | None]
    last_key: strawberry.Private[Key | None]
    cursors: strawberry.Private[ListCursors]

    @strawberry.field(description="The cursor of the first edge, if any.")
    def start_cursor(self) -> str | None:
        return None if self.first_key is None else self.cursors.encode(self.first_key)

    @strawberry.field(description="The cursor of the last edge: pass it as `after`.")
    def end_cursor(self) -> str | None:
        return None if self.last_key is None else self.cursors.encode(self.last_key)


def _edge_cursor(root: Edge[Any]) -> str:
    return root.cursors.encode(root.key)


@strawberry.type(description="One object of a page, with the cursor to page on from it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        resolver=_edge_cursor, description="An opaque cursor: pass it as `after` to continue after this edge."
    )
    node: T = strawberry.field(description="The object.")
    key: strawberry.Private[Key]
    cursors: strawberry.Private[ListCursors]


@strawberry.type(description="A page of a list, newest or alphabetical first as the field says.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The objects of this page.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many objects the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def cursors_of(info: Info) -> ListCursors:
    """The cursors of the list this field returns, named by the field (`Query.assets`, `Folder.assets`)."""
    cursors: ListCursors = info.context.cursors.of(f"{info.path.typename}.{info.field_name}")
    return cursors


def connection_of(
    page: Page[D],
    mapper: Callable[[D], T],
    count: Callable[[], Awaitable[int]],
    *,
    after: object,
    cursors: ListCursors,
) -> Connection[T]:
    """A connection from a domain page; `mapper` turns each domain object into its GraphQL type."""
    edges = [
        Edge(node=mapper(item), key=key, cursors=cursors)
        for item, key in zip(page.items, page.keys, strict=True)
    ]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=after is not None,
        first_key=page.keys[0] if page.keys else None,
        last_key=page.keys[-1] if page.keys else None,
        cursors=cursors,
    )
    return Connection(edges=edges, page_info=info, count=count)
