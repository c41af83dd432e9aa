"""Studio reads: brand kits, sessions and their generations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.kernel.access import Actor, Permission
from domain.kernel.pagination import BY_NAME, NEWEST_FIRST, Key, Page, PageRequest
from domain.kernel.projection import Projection
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import BrandKit, Generation, Session
from domain.studio.ports import StudioReads


async def list_sessions(
    reads: StudioReads, actor: Actor, *, filter: SessionFilter, first: int | None, after: Key | None
) -> Page[Session]:
    """Sessions, newest first."""
    actor.require(Permission.READ)
    return await reads.sessions(actor.org_id, filter, PageRequest.of(first, after, shape=NEWEST_FIRST))


async def list_generations(
    reads: StudioReads, actor: Actor, *, filter: GenerationFilter, first: int | None, after: Key | None
) -> Page[Generation]:
    """Generations, newest first."""
    actor.require(Permission.READ)
    return await reads.generations(actor.org_id, filter, PageRequest.of(first, after, shape=NEWEST_FIRST))


async def list_brand_kits(
    reads: StudioReads, actor: Actor, *, first: int | None, after: Key | None
) -> Page[BrandKit]:
    """Brand kits, by name."""
    actor.require(Permission.READ)
    return await reads.brand_kits(actor.org_id, PageRequest.of(first, after, shape=BY_NAME))


def session_page(first: int | None, after: Key | None) -> PageRequest:
    """The page request of session.generations."""
    return PageRequest.of(first, after, shape=NEWEST_FIRST)


LIKE_COUNT = "like_count"
"""A projected generation's extra: how many members like it."""
LIKED_BY_VIEWER = "liked_by_viewer"
"""A projected generation's extra: whether the member reading likes it."""


def session_generations_projection(
    fields: Sequence[str], extras: Sequence[str], total: bool, related: Mapping[str, Sequence[str]]
) -> Projection:
    """What a page of session.generations is read with (domain.kernel.projection); no relations."""
    return Projection.of(Generation, fields, extras, (LIKE_COUNT, LIKED_BY_VIEWER), total, related)
