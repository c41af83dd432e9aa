"""The shapes of DataLoader every feature's loaders are made of: one object, a list, a count, a flag.

Each batch runs on its own short connection (see storage.reads), so sibling batches may
run concurrently; the organisation passed in scopes every batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

T = TypeVar("T")

Fetch = Callable[[int, Sequence[int]], Awaitable[Mapping[int, Any]]]
"""A read port's batch method: (org_id, keys) -> found rows by key."""


def one(fetch: Fetch, org_id: int, mapper: Callable[[Any], T]) -> DataLoader[int, T | None]:
    """An object per key, or None."""

    async def load(keys: list[int]) -> list[T | None]:
        found = await fetch(org_id, keys)
        return [mapper(found[k]) if k in found else None for k in keys]

    return DataLoader(load_fn=load)


def many(fetch: Fetch, org_id: int, mapper: Callable[[Any], T]) -> DataLoader[int, list[T]]:
    """A list per key."""

    async def load(keys: list[int]) -> list[list[T]]:
        found = await fetch(org_id, keys)
        return [[mapper(x) for x in found.get(k, ())] for k in keys]

    return DataLoader(load_fn=load)


def count(fetch: Fetch, org_id: int) -> DataLoader[int, int]:
    """A number per key, 0 when none was found."""

    async def load(keys: list[int]) -> list[int]:
        found = await fetch(org_id, keys)
        return [found.get(k, 0) for k in keys]

    return DataLoader(load_fn=load)


def viewer_flags(
    fetch: Callable[[int, int, Sequence[int]], Awaitable[set[int]]], org_id: int, member_id: int
) -> DataLoader[int, bool]:
    """Whether the viewer did something to each key (liked, favourited)."""

    async def load(keys: list[int]) -> list[bool]:
        hits = await fetch(org_id, member_id, keys)
        return [k in hits for k in keys]

    return DataLoader(load_fn=load)


def linked(
    fetch: Callable[[int, Sequence[int]], Awaitable[Mapping[int, Sequence[int]]]],
    org_id: int,
    objects: DataLoader[int, T | None],
    key_of: Callable[[T], int],
) -> DataLoader[int, list[T]]:
    """Objects linked to each key: one query for the links, one (batched) through `objects`."""

    async def load(keys: list[int]) -> list[list[T]]:
        links = await fetch(org_id, keys)
        found = await objects.load_many([i for k in keys for i in links.get(k, ())])
        by_id = {key_of(o): o for o in found if o is not None}
        return [[by_id[i] for i in links.get(k, ()) if i in by_id] for k in keys]

    return DataLoader(load_fn=load)


async def load_if(loader: DataLoader[int, T | None], key: int | None) -> T | None:
    """What an optional reference (a brand kit, a reviewer) points at; None, without a batch, when unset."""
    return None if key is None else await loader.load(key)
